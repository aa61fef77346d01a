// gongkai case amend | reopen: correcting what was recorded about a case.
#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/command.h"
#include "cli/render.h"
#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "domain/amendment.h"
#include "domain/codes.h"
#include "gongkai/v1/case_service.grpc.pb.h"

namespace gongkai::cli {
namespace {

// The CLI's option for each amendable field, in AmendableFields() order.
struct FieldOption {
  absl::string_view field;
  const char* option;
};
constexpr FieldOption kFieldOptions[] = {
    {"received_on", "received"},
    {"channel", "channel"},
    {"applicant_type", "applicant-type"},
    {"applicant", "applicant"},
    {"request", "request"},
    {"contact", "contact"},
    {"id_number", "id-number"},
};

std::string Detail(const v1::CaseEvent& e, absl::string_view key) {
  auto it = e.details().find(std::string(key));
  return it == e.details().end() ? std::string() : it->second;
}

// The last event of `kind`, or null.
const v1::CaseEvent* LastEvent(const v1::Case& c, absl::string_view kind) {
  const v1::CaseEvent* last = nullptr;
  for (const v1::CaseEvent& e : c.events()) {
    if (e.kind() == kind) last = &e;
  }
  return last;
}

absl::Status Send(CommandContext& ctx, const v1::Case& c) {
  if (ctx.json) {
    *ctx.out << CaseToJson(c, true).Dump(2) << "\n";
  }
  return absl::OkStatus();
}

absl::Status Amend(CommandContext& ctx) {
  const CommandArgs& a = ctx.args;
  v1::AmendCaseRequest r;
  r.set_name(a.positional()[0]);
  r.set_reason(a.Get("reason"));
  std::vector<absl::string_view> given;
  for (const FieldOption& f : kFieldOptions) {
    if (a.Has(f.option)) given.push_back(f.field);
  }
  if (given.empty()) {
    return UsageError(
        "请至少给出一项要更正的内容：--received、--channel、"
        "--applicant-type、--applicant、--request、--contact 或 --id-number",
        "give at least one field to amend: --received, --channel, "
        "--applicant-type, --applicant, --request, --contact or --id-number");
  }
  if (a.Has("received")) {
    ASSIGN_OR_RETURN(*r.mutable_received_on(),
                     DateArg(a.Get("received"), "--received"));
  }
  if (a.Has("channel")) {
    ASSIGN_OR_RETURN(Channel channel, ParseChannel(a.Get("channel")));
    r.set_channel(ToProto(channel));
  }
  if (a.Has("applicant-type")) {
    ASSIGN_OR_RETURN(ApplicantType type,
                     ParseApplicantType(a.Get("applicant-type")));
    r.set_applicant_type(ToProto(type));
  }
  if (a.Has("applicant")) r.set_applicant(a.Get("applicant"));
  if (a.Has("request")) r.set_request(a.Get("request"));
  if (a.Has("contact")) r.set_contact(a.Get("contact"));
  if (a.Has("id-number")) r.set_id_number(a.Get("id-number"));

  auto stub = v1::CaseService::NewStub(ctx.Channel());
  v1::Case c;
  auto call = ctx.NewCall();
  grpc::Status s = stub->AmendCase(call.get(), r, &c);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) return Send(ctx, c);

  const v1::CaseEvent* e = LastEvent(c, "amended");
  std::vector<std::string> changed;
  if (e != nullptr) {
    changed = absl::StrSplit(Detail(*e, "changed"), ',', absl::SkipEmpty());
  }
  *ctx.out << ctx.T("案件 ", "Case ") << c.case_no()
           << ctx.T(" 已更正：", " amended:") << "\n";
  std::vector<std::string> same;
  for (absl::string_view field : given) {
    const std::string name = AmendFieldName(field, ctx.lang);
    if (std::find(changed.begin(), changed.end(), field) == changed.end()) {
      same.push_back(name);
      continue;
    }
    *ctx.out << "  " << name << ctx.T("：", ": ")
             << Shown(AmendValueText(field,
                                     Detail(*e, absl::StrCat(field, "_before")),
                                     ctx.lang))
             << " → "
             << Shown(AmendValueText(
                    field, Detail(*e, absl::StrCat(field, "_after")), ctx.lang))
             << "\n";
  }
  if (!same.empty()) {
    *ctx.out << ctx.T("未更改（与现有记录相同）：",
                      "Not changed (already as given): ")
             << absl::StrJoin(same, ctx.T("、", ", ")) << "\n";
  }
  if (c.state() != v1::CASE_STATE_CLOSED) {
    *ctx.out << ctx.T("答复期限：", "Reply due: ") << ReplyDueLine(c, ctx.lang)
             << "\n";
  }
  return absl::OkStatus();
}

absl::Status Reopen(CommandContext& ctx) {
  v1::ReopenCaseRequest r;
  r.set_name(ctx.args.positional()[0]);
  r.set_reason(ctx.args.Get("reason"));
  auto stub = v1::CaseService::NewStub(ctx.Channel());
  v1::Case c;
  auto call = ctx.NewCall();
  grpc::Status s = stub->ReopenCase(call.get(), r, &c);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) return Send(ctx, c);
  *ctx.out << ctx.T("案件 ", "Case ") << c.case_no()
           << ctx.T(
                  " 已重新办理，原办理结果已撤销；请用 case answer "
                  "记录正确的办理结果。",
                  " reopened; its outcome is cleared. Record the right "
                  "outcome with 'case answer'.")
           << "\n";
  *ctx.out << ctx.T("答复期限：", "Reply due: ") << ReplyDueLine(c, ctx.lang)
           << "\n";
  return absl::OkStatus();
}

}  // namespace

void AddAmendCommands(std::vector<Command>& table) {
  table.push_back(Command{
      "case amend",
      {"更正申请的登记信息（收到申请日期、申请方式、申请人等）",
       "Correct a case's intake fields (receipt date, channel, applicant, "
       "...)"},
      {"给出要更正的项目和更正原因（--reason）。每项更正的原值、新值和原因都"
       "记入办理记录，\n不删除任何记录；与现有记录相同的项目不算更正。收到"
       "申请日期不能晚于今天，也不能晚于\n已记录的第一个办理步骤；答复期限和"
       "年度报告统计随之重新计算。已发布年度的数据\n受期间锁定保护"
       "（--force-reason）。",
       "Give the fields to correct and the reason (--reason). Each change "
       "is kept in the case history\nwith its value before and after and "
       "the reason; nothing is deleted. A field equal to its current\n"
       "value is no change. The receipt date may not be in the future nor "
       "after the first recorded step;\ndeadlines and the year-end counts "
       "follow. A published year is locked (--force-reason)."},
      [](CLI::App& app) {
        AddPositional(app, "NO", {"申请编号", "the case number"});
        AddRequired(app, "reason", "TEXT",
                    {"更正原因", "why the record is corrected"});
        AddOption(app, "received", "DATE",
                  {"收到申请日期，YYYY-MM-DD", "the receipt date, YYYY-MM-DD"});
        AddOption(app, "channel", "CH",
                  {"in_person | mail | letter | online | fax（或中文名称）",
                   "in_person | mail | letter | online | fax"});
        AddOption(app, "applicant-type", "TYPE",
                  {"申请人类型（代码或中文名称）",
                   "applicant type, code or Chinese label"});
        AddOption(app, "applicant", "NAME",
                  {"申请人姓名或名称", "the applicant's name"});
        AddOption(app, "request", "TEXT",
                  {"所需信息的内容描述", "the information requested"});
        AddOption(app, "contact", "TEXT",
                  {"通信地址、电话或电子邮箱（空字符串表示清除）",
                   "address, phone or e-mail ('' clears it)"});
        AddOption(app, "id-number", "TEXT",
                  {"身份证件号码（空字符串表示清除）",
                   "identity document number ('' clears it)"});
      },
      Amend});
  table.push_back(Command{
      "case reopen",
      {"重新办理已办结（或已撤回）的申请",
       "Reopen a closed (or withdrawn) case"},
      {"撤销原办理结果和答复日期（办理记录中保留），申请回到办理中，再用 "
       "case answer 记录\n正确的办理结果；年度报告统计随之变化。限承办人"
       "和负责人操作。",
       "Its outcome and answer date are cleared (the history keeps them); "
       "the case is open again\nand is answered again with 'case answer'. "
       "The year-end counts follow. Handlers and heads only."},
      [](CLI::App& app) {
        AddPositional(app, "NO", {"申请编号", "the case number"});
        AddRequired(app, "reason", "TEXT",
                    {"重新办理的原因", "why the case is reopened"});
      },
      Reopen});
}

}  // namespace gongkai::cli
