// gongkai doc …: what the CLI decides before it asks gongkaid (the kind, the
// format, an existing output file, the template folder). The calls
// themselves are tested against a running daemon in tests/integration.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::cli {
namespace {

using ::testing::HasSubstr;

struct Result {
  int code;
  std::string out, err;
};

Result RunGk(std::vector<std::string> args) {
  std::ostringstream out, err;
  CliEnvironment env;
  env.user = "tester";
  // Nothing listens here: a test that reached the server would fail.
  env.server = "unix:/nonexistent/gongkai.sock";
  int code = RunCli(args, out, err, env);
  return {code, out.str(), err.str()};
}

TEST(DocCommandTest, AnUnknownKindIsAUsageErrorListingTheKinds) {
  Result r = RunGk({"doc", "letter", "2024-0001"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("receipt (接收回执)"));
  Result en = RunGk({"--lang", "en", "doc", "letter", "2024-0001"});
  EXPECT_EQ(en.code, kExitUsage);
  EXPECT_THAT(en.err, HasSubstr("no document kind 'letter'"));
}

TEST(DocCommandTest, OnlyDocxOrPdf) {
  Result r = RunGk({"doc", "receipt", "2024-0001", "--format", "odt"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("docx"));
}

TEST(DocCommandTest, AnExistingFileIsNotReplacedWithoutForce) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / "gongkai-doc-test.docx";
  { std::ofstream(file) << "sent already"; }
  Result r = RunGk(
      {"--lang", "en", "doc", "receipt", "2024-0001", "--out", file.string()});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_THAT(r.err, HasSubstr("add --force"));
  std::ifstream in(file);
  std::string kept;
  std::getline(in, kept);
  EXPECT_EQ(kept, "sent already");
  // With --force the CLI goes on to ask the (absent) server.
  Result forced =
      RunGk({"doc", "receipt", "2024-0001", "--out", file.string(), "--force"});
  EXPECT_EQ(forced.code, kExitUnreachable);
  std::filesystem::remove(file);
}

TEST(DocCommandTest, TemplatesLoadNeedsAFolderOfDocxFiles) {
  Result missing =
      RunGk({"--lang", "en", "doc", "templates", "load", "/nonexistent/dir"});
  EXPECT_EQ(missing.code, kExitFailed);
  EXPECT_THAT(missing.err, HasSubstr("is not a folder"));
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "gongkai-doc-templates-test";
  std::filesystem::create_directories(dir);
  // Word's lock files are not templates.
  { std::ofstream(dir / "~$receipt.docx") << "lock"; }
  Result empty = RunGk({"doc", "templates", "load", dir.string()});
  EXPECT_EQ(empty.code, kExitFailed);
  EXPECT_THAT(empty.err, HasSubstr(".docx"));
  std::filesystem::remove_all(dir);
}

TEST(DocCommandTest, HelpNamesEveryKind) {
  Result r = RunGk({"doc", "--help"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, HasSubstr("consultation"));
  EXPECT_THAT(r.out, HasSubstr("答复告知书"));
  EXPECT_THAT(r.out, HasSubstr("templates"));
  EXPECT_EQ(RunGk({"case", "find", "--help"}).code, kExitOk);
  EXPECT_EQ(RunGk({"case", "find"}).code, kExitUsage);
}

}  // namespace
}  // namespace gongkai::cli
