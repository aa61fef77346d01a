// gongkai alerts | watch | fee quote
#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/render.h"
#include "common/dates.h"
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
  j.Set("message", TextOrNull(a.message()));
  j.Set("key", a.key());
  j.Set("raised_at", TextOrNull(a.raised_at()));
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
    *ctx.out << (ctx.lang == Lang::kEn
                     ? absl::StrCat("Nothing due as of ",
                                    DateText(resp.as_of()), ".")
                     : absl::StrCat("截至 ", DateText(resp.as_of()),
                                    "，没有到期事项。"))
             << "\n"
             << hidden;
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {
      {ctx.Ts("期限", "Due"), ctx.Ts("剩余工作日", "Left"),
       ctx.Ts("申请编号", "Case"), ctx.Ts("提醒", "Alert"),
       ctx.Ts("承办人", "Handler"), ctx.Ts("说明", "Message")}};
  const bool marks = ctx.args.Has("all");
  if (marks) rows[0].push_back(ctx.Ts("标记", "Mark"));
  for (const v1::Alert& a : resp.alerts()) {
    rows.push_back({DateText(a.due_on()), absl::StrCat(a.working_days_left()),
                    a.case_no().empty() ? "-" : a.case_no(), a.kind(),
                    a.handler().empty() ? "-" : a.handler(), a.message()});
    if (marks) rows.back().push_back(MarkText(ctx, a));
  }
  *ctx.out << (ctx.lang == Lang::kEn
                   ? absl::StrCat("Alerts as of ", DateText(resp.as_of()))
                   : absl::StrCat("截至 ", DateText(resp.as_of()),
                                  " 的到期提醒"))
           << "\n"
           << FormatTable(ShownRows(std::move(rows)), {false, true}) << hidden;
  return absl::OkStatus();
}

// alert ack | snooze | unmark KEY
absl::Status MarkAlert(CommandContext& ctx, const std::string& action) {
  v1::MarkAlertRequest r;
  r.set_key(ctx.args.positional()[0]);
  r.set_action(action);
  if (action == "snooze") {
    if (ctx.args.Has("until") == ctx.args.Has("days")) {
      return UsageError("请给出 --until 日期 或 --days 天数 之一",
                        "give one of --until DATE or --days N");
    }
    if (ctx.args.Has("until")) {
      ASSIGN_OR_RETURN(*r.mutable_snooze_until(),
                       DateArg(ctx.args.Get("until"), "--until"));
    } else {
      int days = 0;
      if (!absl::SimpleAtoi(ctx.args.Get("days"), &days) || days < 1) {
        return UsageError("--days 应为正整数",
                          "--days must be a positive number");
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

// The first wait before reconnecting, and the longest.
constexpr absl::Duration kFirstRetry = absl::Milliseconds(500);
constexpr absl::Duration kLongestRetry = absl::Seconds(30);

// Streams alerts until stopped. When gongkaid goes away (a restart, a
// crash, the network) it says so once, reconnects with a doubling back-off
// and says so again when it is back; only a refused token or role, or a
// stop (Ctrl-C, SIGTERM, --count), ends it.
absl::Status Watch(CommandContext& ctx) {
  int limit = 0;
  if (ctx.args.Has("count") &&
      (!absl::SimpleAtoi(ctx.args.Get("count"), &limit) || limit < 1)) {
    return UsageError("--count 须为正整数",
                      "--count must be a positive number");
  }
  if (ctx.stop != nullptr) ctx.stop->Listen();
  auto stopped = [&] { return ctx.stop != nullptr && ctx.stop->stopped(); };
  // Returns true when told to stop during the wait.
  auto wait = [&](absl::Duration d) {
    if (ctx.wait) {
      ctx.wait(d);
      return stopped();
    }
    if (ctx.stop != nullptr) return ctx.stop->WaitFor(d);
    absl::SleepFor(d);
    return false;
  };
  absl::Duration retry = kFirstRetry;
  bool connected_once = false;
  bool lost = false;
  int seen = 0;
  while (!stopped()) {
    auto stub = v1::AlertService::NewStub(ctx.Channel());
    grpc::ClientContext call;
    ctx.Authenticate(call);
    if (ctx.stop != nullptr) ctx.stop->OnStop([&call] { call.TryCancel(); });
    auto reader = stub->WatchAlerts(&call, v1::WatchAlertsRequest());
    // Wait for the stream to open so "watching" is only printed when true.
    reader->WaitForInitialMetadata();
    // The wait ends with the server's first answer or with a failure to
    // reach it; only in the first case is the channel ready.
    if (ctx.Channel()->GetState(false) == GRPC_CHANNEL_READY) {
      if (!connected_once) {
        *ctx.err << ctx.Ts("正在接收 ", "watching alerts from ") << ctx.server
                 << ctx.Ts(" 的到期提醒（按 Ctrl-C 停止）", " (Ctrl-C to stop)")
                 << std::endl;
      } else if (lost) {
        *ctx.err << FormatChinaTime(absl::Now()) << "  "
                 << ctx.Ts("已重新连接 ", "reconnected to gongkaid at ")
                 << ctx.server
                 << ctx.Ts(" 上的 gongkaid，继续接收到期提醒",
                           "; watching again")
                 << std::endl;
      }
      connected_once = true;
      lost = false;
      retry = kFirstRetry;
    }
    v1::Alert a;
    bool done = false;
    while (reader->Read(&a)) {
      if (ctx.json) {
        *ctx.out << AlertJson(a).Dump() << std::endl;
      } else {
        *ctx.out << TimeText(a.raised_at()) << "  " << a.kind() << "  "
                 << (a.case_no().empty() ? "-" : a.case_no()) << "  "
                 << ctx.Ts("期限 ", "due ") << DateText(a.due_on()) << "  "
                 << a.message() << std::endl;
      }
      if (limit > 0 && ++seen >= limit) {
        done = true;
        call.TryCancel();
        break;
      }
    }
    grpc::Status s = reader->Finish();
    if (ctx.stop != nullptr) ctx.stop->OnStop(nullptr);
    if (done || stopped()) return absl::OkStatus();
    if (s.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
        s.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      return ctx.CallFailed(s);
    }
    if (!lost) {
      // The stream ended (a daemon shutting down ends it cleanly) or
      // failed: either way the daemon is gone for now.
      const std::string why =
          s.ok() ? std::string(ctx.Ts("连接已关闭", "the stream ended"))
                 : MessageIn(ctx.CallFailed(s), ctx.lang);
      *ctx.err << FormatChinaTime(absl::Now()) << "  "
               << ctx.Ts("与 gongkaid 的连接中断（", "lost gongkaid (") << why
               << ctx.Ts("）；正在重新连接……", "); reconnecting...")
               << std::endl;
      lost = true;
    }
    if (wait(retry)) return absl::OkStatus();
    retry = std::min(retry * 2, kLongestRetry);
    // A new channel: gRPC's own reconnect back-off would otherwise fail the
    // next attempts at once, long after the daemon is back.
    RETURN_IF_ERROR(ctx.Connect());
  }
  return absl::OkStatus();
}

absl::Status FeeQuote(CommandContext& ctx) {
  v1::QuoteFeeRequest r;
  int given = ctx.args.Has("pieces-this-month") + ctx.args.Has("pages") +
              ctx.args.Has("applicant");
  if (given != 1) {
    return UsageError(
        "--pieces-this-month N、--pages N、--applicant NAME 三者只能给出一个",
        "give exactly one of --pieces-this-month N, --pages N or "
        "--applicant NAME");
  }
  auto number = [&](const char* flag) -> absl::StatusOr<int> {
    int v = 0;
    if (!absl::SimpleAtoi(ctx.args.Get(flag), &v) || v < 1) {
      return UsageError(
          absl::StrCat("--", flag, " 须为正整数，而不是 '", ctx.args.Get(flag),
                       "'"),
          absl::StrCat("--", flag, " must be a positive number, not '",
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
  if (ctx.lang == Lang::kEn) {
    *ctx.out << "Fee: " << q.fee_yuan() << " yuan ("
             << (q.method() == "per_page" ? "per page" : "per piece") << ")\n";
  } else {
    *ctx.out << "信息处理费：" << q.fee_yuan() << " 元（"
             << (q.method() == "per_page" ? "按量计收" : "按件计收") << "）\n";
  }
  for (const std::string& l : q.explanation()) *ctx.out << "  " << l << "\n";
  return absl::OkStatus();
}

}  // namespace

void AddAlertCommands(std::vector<Command>& table) {
  table.push_back(Command{
      "alerts",
      {"列出到期提醒，最近到期的在前", "List what is due, soonest first"},
      {"种类：reply_due_soon、reply_due_today、reply_overdue、"
       "correction_notice_due、\ncorrection_period_expired、"
       "third_party_reply_overdue、agency_reply_overdue、\nfee_payment_"
       "expired、"
       "annual_report_due、annual_report_overdue、deadline_unknown。",
       "Kinds: reply_due_soon, reply_due_today, reply_overdue, "
       "correction_notice_due,\ncorrection_period_expired, "
       "third_party_reply_overdue, agency_reply_overdue,\nfee_payment_expired, "
       "annual_report_due, annual_report_overdue, deadline_unknown."},
      [](CLI::App& app) {
        AddOption(
            app, "as-of", "DATE",
            {"按 DATE 而不是今天计算", "evaluate on DATE instead of today"});
        AddFlag(app, "all",
                {"也列出你已确认或暂缓的提醒，并加标记",
                 "also the alerts you acknowledged or snoozed, marked"});
      },
      Alerts});
  table.push_back(Command{
      "alert ack",
      {"确认一条提醒：不再出现在你的列表中",
       "Acknowledge an alert: leave it out of your list"},
      {"只改变你自己的列表；提醒钩子和 watch 不受影响。KEY 是提醒的键"
       "（gongkai alerts --json）。\n新的情况（另一个到期日、另一个期限）"
       "是一条新的提醒，会重新显示。",
       "Only your own list changes; the alert hook and watch are not "
       "affected. KEY is the\nalert's key (gongkai alerts --json). A new fact "
       "(another due day, another clock)\nis a new alert and shows again."},
      [](CLI::App& app) {
        AddPositional(app, "KEY", {"提醒的键", "the alert's key"});
      },
      [](CommandContext& ctx) { return MarkAlert(ctx, "acknowledge"); }});
  table.push_back(Command{
      "alert snooze",
      {"在某日之前不在你的列表中显示一条提醒",
       "Leave an alert out of your list until a day"},
      {"只改变你自己的列表；到所给日期提醒重新显示。",
       "Only your own list changes; the alert shows again on the day given."},
      [](CLI::App& app) {
        AddPositional(app, "KEY", {"提醒的键", "the alert's key"});
        AddOption(app, "until", "DATE",
                  {"在 DATE 重新显示", "show it again on DATE"});
        AddOption(app, "days", "N",
                  {"N 天后重新显示", "show it again in N days"});
      },
      [](CommandContext& ctx) { return MarkAlert(ctx, "snooze"); }});
  table.push_back(
      Command{"alert unmark",
              {"撤销你对一条提醒的确认或暂缓",
               "Undo your acknowledgement or snooze of an alert"},
              "",
              [](CLI::App& app) {
                AddPositional(app, "KEY", {"提醒的键", "the alert's key"});
              },
              [](CommandContext& ctx) { return MarkAlert(ctx, "clear"); }});
  table.push_back(Command{
      "watch",
      {"持续接收新产生的到期提醒，直到被中断",
       "Stream new alerts as they are raised, until interrupted"},
      {"gongkaid 重启或连接中断时，watch 会说明并自动重新连接（等待 0.5 秒起，"
       "\n每次加倍，最长 30 秒），连接恢复时再说明一次。只有令牌或角色被拒绝时"
       "\n以非零状态退出；Ctrl-C 或 SIGTERM 使它正常退出（状态 0）。",
       "When gongkaid restarts or the connection drops, watch says so and "
       "reconnects\n(waiting 0.5 s, doubling up to 30 s), and says so again "
       "when it is back. It exits\nnon-zero only when the token or role is "
       "refused; Ctrl-C or SIGTERM end it with 0."},
      [](CLI::App& app) {
        AddOption(app, "count", "N",
                  {"收到 N 条提醒后停止", "stop after N alerts"});
      },
      Watch});
  table.push_back(Command{
      "fee quote",
      {"计算信息处理费", "Compute an information-processing fee"},
      {"按件计收：按申请人本自然月内提出申请的件数（1-10 件免费，11-30 件：100 "
       "元，"
       "\n31-40 件：200 元，41-50 件：300 元，此后每增加 10 件加收 100 元）。"
       "\n按量计收：1-30 页免费，31-100 页：每页 10 元，101-200 页：每页 20 "
       "元，"
       "200 页以上：每页 40 元。\n--pieces-this-month、--pages、--applicant "
       "三者只能给出一个。",
       "Per piece: by the applicant's number of applications this calendar "
       "month\n(1-10 free, 11-30: 100, 31-40: 200, 41-50: 300, +100 per "
       "further 10).\nPer page: 1-30 free, 31-100: 10, 101-200: 20, over 200: "
       "40 yuan per page.\nGive exactly one of --pieces-this-month, --pages "
       "or --applicant."},
      [](CLI::App& app) {
        AddOption(app, "pieces-this-month", "N",
                  {"申请人本月的第 N 件申请",
                   "the applicant's Nth application this month"});
        AddOption(app, "pages", "N",
                  {"一件申请的页数", "pages of one application"});
        AddOption(app, "applicant", "NAME",
                  {"从记录中统计该申请人的申请件数",
                   "count this applicant's applications from the records"});
        AddOption(app, "month", "YYYY-MM",
                  {"与 --applicant "
                   "一起用：统计的月份（默认：该申请人最近一次申请的月份）",
                   "with --applicant: the month (default: the month of the "
                   "applicant's latest application)"});
      },
      FeeQuote});
}

}  // namespace gongkai::cli
