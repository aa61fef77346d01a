// The checker on real published reports (tests/data/published): every file
// of the corpus, in every format it was published or saved in, must give
// exactly the error findings that verify_expected.py computed independently
// from the transcribed tables: a consistent report is called consistent,
// and each real or planted error is found and named by rule, row and column.
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "gtest/gtest.h"
#include "published/report_check.h"
#include "published/source_reader.h"

namespace gongkai::published {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Path(absl::string_view file) {
  return absl::StrCat(GONGKAI_PUBLISHED_CORPUS_DIR, "/", file);
}

// What identifies a finding, as expected.json lists it.
using Key = std::tuple<int, std::string, std::string, std::string>;

std::string Show(const Key& k) {
  return absl::StrCat("table ", std::get<0>(k), " ", std::get<1>(k), " row ",
                      std::get<2>(k), " column ", std::get<3>(k));
}

std::string Text(const Json* j) {
  return j == nullptr || j->is_null() ? "" : j->as_string();
}

TEST(PublishedCorpusTest, EveryFileGivesExactlyItsExpectedErrors) {
  absl::StatusOr<Json> expected = Json::Parse(Slurp(Path("expected.json")));
  ASSERT_TRUE(expected.ok()) << expected.status();
  const Json* files = expected->Find("files");
  ASSERT_NE(files, nullptr);
  ASSERT_GE(files->as_array().size(), 40u);
  int consistent = 0, inconsistent = 0;
  for (const Json& f : files->as_array()) {
    const std::string name = f.Find("file")->as_string();
    SCOPED_TRACE(name);
    absl::StatusOr<Source> source = ReadSource(Slurp(Path(name)), name);
    ASSERT_TRUE(source.ok()) << source.status();
    CheckInputs inputs;
    absl::StatusOr<Source> previous;
    const std::string previous_name = Text(f.Find("previous"));
    if (!previous_name.empty()) {
      previous = ReadSource(Slurp(Path(previous_name)), previous_name);
      ASSERT_TRUE(previous.ok()) << previous.status();
      inputs.previous = &*previous;
    }
    CheckResult result = CheckPublishedReport(*source, inputs);

    std::set<Key> want, got;
    for (const Json& e : f.Find("errors")->as_array()) {
      want.insert({static_cast<int>(e.Find("table")->as_int()),
                   e.Find("rule")->as_string(), Text(e.Find("row")),
                   Text(e.Find("column"))});
    }
    std::string all;
    for (const Finding& finding : result.findings) {
      absl::StrAppend(&all, "\n  [", SeverityCode(finding.severity), "] ",
                      finding.rule, " ", finding.row, " ", finding.column, ": ",
                      finding.message_en);
      if (finding.severity != Severity::kError) continue;
      got.insert({finding.table.value_or(0), finding.rule, finding.row,
                  finding.column});
    }
    for (const Key& k : want) {
      EXPECT_TRUE(got.count(k)) << "missed " << Show(k) << all;
    }
    for (const Key& k : got) {
      EXPECT_TRUE(want.count(k)) << "not an error: " << Show(k) << all;
    }
    EXPECT_EQ(result.consistent(), f.Find("consistent")->as_bool()) << all;
    (result.consistent() ? consistent : inconsistent)++;
    // Every reader found tables 3 and 4 and said how it read the file.
    EXPECT_FALSE(result.format_en.empty());
  }
  EXPECT_GT(consistent, 0);
  EXPECT_GT(inconsistent, 0);
}

}  // namespace
}  // namespace gongkai::published
