// Issue: every statutory clock of a case, driven through the real binaries.
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;

std::string Trim(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

class ClocksFlowTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--fake-today", today_};
    args.insert(args.end(), extra.begin(), extra.end());
    daemon_ = std::make_unique<Daemon>(dir_.File("g.db"), args);
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
  }
  std::string NewCase(const std::string& received) {
    CommandResult r =
        daemon_->Cli({"case", "new", "--received", received, "--channel",
                      "mail", "--applicant-type", "natural_person",
                      "--applicant", "张三", "--request", "某项信息"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return Trim(r.out);
  }
  void Ok(std::vector<std::string> args) {
    CommandResult r = daemon_->Cli(args);
    EXPECT_EQ(r.exit_code, 0) << args[1] << ": " << r.err;
  }
  std::string Refused(std::vector<std::string> args) {
    CommandResult r = daemon_->Cli(args);
    EXPECT_EQ(r.exit_code, 1) << args[1] << " should be refused; " << r.out;
    return r.err;
  }
  Json Show(const std::string& no) {
    return daemon_->CliJson({"case", "show", no});
  }
  std::string Due(const std::string& no) {
    const Json shown = Show(no);  // Find points into it: keep it alive
    const Json* due = shown.Find("due_on");
    return due->is_null() ? "null" : due->as_string();
  }

  std::string today_ = "2024-06-28";
  ScratchDir dir_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(ClocksFlowTest, ExtensionThenConsultation) {
  Start();
  std::string no = NewCase("2024-01-19");
  EXPECT_EQ(Due(no), "2024-02-21");
  Ok({"case", "extend", no, "--date", "2024-02-05", "--days", "10",
      "--approved-by", "李主任", "--reason", "需要调查"});
  EXPECT_EQ(Due(no), "2024-03-06");
  Ok({"case", "consult", no, "--date", "2024-02-20", "--party", "某公司"});
  // Today (06-28) is past the consultation's 15 days: until its reply is
  // entered it counts as lapsed, adding all 15.
  EXPECT_FALSE(Show(no).Find("paused")->as_bool());
  Ok({"case", "consult-reply", no, "--date", "2024-02-28"});
  Json c = Show(no);
  EXPECT_EQ(c.Find("due_on")->as_string(), "2024-03-14");
  EXPECT_EQ(c.Find("extension_days")->as_int(), 10);
  EXPECT_FALSE(c.Find("paused")->as_bool());
  bool found_consultation = false;
  for (const Json& clock : c.Find("clocks")->as_array()) {
    if (clock.Find("kind")->as_string() == "consultation") {
      found_consultation = true;
      EXPECT_EQ(clock.Find("due_on")->as_string(), "2024-03-12");
      EXPECT_EQ(clock.Find("state")->as_string(), "met");
    }
  }
  EXPECT_TRUE(found_consultation);
  CommandResult explain = daemon_->Cli({"case", "deadline", no});
  EXPECT_THAT(explain.out,
              HasSubstr("20 (period) + 6 (paused) + 10 (extension, Art. 33)"));
  EXPECT_THAT(explain.out, HasSubstr("skipped days off 02-12 Mon 春节"));
  EXPECT_THAT(explain.out, HasSubstr("Reply due on 2024-03-14 (Thursday)"));
}

TEST_F(ClocksFlowTest, CorrectionRestartsAndNoCorrectionCloses) {
  Start();
  std::string a = NewCase("2024-03-04");
  Ok({"case", "request-correction", a, "--date", "2024-03-06"});
  Json waiting = Show(a);
  EXPECT_EQ(waiting.Find("state")->as_string(), "awaiting_correction");
  EXPECT_TRUE(waiting.Find("paused")->as_bool());
  EXPECT_TRUE(waiting.Find("due_on")->is_null());
  Ok({"case", "corrected", a, "--date", "2024-03-15"});
  EXPECT_EQ(Due(a),
            "2024-04-15");  // 20 working days from 03-15, 清明 04-04..06
  Ok({"case", "answer", a, "--date", "2024-04-10", "--outcome",
      "unavailable_unclear_after_correction"});

  std::string b = NewCase("2024-03-04");
  Ok({"case", "request-correction", b, "--date", "2024-03-06", "--period-days",
      "5"});
  EXPECT_THAT(Refused({"case", "answer", b, "--date", "2024-03-13", "--outcome",
                       "other_no_correction"}),
              HasSubstr("runs until 2024-03-13"));
  Ok({"case", "answer", b, "--date", "2024-03-14", "--outcome",
      "other_no_correction"});
  EXPECT_EQ(Show(b).Find("outcome")->as_string(), "other_no_correction");
}

TEST_F(ClocksFlowTest, FeeWithdrawAndQuotes) {
  Start();
  std::string a = NewCase("2024-03-04");
  Ok({"case", "fee-notice", a, "--date", "2024-03-08", "--amount", "300"});
  Json waiting = Show(a);
  EXPECT_EQ(waiting.Find("state")->as_string(), "awaiting_fee");
  EXPECT_EQ(waiting.Find("fee_amount_yuan")->as_string(), "300");
  Ok({"case", "fee-paid", a, "--date", "2024-03-18"});
  // 20 + 6 paused working days after 2024-03-04.
  EXPECT_EQ(Due(a), "2024-04-10");

  std::string b = NewCase("2024-03-05");
  Ok({"case", "withdraw", b, "--date", "2024-03-07", "--reason", "申请人撤回"});
  Json w = Show(b);
  EXPECT_EQ(w.Find("state")->as_string(), "closed");
  EXPECT_EQ(w.Find("outcome")->as_string(), "other");

  Json per_page = daemon_->CliJson({"fee", "quote", "--pages", "150"});
  EXPECT_EQ(per_page.Find("fee_yuan")->as_int(), 1700);
  Json per_piece =
      daemon_->CliJson({"fee", "quote", "--pieces-this-month", "31"});
  EXPECT_EQ(per_piece.Find("fee_yuan")->as_int(), 200);
  Json from_records = daemon_->CliJson(
      {"fee", "quote", "--applicant", "张三", "--month", "2024-03"});
  EXPECT_EQ(from_records.Find("pieces_this_month")->as_int(), 2);
}

TEST_F(ClocksFlowTest, IllegalSequencesChangeNothing) {
  Start();
  std::string a = NewCase("2024-03-04");
  Ok({"case", "answer", a, "--date", "2024-03-20", "--outcome", "disclosed"});
  std::string b = NewCase("2024-03-04");
  Ok({"case", "extend", b, "--date", "2024-03-10", "--days", "5",
      "--approved-by", "主任", "--reason", "复杂"});
  std::string c = NewCase("2024-03-04");  // due 2024-04-01
  const std::string before = Show(a).Dump() + Show(b).Dump() + Show(c).Dump();

  EXPECT_THAT(
      Refused({"case", "request-correction", a, "--date", "2024-03-21"}),
      HasSubstr("already closed"));
  EXPECT_THAT(Refused({"case", "consult-reply", c, "--date", "2024-03-21"}),
              HasSubstr("no consultation awaiting a reply"));
  EXPECT_THAT(Refused({"case", "extend", b, "--date", "2024-03-12", "--days",
                       "5", "--approved-by", "主任", "--reason", "again"}),
              HasSubstr("at most one extension"));
  EXPECT_THAT(Refused({"case", "extend", c, "--date", "2024-04-03", "--days",
                       "5", "--approved-by", "主任", "--reason", "late"}),
              HasSubstr("passed before 2024-04-03"));
  EXPECT_THAT(Refused({"case", "fee-paid", c, "--date", "2024-03-21"}),
              HasSubstr("no fee notice awaiting payment"));
  EXPECT_THAT(Refused({"case", "extend", c, "--date", "2024-03-12", "--days",
                       "21", "--approved-by", "主任", "--reason", "x"}),
              HasSubstr("1 to 20 working days"));
  EXPECT_EQ(Show(a).Dump() + Show(b).Dump() + Show(c).Dump(), before);
}

TEST_F(ClocksFlowTest, AlertsAsOfChosenDays) {
  Start();
  std::string a = NewCase("2024-03-04");  // due 2024-04-01
  auto kinds = [&](const std::string& day) {
    std::vector<std::string> out;
    const Json list = daemon_->CliJson({"alerts", "--as-of", day});
    for (const Json& j : list.as_array()) {
      out.push_back(j.Find("kind")->as_string() + "@" +
                    (j.Find("case_no")->is_null()
                         ? "-"
                         : j.Find("case_no")->as_string()));
    }
    return out;
  };
  EXPECT_THAT(kinds("2024-03-12"),
              ::testing::ElementsAre("correction_notice_due@" + a));
  EXPECT_THAT(kinds("2024-03-20"), ::testing::IsEmpty());
  EXPECT_THAT(kinds("2024-03-22"), ::testing::IsEmpty());
  EXPECT_THAT(kinds("2024-03-25"),
              ::testing::ElementsAre("reply_due_soon@" + a));
  EXPECT_THAT(kinds("2024-04-01"),
              ::testing::ElementsAre("reply_due_today@" + a));
  EXPECT_THAT(kinds("2024-04-02"),
              ::testing::ElementsAre("reply_overdue@" + a));
  Json listed = daemon_->CliJson({"alerts", "--as-of", "2024-03-25"});
  EXPECT_EQ(listed.as_array()[0].Find("due_on")->as_string(), "2024-04-01");
  EXPECT_EQ(listed.as_array()[0].Find("working_days_left")->as_int(), 5);
}

TEST_F(ClocksFlowTest, HookFiresOncePerAlertAcrossRestarts) {
  const std::string out = dir_.File("hook.out");
  Start({"--alert-hook", "cat >> " + out});
  std::string no = NewCase("2024-05-06");  // due 2024-05-31: overdue today
  auto wait_lines = [&](size_t n) {
    for (int i = 0; i < 250 && Lines(out).size() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return Lines(out);
  };
  std::vector<std::string> lines = wait_lines(1);
  ASSERT_EQ(lines.size(), 1u) << daemon_->log();
  absl::StatusOr<Json> alert = Json::Parse(lines[0]);
  ASSERT_TRUE(alert.ok());
  EXPECT_EQ(alert->Find("kind")->as_string(), "reply_overdue");
  EXPECT_EQ(alert->Find("case_no")->as_string(), no);

  EXPECT_EQ(daemon_->Stop(), 0);
  ASSERT_TRUE(daemon_->Start()) << daemon_->log();
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_EQ(Lines(out).size(), 1u);  // not again after the restart

  NewCase("2024-06-27");  // a new case raises nothing yet
  Ok({"case", "extend", no, "--date", "2024-05-30", "--days", "20",
      "--approved-by", "主任", "--reason", "复杂"});
  // Extended to 2024-07-01, one working day away: a new reply_due_soon alert.
  lines = wait_lines(2);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[1], HasSubstr("reply_due_soon"));
}

TEST_F(ClocksFlowTest, FailingHookIsRetried) {
  const std::string out = dir_.File("hook.out");
  const std::string ready = dir_.File("ready");
  Start({"--alert-hook", "test -f " + ready + " && cat >> " + out});
  NewCase("2024-05-06");
  for (int i = 0;
       i < 100 && daemon_->log().find("alert hook failed") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_THAT(daemon_->log(), HasSubstr("alert hook failed"));
  { std::ofstream(ready) << "ok"; }
  for (int i = 0; i < 400 && Lines(out).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(Lines(out).size(), 1u);
}

TEST_F(ClocksFlowTest, WatchSeesAnAlertRaisedByAnotherClient) {
  Start();
  auto watcher = daemon_->CliInBackground({"--json", "watch", "--count", "1"});
  for (int i = 0;
       i < 250 && watcher->ErrSoFar().find("watching") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_THAT(watcher->ErrSoFar(), HasSubstr("watching"));
  std::string no = NewCase("2024-05-06");  // overdue at once
  CommandResult r;
  ASSERT_TRUE(watcher->Wait(5000, &r)) << watcher->ErrSoFar();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  absl::StatusOr<Json> alert = Json::Parse(Trim(r.out));
  ASSERT_TRUE(alert.ok()) << r.out;
  EXPECT_EQ(alert->Find("case_no")->as_string(), no);
  EXPECT_EQ(alert->Find("kind")->as_string(), "reply_overdue");
}

TEST_F(ClocksFlowTest, LoadingACalendarReschedulesOpenCases) {
  today_ = "2026-12-28";
  Start();
  std::string no = NewCase("2026-12-20");
  Json before = Show(no);
  EXPECT_TRUE(before.Find("due_on")->is_null());
  EXPECT_THAT(before.Find("due_on_problem")->as_string(), HasSubstr("2027"));
  Json alerts = daemon_->CliJson({"alerts"});
  ASSERT_EQ(alerts.as_array().size(), 1u);
  EXPECT_EQ(alerts.as_array()[0].Find("kind")->as_string(), "deadline_unknown");

  const std::string file = dir_.File("2027.cal");
  {
    std::ofstream f(file);
    f << "year 2027\noff 2027-01-01 元旦\noff 2027-02-06 2027-02-12 春节\n"
         "work 2027-02-14 春节调休\n";
  }
  CommandResult bad =
      daemon_->AdminCli({"calendar", "load", dir_.File("missing.cal")});
  EXPECT_NE(bad.exit_code, 0);
  CommandResult loaded = daemon_->AdminCli({"calendar", "load", file});
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
  // 20 working days after 2026-12-20 (Sun): 12-21..12-31 (9), 01-01 off,
  // then 01-04..01-15 (10) and 01-18.
  EXPECT_EQ(Due(no), "2027-01-18");
  Json c = Show(no);
  EXPECT_EQ(c.Find("events")->as_array().back().Find("kind")->as_string(),
            "deadline_recalculated");
  // The loaded year survives a restart.
  daemon_->Stop();
  ASSERT_TRUE(daemon_->Start());
  EXPECT_EQ(Due(no), "2027-01-18");
  Json year = daemon_->CliJson({"calendar", "show", "--year", "2027"});
  EXPECT_EQ(year.Find("makeup_workdays")->as_array().size(), 1u);
}

}  // namespace
}  // namespace gongkai::testing

namespace gongkai::testing {
namespace {

// Issue "The law at its edges", through the real binaries: a late step is
// refused citing the article, kept with --late-reason without moving the
// deadline; `case complete` ends the correction notice clock; the party's
// receipt moves the consultation's lapse.
TEST_F(ClocksFlowTest, LateStepsCompleteAndTheConsultedPartysReceipt) {
  Start();
  // Received Mon 2023-03-06: due Mon 2023-04-03.
  const std::string late = NewCase("2023-03-06");
  std::string why =
      Refused({"case", "request-correction", late, "--date", "2023-04-04"});
  EXPECT_THAT(why, HasSubstr("Arts. 30, 33"));
  EXPECT_THAT(why, HasSubstr("--late-reason"));
  EXPECT_EQ(Show(late).Find("events")->as_array().size(), 1u);
  Ok({"case", "request-correction", late, "--date", "2023-04-04",
      "--late-reason", "补正告知书4月4日才寄出"});
  Ok({"case", "corrected", late, "--date", "2023-04-10"});
  EXPECT_EQ(Due(late), "2023-04-03");
  Json shown = Show(late);
  ASSERT_EQ(shown.Find("late_steps")->as_array().size(), 1u);
  EXPECT_EQ(shown.Find("late_steps")->as_array()[0].Find("kind")->as_string(),
            "correction_requested");
  CommandResult human = daemon_->Cli({"case", "show", late});
  EXPECT_THAT(human.out,
              HasSubstr("recorded out of time: 补正告知书4月4日才寄出"));

  // Recorded complete: the correction notice clock ends.
  const std::string complete = NewCase("2023-03-06");
  Ok({"case", "complete", complete, "--date", "2023-03-07"});
  Json c = Show(complete);
  EXPECT_EQ(c.Find("complete_on")->as_string(), "2023-03-07");
  for (const Json& clock : c.Find("clocks")->as_array()) {
    if (clock.Find("kind")->as_string() == "correction_notice") {
      EXPECT_EQ(clock.Find("state")->as_string(), "ended");
    }
  }

  // Sent Wed 03-08, received Mon 03-13: the party's 15 working days end
  // 04-03 (not 03-29, as counted from the letter).
  const std::string consulted = NewCase("2023-03-06");
  Ok({"case", "consult", consulted, "--date", "2023-03-08", "--party",
      "某公司"});
  Ok({"case", "consult-received", consulted, "--date", "2023-03-13"});
  Json k = Show(consulted);
  const Json& letter = k.Find("consultations")->as_array()[0];
  EXPECT_EQ(letter.Find("received_on")->as_string(), "2023-03-13");
  EXPECT_EQ(letter.Find("lapses_on")->as_string(), "2023-04-03");
}

}  // namespace
}  // namespace gongkai::testing
