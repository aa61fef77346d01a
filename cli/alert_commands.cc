// gongkai alerts | watch | fee quote
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/render.h"
#include "common/status_macros.h"
#include "gongkai/v1/alert_service.grpc.pb.h"
#include "gongkai/v1/fee_service.grpc.pb.h"

namespace gongkai::cli {
namespace {

Json AlertJson(const v1::Alert& a) {
  Json j = Json::MakeObject();
  j.Set("case_no", a.case_no().empty() ? Json(nullptr) : Json(a.case_no()));
  j.Set("kind", a.kind());
  j.Set("due_on", DateJson(a.due_on(), a.has_due_on()));
  j.Set("working_days_left", a.working_days_left());
  j.Set("handler", a.handler().empty() ? Json(nullptr) : Json(a.handler()));
  j.Set("clock_id", a.clock_id().empty() ? Json(nullptr) : Json(a.clock_id()));
  j.Set("message", a.message());
  j.Set("key", a.key());
  if (!a.raised_at().empty()) j.Set("raised_at", a.raised_at());
  j.Set("mark", a.mark().empty() ? Json(nullptr) : Json(a.mark()));
  j.Set("snoozed_until", DateJson(a.snoozed_until(), a.has_snoozed_until()));
  return j;
}

// What the reader's mark on an alert says, for the table.
std::string MarkText(const CommandContext& ctx, const v1::Alert& a) {
  if (a.mark() == "acknowledged")
    return std::string(ctx.T("已确认", "acknowledged"));
  if (a.mark() == "snoozed") {
    return absl::StrCat(ctx.T("暂缓至 ", "snoozed until "),
                        DateText(a.snoozed_until()));
  }
  return "";
}

absl::Status Alerts(CommandContext& ctx) {
  v1::ListAlertsRequest r;
  if (ctx.args.Has("as-of")) {
    ASSIGN_OR_RETURN(*r.mutable_as_of(),
                     DateArg(ctx.args.Get("as-of"), "--as-of"));
  }
  r.set_include_marked(ctx.args.Has("all"));
  auto stub = v1::AlertService::NewStub(ctx.Channel());
  v1::ListAlertsResponse resp;
  auto call = ctx.NewCall();
  grpc::Status s = stub->ListAlerts(call.get(), r, &resp);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    Json list = Json::MakeArray();
    for (const v1::Alert& a : resp.alerts()) list.Push(AlertJson(a));
    *ctx.out << list.Dump(2) << "\n";
    return absl::OkStatus();
  }
  // Said after the list (or alone): what the reader's marks left out.
  const std::string hidden =
      resp.hidden() == 0
          ? ""
          : absl::StrCat(ctx.T("另有 ", "Also "), resp.hidden(),
                         ctx.T(" 条提醒已确认或暂缓，未列出；用 --all 查看。\n",
                               " alerts you acknowledged or snoozed are not "
                               "listed; see them with --all.\n"));
  if (resp.alerts_size() == 0) {
    *ctx.out << "Nothing due as of " << DateText(resp.as_of()) << ".\n"
             << hidden;
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {{"期限 Due", "剩余 Left",
                                                 "编号 Case", "提醒 Alert",
                                                 "经办 Handler", "说明"}};
  const bool marks = ctx.args.Has("all");
  if (marks) rows[0].push_back(std::string(ctx.T("标记", "Mark")));
  for (const v1::Alert& a : resp.alerts()) {
    rows.push_back({DateText(a.due_on()), absl::StrCat(a.working_days_left()),
                    a.case_no().empty() ? "-" : a.case_no(), a.kind(),
                    a.handler().empty() ? "-" : a.handler(), a.message()});
    if (marks) rows.back().push_back(MarkText(ctx, a));
  }
  *ctx.out << "Alerts as of " << DateText(resp.as_of()) << "\n"
           << FormatTable(rows, {false, true}) << hidden;
  return absl::OkStatus();
}

// alert ack | snooze | unmark KEY
absl::Status MarkAlert(CommandContext& ctx, const std::string& action) {
  v1::MarkAlertRequest r;
  r.set_key(ctx.args.positional()[0]);
  r.set_action(action);
  if (action == "snooze") {
    if (ctx.args.Has("until") == ctx.args.Has("days")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "usage: ", ctx.T("请给出 --until 日期 或 --days 天数 之一",
                           "give one of --until DATE or --days N")));
    }
    if (ctx.args.Has("until")) {
      ASSIGN_OR_RETURN(*r.mutable_snooze_until(),
                       DateArg(ctx.args.Get("until"), "--until"));
    } else {
      int days = 0;
      if (!absl::SimpleAtoi(ctx.args.Get("days"), &days) || days < 1) {
        return absl::InvalidArgumentError(absl::StrCat(
            "usage: ",
            ctx.T("--days 应为正整数", "--days must be a positive number")));
      }
      r.set_snooze_days(days);
    }
  }
  auto stub = v1::AlertService::NewStub(ctx.Channel());
  v1::MarkAlertResponse resp;
  auto call = ctx.NewCall();
  grpc::Status s = stub->MarkAlert(call.get(), r, &resp);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    Json j = Json::MakeObject();
    j.Set("key", resp.key());
    j.Set("mark", resp.mark().empty() ? Json(nullptr) : Json(resp.mark()));
    j.Set("snoozed_until",
          DateJson(resp.snoozed_until(), resp.has_snoozed_until()));
    *ctx.out << j.Dump(2) << "\n";
  } else if (resp.mark() == "acknowledged") {
    *ctx.out << ctx.T("已确认；在情况变化之前，你的提醒列表不再显示它。\n",
                      "Acknowledged; your alert list leaves it out until the "
                      "fact changes.\n");
  } else if (resp.mark() == "snoozed") {
    *ctx.out << absl::StrCat(
        ctx.T("已暂缓；", "Snoozed; "), ctx.T("自 ", "it shows again on "),
        DateText(resp.snoozed_until()),
        ctx.T(" 起重新显示在你的提醒列表中。\n", " in your alert list.\n"));
  } else {
    *ctx.out << ctx.T("已取消标记；你的提醒列表重新显示它。\n",
                      "Mark removed; your alert list shows it again.\n");
  }
  return absl::OkStatus();
}

absl::Status Watch(CommandContext& ctx) {
  int limit = 0;
  if (ctx.args.Has("count") &&
      (!absl::SimpleAtoi(ctx.args.Get("count"), &limit) || limit < 1)) {
    return absl::InvalidArgumentError(
        "usage: --count must be a positive number");
  }
  auto stub = v1::AlertService::NewStub(ctx.Channel());
  grpc::ClientContext call;
  ctx.Authenticate(call);
  auto reader = stub->WatchAlerts(&call, v1::WatchAlertsRequest());
  // Wait for the stream to open so "watching" is only printed when true.
  reader->WaitForInitialMetadata();
  *ctx.err << "watching alerts from " << ctx.server << " (Ctrl-C to stop)"
           << std::endl;
  v1::Alert a;
  int seen = 0;
  while (reader->Read(&a)) {
    if (ctx.json) {
      *ctx.out << AlertJson(a).Dump() << std::endl;
    } else {
      *ctx.out << a.raised_at() << "  " << a.kind() << "  "
               << (a.case_no().empty() ? "-" : a.case_no()) << "  due "
               << DateText(a.due_on()) << "  " << a.message() << std::endl;
    }
    if (limit > 0 && ++seen >= limit) {
      call.TryCancel();
      return absl::OkStatus();
    }
  }
  grpc::Status s = reader->Finish();
  if (!s.ok()) return ctx.CallFailed(s);
  return absl::OkStatus();
}

absl::Status FeeQuote(CommandContext& ctx) {
  v1::QuoteFeeRequest r;
  int given = ctx.args.Has("pieces-this-month") + ctx.args.Has("pages") +
              ctx.args.Has("applicant");
  if (given != 1) {
    return absl::InvalidArgumentError(
        "usage: give exactly one of --pieces-this-month N, --pages N or "
        "--applicant NAME");
  }
  auto number = [&](const char* flag) -> absl::StatusOr<int> {
    int v = 0;
    if (!absl::SimpleAtoi(ctx.args.Get(flag), &v) || v < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("usage: --", flag, " must be a positive number, not '",
                       ctx.args.Get(flag), "'"));
    }
    return v;
  };
  if (ctx.args.Has("pieces-this-month")) {
    ASSIGN_OR_RETURN(int n, number("pieces-this-month"));
    r.set_pieces_this_month(n);
  } else if (ctx.args.Has("pages")) {
    ASSIGN_OR_RETURN(int n, number("pages"));
    r.set_pages(n);
  } else {
    r.set_applicant(ctx.args.Get("applicant"));
    if (ctx.args.Has("month")) {
      ASSIGN_OR_RETURN(
          *r.mutable_month_of(),
          DateArg(absl::StrCat(ctx.args.Get("month"), "-01"), "--month"));
    }
  }
  auto stub = v1::FeeService::NewStub(ctx.Channel());
  v1::FeeQuote q;
  auto call = ctx.NewCall();
  grpc::Status s = stub->QuoteFee(call.get(), r, &q);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    Json j = Json::MakeObject();
    j.Set("method", q.method());
    if (q.method() == "per_page") {
      j.Set("pages", q.pages());
    } else {
      j.Set("pieces_this_month", q.pieces_this_month());
      j.Set("month_total_yuan", q.month_total_yuan());
    }
    j.Set("fee_yuan", q.fee_yuan());
    Json lines = Json::MakeArray();
    for (const std::string& l : q.explanation()) lines.Push(l);
    j.Set("explanation", lines);
    *ctx.out << j.Dump(2) << "\n";
    return absl::OkStatus();
  }
  *ctx.out << "Fee: " << q.fee_yuan() << " yuan ("
           << (q.method() == "per_page" ? "按量计收 per page"
                                        : "按件计收 per piece")
           << ")\n";
  for (const std::string& l : q.explanation()) *ctx.out << "  " << l << "\n";
  return absl::OkStatus();
}

}  // namespace

void AddAlertCommands(std::vector<Command>& table) {
  table.push_back(Command{
      "alerts", "List what is due (到期提醒), soonest first",
      "Kinds: reply_due_soon, reply_due_today, reply_overdue, "
      "correction_notice_due,\ncorrection_period_expired, "
      "third_party_reply_overdue, agency_reply_overdue,\nfee_payment_expired, "
      "annual_report_due, annual_report_overdue, deadline_unknown.",
      [](CLI::App& app) {
        AddOption(app, "as-of", "DATE", "evaluate on DATE instead of today");
        AddFlag(app, "all",
                "also the alerts you acknowledged or snoozed, marked");
      },
      Alerts});
  table.push_back(Command{
      "alert ack", "Acknowledge an alert: leave it out of your list",
      "Only your own list changes; the alert hook and watch are not "
      "affected. KEY is the\nalert's key (gongkai alerts --json). A new fact "
      "(another due day, another clock)\nis a new alert and shows again.",
      [](CLI::App& app) { AddPositional(app, "KEY", "the alert's key"); },
      [](CommandContext& ctx) { return MarkAlert(ctx, "acknowledge"); }});
  table.push_back(Command{
      "alert snooze", "Leave an alert out of your list until a day",
      "Only your own list changes; the alert shows again on the day given.",
      [](CLI::App& app) {
        AddPositional(app, "KEY", "the alert's key");
        AddOption(app, "until", "DATE", "show it again on DATE");
        AddOption(app, "days", "N", "show it again in N days");
      },
      [](CommandContext& ctx) { return MarkAlert(ctx, "snooze"); }});
  table.push_back(Command{
      "alert unmark", "Undo your acknowledgement or snooze of an alert", "",
      [](CLI::App& app) { AddPositional(app, "KEY", "the alert's key"); },
      [](CommandContext& ctx) { return MarkAlert(ctx, "clear"); }});
  table.push_back(Command{
      "watch", "Stream new alerts as they are raised, until interrupted", "",
      [](CLI::App& app) {
        AddOption(app, "count", "N", "stop after N alerts");
      },
      Watch});
  table.push_back(Command{
      "fee quote", "Compute an information-processing fee (信息处理费)",
      "Per piece (按件计收): by the applicant's number of applications this "
      "calendar month\n(1-10 free, 11-30: 100, 31-40: 200, 41-50: 300, +100 "
      "per further 10).\nPer page (按量计收): 1-30 free, 31-100: 10, 101-200: "
      "20, over 200: 40 yuan per page.\nGive exactly one of "
      "--pieces-this-month, --pages or --applicant.",
      [](CLI::App& app) {
        AddOption(app, "pieces-this-month", "N",
                  "the applicant's Nth application this month");
        AddOption(app, "pages", "N", "pages of one application");
        AddOption(app, "applicant", "NAME",
                  "count this applicant's applications from the records");
        AddOption(app, "month", "YYYY-MM",
                  "with --applicant: the month (default: the month of "
                  "the applicant's latest application)");
      },
      FeeQuote});
}

}  // namespace gongkai::cli
