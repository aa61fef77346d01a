// Layers point one way (shared/design.md): proto -> domain -> formats ->
// app -> storage interfaces; transport (server/) and the CLI on top. This
// test reads every source file and fails on an #include that points up or
// sideways, naming the file, the line and the rule.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

namespace fs = std::filesystem;

// The project folders each folder may include from (besides its own and
// outside libraries). "gongkai" is the generated API (gongkai/v1/*.pb.h).
const std::map<std::string, std::set<std::string>>& AllowedIncludes() {
  static const auto* allowed = new std::map<std::string, std::set<std::string>>{
      {"common", {}},
      {"domain", {"common"}},
      {"formats", {"domain", "common"}},
      // The office's documents sit beside formats/ and build on it.
      {"documents", {"formats", "domain", "common"}},
      // Published reports as offices put them online: readers and checker.
      {"published", {"formats", "domain", "common"}},
      {"convert", {"gongkai", "domain", "common"}},
      {"storage", {"domain", "common"}},
      {"app", {"storage", "documents", "formats", "domain", "common"}},
      // The daemon is the composition root: it opens the SQLite store.
      {"server",
       {"app", "storage", "convert", "documents", "formats", "domain", "common",
        "gongkai"}},
      {"cli",
       {"convert", "documents", "published", "formats", "domain", "common",
        "gongkai"}},
  };
  return *allowed;
}

TEST(LayeringTest, IncludesPointOneWay) {
  const fs::path root = GONGKAI_SOURCE_DIR;
  const std::regex include_line(R"re(^\s*#\s*include\s*"([^"/]+)/[^"]*")re");
  std::vector<std::string> violations;
  int files = 0;
  for (const auto& [folder, allowed] : AllowedIncludes()) {
    ASSERT_TRUE(fs::is_directory(root / folder)) << folder;
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".h" && ext != ".cc") continue;
      ++files;
      std::ifstream in(entry.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        std::smatch m;
        if (!std::regex_search(line, m, include_line)) continue;
        const std::string target = m[1];
        if (target == folder || allowed.count(target)) continue;
        // Only project folders are judged; "absl/", "grpcpp/" are libraries.
        if (!fs::is_directory(root / target) && target != "gongkai") continue;
        violations.push_back(absl::StrCat(
            fs::relative(entry.path(), root).string(), ":", n, ": ", folder,
            "/ may not include ", target, "/ (", line, ")"));
      }
    }
  }
  EXPECT_GT(files, 50);
  EXPECT_TRUE(violations.empty()) << absl::StrJoin(violations, "\n");
}

}  // namespace
}  // namespace gongkai
