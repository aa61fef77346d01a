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
    return UsageError(
        absl::StrCat("N 须为正整数（工作日数），而不是 '",
                     ctx.args.positional()[1], "'"),
        absl::StrCat("N must be a positive number of working days, not '",
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
    return UsageError(absl::StrCat("--year 须为年份，如 2024，而不是 '",
                                   ctx.args.Get("year"), "'"),
                      absl::StrCat("--year must be a year such as 2024, not '",
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
    j.Set("name", TextOrNull(d.name()));
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
  auto weekday = [&](const v1::Date& d) {
    absl::StatusOr<absl::CivilDay> day = FromProto(d, "date");
    if (!day.ok()) return std::string();
    return ctx.lang == Lang::kEn ? WeekdayName(*day) : WeekdayNameZh(*day);
  };
  if (ctx.lang == Lang::kEn) {
    *ctx.out << year << " working-day calendar: " << response.working_days()
             << " working days\n\nDays off\n";
  } else {
    *ctx.out << year << " 年工作日历：共 " << response.working_days()
             << " 个工作日\n\n放假\n";
  }
  std::vector<std::vector<std::string>> off;
  for (const auto& d : response.days_off()) {
    off.push_back({DateText(d.date()), weekday(d.date()), d.name()});
  }
  *ctx.out << FormatTable(off);
  *ctx.out << "\n" << ctx.T("调休上班", "Make-up working days") << "\n";
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
  if (!in) {
    return LocalizedError(absl::StatusCode::kNotFound,
                          absl::StrCat("无法读取 ", path),
                          absl::StrCat("cannot read ", path));
  }
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
  if (ctx.lang == Lang::kEn) {
    *ctx.out << "Loaded " << response.years_size() << " year(s) from " << path
             << "; " << response.cases_rescheduled()
             << " open case(s) have a new reply deadline.\n";
  } else {
    *ctx.out << "已从 " << path << " 载入 " << response.years_size()
             << " 个年度；" << response.cases_rescheduled()
             << " 件办理中的申请有了新的答复期限。\n";
  }
  return absl::OkStatus();
}

}  // namespace

void AddCalendarCommands(std::vector<Command>& table) {
  table.push_back(Command{
      "calendar add-workdays",
      {"输出 DATE 之后第 N 个工作日（DATE 当天不计）",
       "Print the N-th working day after DATE (DATE itself not counted)"},
      {"工作日是周一至周五（法定放假日除外），以及调休上班的周末。",
       "A working day is Monday-Friday unless an official day off, or a "
       "weekend day\ndeclared a make-up working day."},
      [](CLI::App& app) {
        AddPositional(app, "DATE",
                      {"起算日，YYYY-MM-DD", "the start day, YYYY-MM-DD"});
        AddPositional(app, "N",
                      {"加多少个工作日", "how many working days to add"});
        AddFlag(
            app, "explain",
            {"同时逐周列出计算过程", "also show the counting week by week"});
      },
      AddWorkdays});
  table.push_back(Command{"calendar show",
                          {"列出一年的放假日和调休上班日",
                           "List a year's days off and make-up working days"},
                          "",
                          [](CLI::App& app) {
                            AddRequired(app, "year", "Y", {"年份", "the year"});
                          },
                          Show});
  table.push_back(Command{
      "calendar load",
      {"载入或更正工作日历的年度（管理员）",
       "Load or correct years of the working-day calendar (administrators)"},
      {"FILE 为工作日历格式（docs/calendar.md）：最多 5 个年度，每个年度在 "
       "2008 "
       "年\n至两年后之间。日历中已有的年度只有给出 --replace "
       "时才会（整年）替换。"
       "\n办理中的申请立即按新日历计算；每个改变了的期限都记入该申请的办理记录"
       "。",
       "FILE is in the calendar format (docs/calendar.md): at most 5 years, "
       "each from 2008\nto two years ahead. A year the calendar already has "
       "is replaced (whole) only\nwith --replace. Open cases follow the new "
       "calendar at once; each moved deadline\nis recorded in its case's "
       "history."},
      [](CLI::App& app) {
        AddPositional(app, "FILE", {"工作日历文件", "the calendar file"});
        AddFlag(app, "replace",
                {"替换日历中已有的年度（更正后的安排）",
                 "replace years the calendar already has (a corrected "
                 "schedule)"});
      },
      Load});
}

}  // namespace gongkai::cli
