// gongkai calendar add-workdays | show | load
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/render.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "gongkai/v1/calendar_service.grpc.pb.h"

namespace gongkai::cli {
namespace {

absl::Status AddWorkdays(CommandContext& ctx) {
  v1::AddWorkingDaysRequest request;
  ASSIGN_OR_RETURN(*request.mutable_start(),
                   DateArg(ctx.args.positional()[0], "DATE"));
  int days = 0;
  if (!absl::SimpleAtoi(ctx.args.positional()[1], &days) || days < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "usage: N must be a positive number of working days, not '",
        ctx.args.positional()[1], "'"));
  }
  request.set_days(days);
  auto stub = v1::CalendarService::NewStub(ctx.Channel());
  v1::AddWorkingDaysResponse response;
  auto call = ctx.NewCall();
  grpc::Status s = stub->AddWorkingDays(call.get(), request, &response);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    Json j = Json::MakeObject();
    j.Set("start", DateText(request.start()));
    j.Set("days", days);
    j.Set("result", DateText(response.result()));
    Json lines = Json::MakeArray();
    for (const std::string& l : response.explanation()) lines.Push(l);
    j.Set("explanation", lines);
    *ctx.out << j.Dump(2) << "\n";
    return absl::OkStatus();
  }
  *ctx.out << DateText(response.result()) << "\n";
  if (ctx.args.Has("explain")) {
    for (const std::string& l : response.explanation()) *ctx.out << l << "\n";
  }
  return absl::OkStatus();
}

absl::Status Show(CommandContext& ctx) {
  int year = 0;
  if (!absl::SimpleAtoi(ctx.args.Get("year"), &year)) {
    return absl::InvalidArgumentError(
        absl::StrCat("usage: --year must be a year such as 2024, not '",
                     ctx.args.Get("year"), "'"));
  }
  v1::GetCalendarYearRequest request;
  request.set_year(year);
  auto stub = v1::CalendarService::NewStub(ctx.Channel());
  v1::CalendarYear response;
  auto call = ctx.NewCall();
  grpc::Status s = stub->GetCalendarYear(call.get(), request, &response);
  if (!s.ok()) return ctx.CallFailed(s);
  auto day_json = [](const v1::CalendarDay& d) {
    Json j = Json::MakeObject();
    j.Set("date", DateText(d.date()));
    j.Set("name", d.name());
    return j;
  };
  if (ctx.json) {
    Json j = Json::MakeObject();
    j.Set("year", year);
    Json off = Json::MakeArray(), work = Json::MakeArray();
    for (const auto& d : response.days_off()) off.Push(day_json(d));
    for (const auto& d : response.makeup_workdays()) work.Push(day_json(d));
    j.Set("days_off", off);
    j.Set("makeup_workdays", work);
    j.Set("working_days", response.working_days());
    *ctx.out << j.Dump(2) << "\n";
    return absl::OkStatus();
  }
  auto weekday = [](const v1::Date& d) {
    absl::StatusOr<absl::CivilDay> day = FromProto(d, "date");
    return day.ok() ? WeekdayNameZh(*day) : "";
  };
  *ctx.out << year << " 年 working-day calendar: " << response.working_days()
           << " working days\n\n放假 Days off\n";
  std::vector<std::vector<std::string>> off;
  for (const auto& d : response.days_off()) {
    off.push_back({DateText(d.date()), weekday(d.date()), d.name()});
  }
  *ctx.out << FormatTable(off);
  *ctx.out << "\n调休上班 Make-up working days\n";
  std::vector<std::vector<std::string>> work;
  for (const auto& d : response.makeup_workdays()) {
    work.push_back({DateText(d.date()), weekday(d.date()), d.name()});
  }
  *ctx.out << FormatTable(work);
  return absl::OkStatus();
}

absl::Status Load(CommandContext& ctx) {
  const std::string& path = ctx.args.positional()[0];
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  v1::LoadCalendarRequest request;
  request.set_text(text.str());
  request.set_source(path);
  request.set_replace(ctx.args.Has("replace"));
  auto stub = v1::CalendarService::NewStub(ctx.Channel());
  v1::LoadCalendarResponse response;
  auto call = ctx.NewCall();
  grpc::Status s = stub->LoadCalendar(call.get(), request, &response);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    Json j = Json::MakeObject();
    Json years = Json::MakeArray(), covered = Json::MakeArray();
    for (int y : response.years()) years.Push(y);
    for (int y : response.covered_years()) covered.Push(y);
    j.Set("years", years);
    j.Set("covered_years", covered);
    j.Set("cases_rescheduled", response.cases_rescheduled());
    *ctx.out << j.Dump(2) << "\n";
    return absl::OkStatus();
  }
  *ctx.out << "Loaded " << response.years_size() << " year(s) from " << path
           << "; " << response.cases_rescheduled()
           << " open case(s) have a new reply deadline.\n";
  return absl::OkStatus();
}

}  // namespace

void AddCalendarCommands(std::vector<Command>& table) {
  table.push_back(Command{
      "calendar add-workdays",
      "Print the N-th working day after DATE (DATE itself not counted)",
      "A working day is Monday-Friday unless an official day off, or a weekend "
      "day\ndeclared a make-up working day (调休上班).",
      [](CLI::App& app) {
        AddPositional(app, "DATE", "the start day, YYYY-MM-DD");
        AddPositional(app, "N", "how many working days to add");
        AddFlag(app, "explain", "also show the counting week by week");
      },
      AddWorkdays});
  table.push_back(Command{
      "calendar show", "List a year's days off and make-up working days", "",
      [](CLI::App& app) { AddRequired(app, "year", "Y", "the year"); }, Show});
  table.push_back(Command{
      "calendar load",
      "Load or correct years of the working-day calendar (administrators)",
      "FILE is in the calendar format (docs/calendar.md): at most 5 years, "
      "each from 2008\n"
      "to two years ahead. A year the calendar already has is replaced "
      "(whole) only\n"
      "with --replace. Open cases follow the new calendar at once; each "
      "moved deadline\nis recorded in its case's history.",
      [](CLI::App& app) {
        AddPositional(app, "FILE", "the calendar file");
        AddFlag(app, "replace",
                "replace years the calendar already has (a corrected "
                "schedule)");
      },
      Load});
}

}  // namespace gongkai::cli
