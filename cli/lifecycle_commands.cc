// gongkai case request-correction | corrected | complete | consult |
// consult-received | consult-reply | extend | fee-notice | fee-paid |
// withdraw | deadline
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/render.h"
#include "common/status_macros.h"
#include "domain/case.h"
#include "gongkai/v1/case_service.grpc.pb.h"

namespace gongkai::cli {
namespace {

using Stub = v1::CaseService::Stub;

// Sends one lifecycle action and prints what it changed: with --json the
// whole case, otherwise one line and the reply deadline.
template <typename Request>
absl::Status Act(CommandContext& ctx, Request& request,
                 grpc::Status (Stub::*method)(grpc::ClientContext*,
                                              const Request&, v1::Case*),
                 const Text& done) {
  request.set_name(ctx.args.positional()[0]);
  auto stub = v1::CaseService::NewStub(ctx.Channel());
  v1::Case c;
  auto call = ctx.NewCall();
  grpc::Status s = ((*stub).*method)(call.get(), request, &c);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    *ctx.out << CaseToJson(c, true).Dump(2) << "\n";
    return absl::OkStatus();
  }
  *ctx.out << ctx.T("申请 ", "Case ") << c.case_no() << ctx.T("：", ": ")
           << done.In(ctx.lang) << "\n";
  if (c.state() != v1::CASE_STATE_CLOSED) {
    *ctx.out << ctx.T("答复期限：", "Reply due: ") << ReplyDueLine(c, ctx.lang)
             << "\n";
  }
  return absl::OkStatus();
}

absl::StatusOr<int> PositiveInt(const CommandContext& ctx, const char* flag) {
  int v = 0;
  if (!absl::SimpleAtoi(ctx.args.Get(flag), &v) || v < 1) {
    return UsageError(
        absl::StrCat("--", flag, " 须为正整数，而不是 '", ctx.args.Get(flag),
                     "'"),
        absl::StrCat("--", flag, " must be a positive whole number, not '",
                     ctx.args.Get(flag), "'"));
  }
  return v;
}

// --late-reason: record a step the law no longer allows at its date.
template <typename Request>
void SetLateReason(const CommandContext& ctx, Request& r) {
  r.set_late_reason(ctx.args.Get("late-reason"));
}

void AddLateReason(CLI::App& app) {
  AddOption(app, "late-reason", "TEXT",
            {"虽已超过时限仍予记录（文书已经发出）；\n连同此理由保存，"
             "不改变任何期限",
             "record it although it is out of time (the letter was sent "
             "anyway);\nit is kept with this reason and moves no deadline"});
}

absl::Status RequestCorrection(CommandContext& ctx) {
  v1::RequestCorrectionRequest r;
  SetLateReason(ctx, r);
  ASSIGN_OR_RETURN(*r.mutable_notice_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  if (ctx.args.Has("period-days")) {
    ASSIGN_OR_RETURN(int days, PositiveInt(ctx, "period-days"));
    r.set_period_days(days);
  }
  return Act(ctx, r, &Stub::RequestCorrection,
             {"已记录补正告知；答复期限暂停计算，至收到补正后的申请",
              "correction notice recorded; the reply clock stops until the "
              "corrected application arrives"});
}

absl::Status Corrected(CommandContext& ctx) {
  v1::RecordCorrectionRequest r;
  SetLateReason(ctx, r);
  ASSIGN_OR_RETURN(*r.mutable_corrected_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  return Act(ctx, r, &Stub::RecordCorrection,
             {"已记录收到补正后的申请；答复期限重新起算",
              "corrected application recorded; the reply period starts "
              "again"});
}

absl::Status Consult(CommandContext& ctx) {
  v1::StartConsultationRequest r;
  SetLateReason(ctx, r);
  ASSIGN_OR_RETURN(*r.mutable_sent_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  if (ctx.args.Has("received-on")) {
    ASSIGN_OR_RETURN(*r.mutable_received_on(),
                     DateArg(ctx.args.Get("received-on"), "--received-on"));
  }
  r.set_party(ctx.args.Get("party"));
  std::string kind = ctx.args.Get("kind", "third_party");
  if (kind == "agency") {
    r.set_kind(v1::StartConsultationRequest::KIND_AGENCY);
  } else if (kind != "third_party") {
    return UsageError(
        absl::StrCat("--kind 须为 third_party 或 agency，而不是 '", kind, "'"),
        absl::StrCat("--kind must be third_party or agency, not '", kind, "'"));
  }
  return Act(
      ctx, r, &Stub::StartConsultation,
      {"已记录征求意见；征求意见期间不计算在答复期限内",
       "consultation recorded; the reply deadline is paused until it ends"});
}

absl::Status ConsultReply(CommandContext& ctx) {
  v1::RecordConsultationReplyRequest r;
  ASSIGN_OR_RETURN(*r.mutable_replied_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  r.set_consultation_id(ctx.args.Get("id"));
  return Act(ctx, r, &Stub::RecordConsultationReply,
             {"已记录征求意见的回复", "consultation reply recorded"});
}

absl::Status ConsultReceived(CommandContext& ctx) {
  v1::RecordConsultationReceiptRequest r;
  ASSIGN_OR_RETURN(*r.mutable_received_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  r.set_consultation_id(ctx.args.Get("id"));
  return Act(
      ctx, r, &Stub::RecordConsultationReceipt,
      {"已记录被征求意见方收到征求意见书的日期；其 15 个工作日自该日起算",
       "the party's receipt recorded; its 15 working days count from "
       "it"});
}

absl::Status Complete(CommandContext& ctx) {
  v1::MarkCompleteRequest r;
  ASSIGN_OR_RETURN(*r.mutable_complete_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  r.set_note(ctx.args.Get("note"));
  return Act(ctx, r, &Stub::MarkComplete,
             {"已记录审查完毕；无需补正告知",
              "recorded complete; no correction notice is due"});
}

absl::Status Extend(CommandContext& ctx) {
  v1::ExtendDeadlineRequest r;
  SetLateReason(ctx, r);
  ASSIGN_OR_RETURN(*r.mutable_approved_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  ASSIGN_OR_RETURN(int days, PositiveInt(ctx, "days"));
  r.set_days(days);
  r.set_approved_by(ctx.args.Get("approved-by"));
  r.set_reason(ctx.args.Get("reason"));
  std::string kind = ctx.args.Get("kind", "statutory");
  if (kind == "unreasonable_volume") {
    r.set_kind(v1::ExtendDeadlineRequest::KIND_UNREASONABLE_VOLUME);
  } else if (kind != "statutory") {
    return UsageError(
        absl::StrCat("--kind 须为 statutory 或 unreasonable_volume，而不是 '",
                     kind, "'"),
        absl::StrCat("--kind must be statutory or unreasonable_volume, not '",
                     kind, "'"));
  }
  return Act(
      ctx, r, &Stub::ExtendDeadline,
      Text{absl::StrCat("已延期答复 ", days, " 个工作日"),
           absl::StrCat("deadline extended by ", days, " working days")});
}

absl::Status FeeNotice(CommandContext& ctx) {
  v1::SendFeeNoticeRequest r;
  SetLateReason(ctx, r);
  ASSIGN_OR_RETURN(*r.mutable_notice_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  ASSIGN_OR_RETURN(int64_t fen, ParseYuan(ctx.args.Get("amount")));
  r.set_amount_fen(fen);
  return Act(
      ctx, r, &Stub::SendFeeNotice,
      Text{absl::StrCat("已记录收费通知，金额 ", FormatYuan(fen),
                        " 元；申请人应在 20 个工作日内缴纳"),
           absl::StrCat("fee notice of ", FormatYuan(fen),
                        " yuan recorded; payment is due within 20 working "
                        "days")});
}

absl::Status FeePaid(CommandContext& ctx) {
  v1::RecordFeePaymentRequest r;
  SetLateReason(ctx, r);
  ASSIGN_OR_RETURN(*r.mutable_paid_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  return Act(ctx, r, &Stub::RecordFeePayment,
             {"已记录缴费", "fee payment recorded"});
}

absl::Status Withdraw(CommandContext& ctx) {
  v1::WithdrawCaseRequest r;
  ASSIGN_OR_RETURN(*r.mutable_withdrawn_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  r.set_reason(ctx.args.Get("reason"));
  return Act(ctx, r, &Stub::WithdrawCase,
             {"申请人已撤回申请；以（六）其他处理 3.其他 办结",
              "withdrawn; closed with outcome other"});
}

absl::Status Deadline(CommandContext& ctx) {
  auto stub = v1::CaseService::NewStub(ctx.Channel());
  v1::ExplainDeadlineRequest r;
  r.set_name(ctx.args.positional()[0]);
  v1::DeadlineExplanation e;
  auto call = ctx.NewCall();
  grpc::Status s = stub->ExplainDeadline(call.get(), r, &e);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    Json j = Json::MakeObject();
    j.Set("case_no", e.case_no());
    j.Set("due_on", DateJson(e.due_on(), e.has_due_on()));
    Json lines = Json::MakeArray();
    for (const std::string& l : e.lines()) lines.Push(l);
    j.Set("explanation", lines);
    *ctx.out << j.Dump(2) << "\n";
    return absl::OkStatus();
  }
  *ctx.out << ctx.T("申请 ", "Case ") << e.case_no() << "\n";
  for (const std::string& l : e.lines()) *ctx.out << l << "\n";
  return absl::OkStatus();
}

// Every lifecycle command names its case and the day the step happened.
void CaseAndDate(CLI::App& app, const Text& date_help) {
  AddPositional(app, "NO", {"申请编号", "the case number"});
  AddRequired(app, "date", "DATE",
              {date_help.zh + "，YYYY-MM-DD", date_help.en + ", YYYY-MM-DD"});
}

}  // namespace

void AddLifecycleCommands(std::vector<Command>& table) {
  table.push_back(Command{
      "case request-correction",
      {"记录向申请人发出的补正告知",
       "Record the correction notice sent to the applicant"},
      {"答复前只能补正一次。答复期限暂停计算，自收到补正后的申请之日起重新起算"
       "。"
       "\n补正告知应在收到申请之日起 7 个工作日内发出。",
       "Allowed once, before the reply. The reply clock stops; it restarts "
       "from the day\nthe corrected application arrives. The notice is due "
       "within 7 working days of receipt."},
      [](CLI::App& app) {
        CaseAndDate(app, {"发出补正告知的日期", "date the notice was sent"});
        AddOption(app, "period-days", "N",
                  {"申请人补正的期限，工作日（默认 10）",
                   "working days the applicant has to correct (default 10)"});
        AddLateReason(app);
      },
      RequestCorrection});
  table.push_back(Command{
      "case corrected",
      {"记录收到补正后的申请", "Record that the corrected application arrived"},
      {"20 个工作日自 DATE 起重新计算（《条例》第三十条）。",
       "The 20 working days start again from DATE (Art. 30)."},
      [](CLI::App& app) {
        CaseAndDate(app, {"收到补正后申请的日期",
                          "date the corrected application was received"});
        AddOption(app, "late-reason", "TEXT",
                  {"超过补正期限时：申请人的正当理由",
                   "after the applicant's correction period: the "
                   "applicant's good reason"});
      },
      Corrected});
  table.push_back(Command{
      "case complete",
      {"记录申请内容完整、审查完毕", "Record that the application is complete"},
      {"无需补正：7 个工作日的补正告知时限结束，不再提醒。"
       "\n征求意见、收费通知、延期答复或答复同样结束该时限。",
       "It needs no correction: the 7-working-day correction notice clock "
       "ends and raises\nno reminder. Any consultation, fee notice, extension "
       "or answer does the same."},
      [](CLI::App& app) {
        CaseAndDate(app,
                    {"审查申请的日期", "date the application was reviewed"});
        AddOption(app, "note", "TEXT", {"备注（可选）", "optional note"});
      },
      Complete});
  table.push_back(Command{
      "case consult",
      {"记录向第三方或其他机关发出的征求意见书",
       "Record a consultation letter to a third party or another agency"},
      {"至收到回复（或第三方的 15 个工作日届满）为止的时间不计算在答复期限内"
       "\n（《条例》第三十二条、第三十四条）。可同时征求多方意见；每一件有编号"
       "（C1、C2……）。",
       "The days until the reply (or the party's 15 working days) are not "
       "counted in the\nreply period (Arts. 32, 34). Several consultations "
       "may run; each gets an id (C1, C2, ...)."},
      [](CLI::App& app) {
        CaseAndDate(app, {"发出征求意见书的日期", "date the letter was sent"});
        AddRequired(app, "party", "TEXT",
                    {"被征求意见的一方", "who is consulted"});
        AddOption(app, "kind", "KIND",
                  {"third_party（第三方，默认）或 agency（其他机关）",
                   "third_party (default) or agency"});
        AddOption(app, "received-on", "DATE",
                  {"对方收到征求意见书的日期，如已知（YYYY-MM-DD）",
                   "the day the party received the letter, if known "
                   "(YYYY-MM-DD)"});
        AddLateReason(app);
      },
      Consult});
  table.push_back(Command{
      "case consult-received",
      {"记录被征求意见方收到征求意见书的日期",
       "Record the day a consulted party received the letter"},
      {"对方的 15 个工作日（《条例》第三十二条、第三十四条）自该日起算；"
       "\n记录之前，自发出之日起算。",
       "The party's 15 working days (Arts. 32, 34) count from that day; "
       "until it is\nrecorded they count from the day the letter was sent."},
      [](CLI::App& app) {
        CaseAndDate(app, {"对方收到征求意见书的日期",
                          "date the party received the letter"});
        AddOption(app, "id", "ID",
                  {"哪一件征求意见（有多件未结时必需）",
                   "which consultation (needed when several are open)"});
      },
      ConsultReceived});
  table.push_back(Command{
      "case consult-reply",
      {"记录征求意见的回复", "Record the reply to a consultation"},
      "",
      [](CLI::App& app) {
        CaseAndDate(app, {"收到回复的日期", "date the reply arrived"});
        AddOption(app, "id", "ID",
                  {"哪一件征求意见（有多件未结时必需）",
                   "which consultation (needed when several are open)"});
      },
      ConsultReply});
  table.push_back(Command{
      "case extend",
      {"记录经机关负责人同意的延期答复",
       "Record the office head's extension of the deadline"},
      {"最多 20 个工作日（2019-05-15 前收到的申请为 15 个），只能一次，"
       "\n须在当前期限届满前（《条例》第三十三条）。--kind unreasonable_volume "
       "记录\n《条例》第三十五条对数量、频次明显超过合理范围的申请另行确定的"
       "合理期限。",
       "At most 20 working days (15 for applications received before "
       "2019-05-15), once,\nbefore the current deadline passes (Art. 33). "
       "--kind unreasonable_volume records\nArt. 35's longer period for "
       "clearly unreasonable volume or frequency."},
      [](CLI::App& app) {
        CaseAndDate(app, {"同意并告知申请人的日期",
                          "date approved and notified to the applicant"});
        AddRequired(app, "days", "N", {"延长的工作日数", "working days added"});
        AddRequired(app, "approved-by", "NAME",
                    {"同意延期的机关负责人", "the approving office head"});
        AddRequired(app, "reason", "TEXT", {"延期理由", "why"});
        AddOption(app, "kind", "KIND",
                  {"statutory（法定延期，默认）或 unreasonable_volume",
                   "statutory (default) or unreasonable_volume"});
        AddLateReason(app);
      },
      Extend});
  table.push_back(Command{
      "case fee-notice",
      {"记录向申请人发出的信息处理费缴费通知",
       "Record a fee notice to the applicant"},
      {"申请人自收到通知次日起 20 个工作日内缴纳；至缴费之日的时间\n"
       "不计算在答复期限内（可在 gongkaid 上配置）。",
       "The applicant has 20 working days from the day after receiving it to "
       "pay; the days\nuntil payment are not counted in the reply period "
       "(configurable on gongkaid)."},
      [](CLI::App& app) {
        CaseAndDate(app, {"申请人收到通知的日期",
                          "date the applicant received the notice"});
        AddRequired(
            app, "amount", "YUAN",
            {"金额（元），如 300 或 300.50", "the fee, e.g. 300 or 300.50"});
        AddLateReason(app);
      },
      FeeNotice});
  table.push_back(Command{
      "case fee-paid",
      {"记录申请人缴费", "Record the fee payment"},
      {"应在申请人收到通知次日起 20 个工作日内缴纳；逾期未缴的，视为放弃申请"
       "\n（以 other_fee_unpaid 办结）。",
       "Due within 20 working days from the day after the applicant received "
       "the notice;\nlater, the application is deemed abandoned (close it "
       "with other_fee_unpaid)."},
      [](CLI::App& app) {
        CaseAndDate(app, {"缴费日期", "date paid"});
        AddLateReason(app);
      },
      FeePaid});
  table.push_back(Command{
      "case withdraw",
      {"记录申请人撤回申请；以“其他”办结",
       "Record that the applicant withdrew; closes with outcome other"},
      "",
      [](CLI::App& app) {
        CaseAndDate(app, {"撤回的日期", "date of the withdrawal"});
        AddOption(app, "reason", "TEXT", {"备注（可选）", "optional note"});
      },
      Withdraw});
  table.push_back(
      Command{"case deadline",
              {"用平实的话说明答复期限是怎样算出来的",
               "Explain the reply deadline's arithmetic in plain words"},
              "",
              [](CLI::App& app) {
                AddPositional(app, "NO", {"申请编号", "the case number"});
              },
              Deadline});
}

}  // namespace gongkai::cli
