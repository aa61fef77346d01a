#include "server/rpc/report_service.h"

#include "absl/strings/str_cat.h"
#include "common/defaults.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "domain/case.h"
#include "formats/ledger.h"
#include "formats/text_encoding.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {
namespace {

using ::gongkai::ToProto;

void ToProto(const storage::AppealRecord& a, v1::Appeal* out) {
  out->set_id(a.id);
  out->set_case_no(a.case_no);
  out->set_kind(static_cast<v1::AppealKind>(a.kind));
  ToProto(a.filed_on, out->mutable_filed_on());
  if (a.result.has_value()) {
    out->set_result(static_cast<v1::AppealResult>(*a.result));
    ToProto(*a.decided_on, out->mutable_decided_on());
  }
}

void ToProto(const app::ReportView& view, v1::Report* out) {
  out->set_year(view.report.year);
  out->set_json(ReportToJson(view.report).Dump(2));
  out->set_published(view.published);
  out->set_published_at(view.published_at);
  out->set_shows_published(view.shows_published);
  for (const std::string& d : view.differences) out->add_differences(d);
  for (const std::string& w : view.warnings) out->add_warnings(w);
}

void ToProto(int year, const app::ProactiveTable& rows,
             v1::ProactiveFigures* out) {
  out->set_year(year);
  out->set_json(app::ProactiveJson(rows).Dump(2));
}

absl::StatusOr<AppealKind> KindFromProto(v1::AppealKind kind) {
  if (kind < 1 || kind > 3) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        "必须给出复议诉讼类型：reconsideration（行政复议）、litigation_"
        "direct（未经复议直接起诉）或 "
        "litigation_after_reconsideration（复议后起诉）",
        "appeal kind is required: reconsideration, litigation_direct or "
        "litigation_after_reconsideration");
  }
  return static_cast<AppealKind>(kind);
}

absl::StatusOr<AppealResult> ResultFromProto(v1::AppealResult result) {
  if (result < 1 || result > 3) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        "必须给出复议诉讼结果：upheld（维持）、corrected（纠正）或 "
        "other（其他）",
        "appeal result is required: upheld, corrected or other");
  }
  return static_cast<AppealResult>(result);
}

template <typename T>
std::optional<T> Optional(bool present, T value) {
  return present ? std::optional<T>(value) : std::nullopt;
}

}  // namespace

grpc::Status ReportServiceImpl::GetReport(grpc::ServerContext* context,
                                          const v1::GetReportRequest* request,
                                          v1::Report* response) {
  return Serve(
      env_, "GetReport", *context, [&](const Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(app::ReportView view,
                         request->published()
                             ? reports_.GetPublishedReport(
                                   caller, request->year(), request->agency())
                             : reports_.GetReport(caller, request->year(),
                                                  request->agency()));
        ToProto(view, response);
        return absl::OkStatus();
      });
}

grpc::Status ReportServiceImpl::PublishReport(
    grpc::ServerContext* context, const v1::PublishReportRequest* request,
    v1::Report* response) {
  return Serve(
      env_, "PublishReport", *context,
      [&](const Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(
            app::ReportView view,
            reports_.PublishReport(caller, request->year(), request->agency()));
        ToProto(view, response);
        return absl::OkStatus();
      });
}

grpc::Status ReportServiceImpl::CreateAppeal(
    grpc::ServerContext* context, const v1::CreateAppealRequest* request,
    v1::Appeal* response) {
  return Serve(
      env_, "CreateAppeal", *context,
      [&](const Caller& caller) -> absl::Status {
        app::NewAppeal appeal;
        ASSIGN_OR_RETURN(appeal.case_no, CaseNoFromName(request->case_no()));
        ASSIGN_OR_RETURN(appeal.kind, KindFromProto(request->kind()));
        ASSIGN_OR_RETURN(appeal.filed_on,
                         FromProto(request->filed_on(), "filing date"));
        ASSIGN_OR_RETURN(
            storage::AppealRecord stored,
            reports_.CreateAppeal(caller, appeal, ForceReason(*context)));
        ToProto(stored, response);
        return absl::OkStatus();
      });
}

grpc::Status ReportServiceImpl::DecideAppeal(
    grpc::ServerContext* context, const v1::DecideAppealRequest* request,
    v1::Appeal* response) {
  return Serve(
      env_, "DecideAppeal", *context,
      [&](const Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(AppealResult result,
                         ResultFromProto(request->result()));
        ASSIGN_OR_RETURN(absl::CivilDay decided,
                         FromProto(request->decided_on(), "decision date"));
        ASSIGN_OR_RETURN(storage::AppealRecord stored,
                         reports_.DecideAppeal(caller, request->id(), result,
                                               decided, ForceReason(*context)));
        ToProto(stored, response);
        return absl::OkStatus();
      });
}

grpc::Status ReportServiceImpl::ListAppeals(
    grpc::ServerContext* context, const v1::ListAppealsRequest* request,
    v1::ListAppealsResponse* response) {
  return Serve(
      env_, "ListAppeals", *context, [&](const Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(auto appeals,
                         reports_.ListAppeals(caller, request->year()));
        for (const auto& a : appeals) {
          ToProto(a, response->add_appeals());
        }
        return absl::OkStatus();
      });
}

grpc::Status ReportServiceImpl::SetProactive(
    grpc::ServerContext* context, const v1::SetProactiveRequest* request,
    v1::ProactiveFigures* response) {
  return Serve(
      env_, "SetProactive", *context,
      [&](const Caller& caller) -> absl::Status {
        app::ProactiveChange change;
        change.year = request->year();
        change.item = request->item();
        change.agency = request->agency();
        change.issued = Optional(request->has_issued(), request->issued());
        change.repealed =
            Optional(request->has_repealed(), request->repealed());
        change.in_force =
            Optional(request->has_in_force(), request->in_force());
        change.decisions =
            Optional(request->has_decisions(), request->decisions());
        change.amount_fen =
            Optional(request->has_amount_fen(), request->amount_fen());
        ASSIGN_OR_RETURN(
            app::ProactiveTable rows,
            reports_.SetProactive(caller, change, ForceReason(*context)));
        ToProto(change.year, rows, response);
        return absl::OkStatus();
      });
}

grpc::Status ReportServiceImpl::GetProactive(
    grpc::ServerContext* context, const v1::GetProactiveRequest* request,
    v1::ProactiveFigures* response) {
  return Serve(env_, "GetProactive", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(app::ProactiveTable rows,
                                  reports_.GetProactive(caller, request->year(),
                                                        request->agency()));
                 ToProto(request->year(), rows, response);
                 return absl::OkStatus();
               });
}

grpc::Status ReportServiceImpl::ImportLedger(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::ImportLedgerRequest>* reader,
    v1::ImportLedgerResponse* response) {
  // Serve authenticates from the metadata and takes a slot among the
  // expensive calls before the body reads the first piece: an unauthorised
  // or surplus stream is answered without reading it.
  return Serve(
      env_, "ImportLedger", *context,
      [&](const Caller& caller) -> absl::Status {
        // Tells the client the import is accepted.
        reader->SendInitialMetadata();
        app::LedgerImport ledger;
        v1::ImportLedgerRequest piece;
        bool first = true;
        while (reader->Read(&piece)) {
          if (first) {
            ledger.source = piece.source();
            ledger.agency = piece.agency();
            first = false;
          }
          if (ledger.content.size() + piece.content().size() >
              static_cast<size_t>(kMaxLedgerBytes)) {
            return LocalizedError(
                absl::StatusCode::kResourceExhausted,
                absl::StrCat("台账超过 ", kMaxLedgerBytes >> 20,
                             " MiB；请拆分为几个文件"),
                absl::StrCat("the ledger is larger than ",
                             kMaxLedgerBytes >> 20,
                             " MiB; split it into several files"));
          }
          ledger.content.append(piece.content());
        }
        if (context->IsCancelled()) {
          return LocalizedError(absl::StatusCode::kCancelled, "导入已取消",
                                "the import was cancelled");
        }
        // The source name is written to the cases' history, the
        // audit trail and the log.
        RETURN_IF_ERROR(ValidateText("the ledger's source name", ledger.source,
                                     false, 200, 0, false));
        ASSIGN_OR_RETURN(
            app::LedgerImportResult result,
            reports_.ImportLedger(caller, ledger, ForceReason(*context)));
        response->set_imported(result.imported);
        response->set_already_imported(result.already_imported);
        response->set_previous_import(result.previous_import);
        if (!result.already_imported) {
          const bool xlsx = result.format == LedgerFormat::kXlsx;
          response->set_format(xlsx ? "xlsx" : "csv");
          if (xlsx) {
            response->set_sheet(result.sheet);
          } else {
            response->set_encoding(std::string(EncodingCode(result.encoding)));
          }
        }
        return absl::OkStatus();
      });
}

grpc::Status ReportServiceImpl::ExportLedger(
    grpc::ServerContext* context, const v1::ExportLedgerRequest* request,
    v1::ExportLedgerResponse* response) {
  return Serve(
      env_, "ExportLedger", *context,
      [&](const Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(
            app::LedgerExport ledger,
            reports_.ExportLedger(
                caller, request->year(), request->agency(),
                request->codes() ? LedgerStyle::kCodes : LedgerStyle::kLabels));
        for (std::string& h : ledger.header) {
          response->add_header(std::move(h));
        }
        for (std::vector<std::string>& cells : ledger.rows) {
          v1::LedgerRow* row = response->add_rows();
          for (std::string& cell : cells) {
            row->add_cells(std::move(cell));
          }
        }
        return absl::OkStatus();
      });
}

}  // namespace gongkai::rpc
