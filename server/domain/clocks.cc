#include "server/domain/clocks.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"

namespace gongkai {

int ReplyPeriodDays(absl::CivilDay received_on) {
  return received_on < kRegulations2019Effective ? kLegacyReplyPeriodDays
                                                 : kReplyPeriodDays;
}

absl::StatusOr<ClockReport> ComputeClocks(const ClockFacts& facts,
                                          const WorkCalendar& calendar) {
  ClockReport report;
  report.reply_period_days = ReplyPeriodDays(facts.received_on);
  std::vector<std::string>& why = report.explanation;

  why.push_back(absl::StrCat("Received on ", FormatDate(facts.received_on), " (",
                             WeekdayName(facts.received_on), ")."));
  if (report.reply_period_days == kLegacyReplyPeriodDays) {
    why.push_back(absl::StrCat(
        "Reply period: ", report.reply_period_days,
        " working days, because the application was received before ",
        FormatDate(kRegulations2019Effective),
        " (2008 Regulations, Art. 24)."));
  } else {
    why.push_back(absl::StrCat("Reply period: ", report.reply_period_days,
                               " working days (Regulations, Art. 33)."));
  }
  why.push_back(absl::StrCat(
      "The receipt day is not counted (Civil Code Art. 201): counting starts on ",
      FormatDate(facts.received_on + 1),
      "; a working day is Monday-Friday unless an official day off, or a "
      "weekend day declared a make-up working day."));

  std::vector<CountedDay> trace;
  ASSIGN_OR_RETURN(report.reply_due,
                   calendar.AddWorkingDays(facts.received_on,
                                           report.reply_period_days, &trace));
  for (std::string& line : DescribeCount(trace)) {
    why.push_back(absl::StrCat("  ", line));
  }
  why.push_back(absl::StrCat("Reply due on ", FormatDate(report.reply_due), " (",
                             WeekdayName(report.reply_due), "), the ",
                             report.reply_period_days,
                             "th working day after receipt."));

  Clock reply{"reply", report.reply_due, "running"};
  if (facts.closed_on.has_value()) {
    reply.state = *facts.closed_on <= report.reply_due ? "met" : "missed";
    why.push_back(absl::StrCat(
        "Answered on ", FormatDate(*facts.closed_on),
        reply.state == "met" ? ", within the period." : ", after the deadline."));
  }
  report.clocks.push_back(reply);
  return report;
}

}  // namespace gongkai
