// The main screens of the CLI against a real daemon, in Chinese (the default)
// and in English: every word the CLI itself prints is in the reader's
// language. Texts the daemon makes (event summaries, explanations) are the
// daemon's to translate; they also appear in the --json output, which is how
// this test tells them from the CLI's own words.
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "cli/cli.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

struct Screen {
  int code;
  std::string out, err;
};

// Words of two or more ASCII letters (option names, codes with '_' and
// file names excluded).
std::set<std::string> Words(const std::string& text) {
  std::set<std::string> words;
  std::string word;
  auto flush = [&] {
    if (word.size() >= 2 &&
        word.find_first_of("_-/.:0123456789") == std::string::npos) {
      words.insert(word);
    }
    word.clear();
  };
  for (char ch : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(ch)) ||
        std::string("_-/.:").find(ch) != std::string::npos) {
      word.push_back(ch);
    } else {
      flush();
    }
  }
  flush();
  return words;
}

bool HasChinese(const std::string& text) {
  for (unsigned char ch : text) {
    if ((ch >= 0xE4 && ch <= 0xE9) || ch == 0xEF) return true;
  }
  return false;
}

class ScreensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<Daemon>(dir_.File("gongkai.db"));
    daemon_->ListenOnUnixSocket(dir_.File("gongkaid.sock"));
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
    ASSERT_EQ(Run({"case", "new", "--received", "2024-01-22", "--channel",
                   "mail", "--applicant-type", "natural_person", "--applicant",
                   "张三", "--request", "2023年预算"})
                  .code,
              0);
    ASSERT_EQ(Run({"case", "new", "--received", "2024-01-23", "--channel",
                   "online", "--applicant-type", "natural_person",
                   "--applicant", "李四", "--request", "采购合同"})
                  .code,
              0);
    ASSERT_EQ(Run({"case", "answer", "2024-0002", "--date", "2024-02-01",
                   "--outcome", "partially_disclosed"})
                  .code,
              0);
  }

  Screen Run(std::vector<std::string> args, const std::string& lang = "",
             const std::string& token = "") {
    std::ostringstream out, err;
    cli::CliEnvironment env;
    env.server = daemon_->address();
    env.token = token.empty() ? daemon_->head_token() : token;
    env.user = "tester";
    env.lang = lang;
    int code = cli::RunCli(args, out, err, env);
    return {code, out.str(), err.str()};
  }

  ScratchDir dir_;
  std::unique_ptr<Daemon> daemon_;
};

const std::vector<std::vector<std::string>>& MainScreens() {
  static const auto* const kScreens = new std::vector<std::vector<std::string>>{
      {"case", "list"},
      {"case", "show", "2024-0001"},
      {"case", "show", "2024-0002"},
      {"case", "history", "2024-0001"},
      {"alerts", "--as-of", "2024-02-19"},
      {"whoami"},
      {"admin", "permissions"},
      {"appeal", "list"},
      {"fee", "quote", "--pages", "120"}};
  return *kScreens;
}

TEST_F(ScreensTest, ChineseScreensHaveOnlyTheDaemonsAndCodesInEnglish) {
  for (const std::vector<std::string>& args : MainScreens()) {
    const std::string where = ::testing::PrintToString(args);
    Screen text = Run(args);
    ASSERT_EQ(text.code, 0) << where << text.err;
    std::vector<std::string> json_args = args;
    json_args.push_back("--json");
    Screen json = Run(json_args);
    ASSERT_EQ(json.code, 0) << where << json.err;
    // Method names of the permission matrix are API names, not words.
    const std::set<std::string> allowed = Words(json.out);
    std::set<std::string> english;
    for (const std::string& w : Words(text.out)) {
      const bool value_name = absl::AsciiStrToUpper(w) == w;
      const bool method = absl::ascii_isupper(w[0]) && args[0] == "admin";
      if (!allowed.count(w) && !value_name && !method) english.insert(w);
    }
    EXPECT_EQ(english, std::set<std::string>()) << where << "\n" << text.out;
    EXPECT_TRUE(HasChinese(text.out)) << where;
  }
}

TEST_F(ScreensTest, EnglishScreensHaveNoChineseOfTheirOwn) {
  // The stored records are Chinese (张三, 2023年预算); the CLI's own words
  // and labels are not.
  Screen list = Run({"case", "list"}, "en");
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_THAT(list.out, ::testing::HasSubstr("Applicant"));
  EXPECT_THAT(list.out, ::testing::HasSubstr("2 of 2 cases"));
  for (const char* label :
       {"申请编号", "收到日期", "答复期限", "状态", "已办结", "办理中"}) {
    EXPECT_THAT(list.out, ::testing::Not(::testing::HasSubstr(label)));
  }
  Screen permissions = Run({"admin", "permissions"}, "en");
  EXPECT_FALSE(HasChinese(permissions.out)) << permissions.out;
  Screen fee = Run({"fee", "quote", "--pages", "120"}, "en");
  EXPECT_THAT(fee.out, ::testing::HasSubstr("Fee: "));
  EXPECT_FALSE(HasChinese(fee.out.substr(0, fee.out.find('\n'))));
}

TEST_F(ScreensTest, JsonEverywhereWithNullsAndCodes) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"admin", "check"},
                                             {"admin", "permissions"},
                                             {"admin", "user", "list"}}) {
    std::vector<std::string> json_args = args;
    json_args.push_back("--json");
    Screen s = Run(json_args, "", daemon_->admin_token());
    EXPECT_EQ(s.code, 0) << s.err;
    EXPECT_TRUE(Json::Parse(s.out).ok()) << s.out;
  }
  Screen missing = Run({"case", "show", "2024-0099", "--json"});
  EXPECT_EQ(missing.code, cli::kExitFailed);
  absl::StatusOr<Json> error = Json::Parse(missing.out);
  ASSERT_TRUE(error.ok()) << missing.out;
  EXPECT_EQ(error->Find("error")->Find("code")->as_string(), "NOT_FOUND");
  Screen open = Run({"case", "show", "2024-0001", "--json"});
  absl::StatusOr<Json> c = Json::Parse(open.out);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->Find("answered_on")->is_null());
  EXPECT_TRUE(c->Find("outcome")->is_null());
  EXPECT_TRUE(c->Find("contact")->is_null());
}

}  // namespace
}  // namespace gongkai::testing
