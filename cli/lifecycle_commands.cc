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
                 const std::string& done) {
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
  *ctx.out << "Case " << c.case_no() << ": " << done << "\n";
  if (c.state() != v1::CASE_STATE_CLOSED) {
    *ctx.out << "Reply due: " << ReplyDueLine(c) << "\n";
  }
  return absl::OkStatus();
}

absl::StatusOr<int> PositiveInt(const CommandContext& ctx, const char* flag) {
  int v = 0;
  if (!absl::SimpleAtoi(ctx.args.Get(flag), &v) || v < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "usage: --", flag, " must be a positive whole number, not '",
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
            "record it although it is out of time (the letter was sent "
            "anyway);\nit is kept with this reason and moves no deadline");
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
             "correction notice recorded; the reply clock stops until the "
             "corrected application arrives");
}

absl::Status Corrected(CommandContext& ctx) {
  v1::RecordCorrectionRequest r;
  SetLateReason(ctx, r);
  ASSIGN_OR_RETURN(*r.mutable_corrected_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  return Act(ctx, r, &Stub::RecordCorrection,
             "corrected application recorded; the reply period starts again");
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
    return absl::InvalidArgumentError(absl::StrCat(
        "usage: --kind must be third_party or agency, not '", kind, "'"));
  }
  return Act(
      ctx, r, &Stub::StartConsultation,
      "consultation recorded; the reply deadline is paused until it ends");
}

absl::Status ConsultReply(CommandContext& ctx) {
  v1::RecordConsultationReplyRequest r;
  ASSIGN_OR_RETURN(*r.mutable_replied_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  r.set_consultation_id(ctx.args.Get("id"));
  return Act(ctx, r, &Stub::RecordConsultationReply,
             "consultation reply recorded");
}

absl::Status ConsultReceived(CommandContext& ctx) {
  v1::RecordConsultationReceiptRequest r;
  ASSIGN_OR_RETURN(*r.mutable_received_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  r.set_consultation_id(ctx.args.Get("id"));
  return Act(ctx, r, &Stub::RecordConsultationReceipt,
             "the party's receipt recorded; its 15 working days count from it");
}

absl::Status Complete(CommandContext& ctx) {
  v1::MarkCompleteRequest r;
  ASSIGN_OR_RETURN(*r.mutable_complete_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  r.set_note(ctx.args.Get("note"));
  return Act(ctx, r, &Stub::MarkComplete,
             "recorded complete (受理/审查完毕); no correction notice is due");
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
    return absl::InvalidArgumentError(absl::StrCat(
        "usage: --kind must be statutory or unreasonable_volume, not '", kind,
        "'"));
  }
  return Act(ctx, r, &Stub::ExtendDeadline,
             absl::StrCat("deadline extended by ", days, " working days"));
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
      absl::StrCat("fee notice of ", FormatYuan(fen),
                   " yuan recorded; payment is due within 20 working days"));
}

absl::Status FeePaid(CommandContext& ctx) {
  v1::RecordFeePaymentRequest r;
  SetLateReason(ctx, r);
  ASSIGN_OR_RETURN(*r.mutable_paid_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  return Act(ctx, r, &Stub::RecordFeePayment, "fee payment recorded");
}

absl::Status Withdraw(CommandContext& ctx) {
  v1::WithdrawCaseRequest r;
  ASSIGN_OR_RETURN(*r.mutable_withdrawn_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  r.set_reason(ctx.args.Get("reason"));
  return Act(ctx, r, &Stub::WithdrawCase,
             "withdrawn; closed with outcome other (（六）3 其他)");
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
  *ctx.out << "Case " << e.case_no() << "\n";
  for (const std::string& l : e.lines()) *ctx.out << l << "\n";
  return absl::OkStatus();
}

// Every lifecycle command names its case and the day the step happened.
void CaseAndDate(CLI::App& app, const std::string& date_help) {
  AddPositional(app, "NO", "the case number");
  AddRequired(app, "date", "DATE", date_help + ", YYYY-MM-DD");
}

}  // namespace

void AddLifecycleCommands(std::vector<Command>& table) {
  table.push_back(Command{
      "case request-correction",
      "Record the correction notice (补正告知) sent to the applicant",
      "Allowed once, before the reply. The reply clock stops; it restarts "
      "from the day\nthe corrected application arrives. The notice is due "
      "within 7 working days of receipt.",
      [](CLI::App& app) {
        CaseAndDate(app, "date the notice was sent");
        AddOption(app, "period-days", "N",
                  "working days the applicant has to correct (default 10)");
        AddLateReason(app);
      },
      RequestCorrection});
  table.push_back(
      Command{"case corrected", "Record that the corrected application arrived",
              "The 20 working days start again from DATE (Art. 30).",
              [](CLI::App& app) {
                CaseAndDate(app, "date the corrected application was received");
                AddOption(app, "late-reason", "TEXT",
                          "after the applicant's correction period: the "
                          "applicant's good reason");
              },
              Corrected});
  table.push_back(Command{
      "case complete",
      "Record that the application is complete (受理/审查完毕)",
      "It needs no correction: the 7-working-day correction notice clock "
      "ends and raises\nno reminder. Any consultation, fee notice, extension "
      "or answer does the same.",
      [](CLI::App& app) {
        CaseAndDate(app, "date the application was reviewed");
        AddOption(app, "note", "TEXT", "optional note");
      },
      Complete});
  table.push_back(Command{
      "case consult",
      "Record a consultation letter (征求意见) to a third party or another "
      "agency",
      "The days until the reply (or the party's 15 working days) are not "
      "counted in the\nreply period (Arts. 32, 34). Several consultations may "
      "run; each gets an id (C1, C2, ...).",
      [](CLI::App& app) {
        CaseAndDate(app, "date the letter was sent");
        AddRequired(app, "party", "TEXT", "who is consulted");
        AddOption(app, "kind", "KIND", "third_party (default) or agency");
        AddOption(app, "received-on", "DATE",
                  "the day the party received the letter, if known "
                  "(YYYY-MM-DD)");
        AddLateReason(app);
      },
      Consult});
  table.push_back(Command{
      "case consult-received",
      "Record the day a consulted party received the letter",
      "The party's 15 working days (Arts. 32, 34) count from that day; until "
      "it is\nrecorded they count from the day the letter was sent.",
      [](CLI::App& app) {
        CaseAndDate(app, "date the party received the letter");
        AddOption(app, "id", "ID",
                  "which consultation (needed when several are open)");
      },
      ConsultReceived});
  table.push_back(
      Command{"case consult-reply", "Record the reply to a consultation", "",
              [](CLI::App& app) {
                CaseAndDate(app, "date the reply arrived");
                AddOption(app, "id", "ID",
                          "which consultation (needed when several are open)");
              },
              ConsultReply});
  table.push_back(Command{
      "case extend",
      "Record the office head's extension (延长答复期限) of the deadline",
      "At most 20 working days (15 for applications received before "
      "2019-05-15), once,\nbefore the current deadline passes (Art. 33). "
      "--kind unreasonable_volume records\nArt. 35's longer period for "
      "clearly unreasonable volume or frequency.",
      [](CLI::App& app) {
        CaseAndDate(app, "date approved and notified to the applicant");
        AddRequired(app, "days", "N", "working days added");
        AddRequired(app, "approved-by", "NAME", "the approving office head");
        AddRequired(app, "reason", "TEXT", "why");
        AddOption(app, "kind", "KIND",
                  "statutory (default) or unreasonable_volume");
        AddLateReason(app);
      },
      Extend});
  table.push_back(Command{
      "case fee-notice", "Record a fee notice (信息处理费) to the applicant",
      "The applicant has 20 working days from the day after receiving it to "
      "pay; the days\nuntil payment are not counted in the reply period "
      "(configurable on gongkaid).",
      [](CLI::App& app) {
        CaseAndDate(app, "date the applicant received the notice");
        AddRequired(app, "amount", "YUAN", "the fee, e.g. 300 or 300.50");
        AddLateReason(app);
      },
      FeeNotice});
  table.push_back(Command{
      "case fee-paid", "Record the fee payment",
      "Due within 20 working days from the day after the applicant received "
      "the notice;\nlater, the application is deemed abandoned (close it "
      "with other_fee_unpaid).",
      [](CLI::App& app) {
        CaseAndDate(app, "date paid");
        AddLateReason(app);
      },
      FeePaid});
  table.push_back(Command{
      "case withdraw",
      "Record that the applicant withdrew (撤回); closes with outcome other",
      "",
      [](CLI::App& app) {
        CaseAndDate(app, "date of the withdrawal");
        AddOption(app, "reason", "TEXT", "optional note");
      },
      Withdraw});
  table.push_back(Command{
      "case deadline", "Explain the reply deadline's arithmetic in plain words",
      "", [](CLI::App& app) { AddPositional(app, "NO", "the case number"); },
      Deadline});
}

}  // namespace gongkai::cli
