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
  return j;
}

absl::Status Alerts(CommandContext& ctx) {
  v1::ListAlertsRequest r;
  if (ctx.args.Has("as-of")) {
    ASSIGN_OR_RETURN(*r.mutable_as_of(),
                     DateArg(ctx.args.Get("as-of"), "--as-of"));
  }
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
  if (resp.alerts_size() == 0) {
    *ctx.out << "Nothing due as of " << DateText(resp.as_of()) << ".\n";
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {{"期限 Due", "剩余 Left",
                                                 "编号 Case", "提醒 Alert",
                                                 "经办 Handler", "说明"}};
  for (const v1::Alert& a : resp.alerts()) {
    rows.push_back({DateText(a.due_on()), absl::StrCat(a.working_days_left()),
                    a.case_no().empty() ? "-" : a.case_no(), a.kind(),
                    a.handler().empty() ? "-" : a.handler(), a.message()});
  }
  *ctx.out << "Alerts as of " << DateText(resp.as_of()) << "\n"
           << FormatTable(rows, {false, true});
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
      },
      Alerts});
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
