#include "server/rpc/alert_service.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "server/alerts/alert_engine.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {
namespace {

void AlertToProto(const Alert& a, v1::Alert* out) {
  out->set_kind(a.kind);
  out->set_case_no(a.case_no);
  ToProto(a.due_on, out->mutable_due_on());
  out->set_working_days_left(a.working_days_left);
  out->set_message(a.message);
  out->set_clock_id(a.clock_id);
  out->set_key(a.key);
  out->set_handler(a.assignee);
}

// Streamed alerts travel through the hub as their stored JSON.
bool FromJson(const std::string& payload, v1::Alert* out) {
  absl::StatusOr<Json> j = Json::Parse(payload);
  if (!j.ok() || !j->is_object()) return false;
  auto text = [&](const char* key) {
    const Json* v = j->Find(key);
    return v != nullptr && v->is_string() ? v->as_string() : std::string();
  };
  out->set_kind(text("kind"));
  out->set_case_no(text("case_no"));
  out->set_clock_id(text("clock_id"));
  out->set_message(text("message"));
  out->set_raised_at(text("raised_at"));
  out->set_key(text("key"));
  out->set_handler(text("handler"));
  if (absl::StatusOr<absl::CivilDay> due = ParseDate(text("due_on"));
      due.ok()) {
    ToProto(*due, out->mutable_due_on());
  }
  if (const Json* left = j->Find("working_days_left"); left && left->is_int()) {
    out->set_working_days_left(static_cast<int32_t>(left->as_int()));
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<Alert>> AlertServiceImpl::InForce(
    absl::CivilDay as_of) const {
  std::optional<std::vector<Alert>> indexed;
  if (env_.alerts_in_force) indexed = env_.alerts_in_force(as_of);
  if (indexed.has_value()) return *std::move(indexed);
  alerts::AlertEngine engine(env_);
  return engine.Evaluate(as_of);
}

grpc::Status AlertServiceImpl::ListAlerts(grpc::ServerContext* context,
                                          const v1::ListAlertsRequest* request,
                                          v1::ListAlertsResponse* response) {
  return Serve(
      env_, "ListAlerts", *context, [&](const Caller& caller) -> absl::Status {
        absl::CivilDay as_of = env_.time->Today();
        if (request->has_as_of()) {
          ASSIGN_OR_RETURN(as_of, FromProto(request->as_of(), "as-of date"));
        }
        ASSIGN_OR_RETURN(std::vector<Alert> alerts, InForce(as_of));
        // Only the caller's agencies' alerts, less those it acknowledged
        // or snoozed (unless asked for).
        ASSIGN_OR_RETURN(app::MarkedAlerts shown,
                         marks_.Apply(caller, std::move(alerts), as_of,
                                      request->include_marked()));
        for (const app::MarkedAlert& m : shown.alerts) {
          v1::Alert* out = response->add_alerts();
          AlertToProto(m.alert, out);
          out->set_mark(m.mark);
          if (m.snoozed_until.has_value()) {
            ToProto(*m.snoozed_until, out->mutable_snoozed_until());
          }
        }
        response->set_hidden(shown.hidden);
        ToProto(as_of, response->mutable_as_of());
        return absl::OkStatus();
      });
}

grpc::Status AlertServiceImpl::MarkAlert(grpc::ServerContext* context,
                                         const v1::MarkAlertRequest* request,
                                         v1::MarkAlertResponse* response) {
  return Serve(
      env_, "MarkAlert", *context, [&](const Caller& caller) -> absl::Status {
        const std::string& action = request->action();
        const absl::CivilDay today = env_.time->Today();
        response->set_key(request->key());
        if (action == "clear") {
          return marks_.Clear(caller, request->key());
        }
        ASSIGN_OR_RETURN(std::vector<Alert> in_force, InForce(today));
        if (action == "acknowledge") {
          RETURN_IF_ERROR(marks_.Acknowledge(caller, request->key(), in_force));
          response->set_mark("acknowledged");
          return absl::OkStatus();
        }
        if (action == "snooze") {
          absl::CivilDay until;
          if (request->has_snooze_until()) {
            ASSIGN_OR_RETURN(until,
                             FromProto(request->snooze_until(), "snooze date"));
          } else {
            until = today + request->snooze_days();
          }
          RETURN_IF_ERROR(
              marks_.Snooze(caller, request->key(), until, in_force));
          response->set_mark("snoozed");
          ToProto(until, response->mutable_snoozed_until());
          return absl::OkStatus();
        }
        return LocalizedError(
            absl::StatusCode::kInvalidArgument,
            absl::StrCat("未知的操作“", action,
                         "”；可用 acknowledge、snooze 或 clear"),
            absl::StrCat("unknown action '", action,
                         "'; use acknowledge, snooze or clear"));
      });
}

grpc::Status AlertServiceImpl::WatchAlerts(
    grpc::ServerContext* context, const v1::WatchAlertsRequest* request,
    grpc::ServerWriter<v1::Alert>* writer) {
  return Serve(
      env_, "WatchAlerts", *context, [&](const Caller& caller) -> absl::Status {
        if (env_.alert_hub == nullptr) {
          return LocalizedError(absl::StatusCode::kUnavailable,
                                "提醒目前没有在计算",
                                "alerts are not being evaluated");
        }
        uint64_t cursor = env_.alert_hub->Cursor();
        // Tell the client the stream is open before the first alert arrives.
        writer->SendInitialMetadata();
        while (!context->IsCancelled() && !stopping_) {
          for (const std::string& payload :
               env_.alert_hub->Next(&cursor, absl::Milliseconds(250))) {
            v1::Alert alert;
            if (!FromJson(payload, &alert)) continue;
            absl::StatusOr<Json> j = Json::Parse(payload);
            const Json* agency = j.ok() ? j->Find("agency") : nullptr;
            const bool office_wide =
                alert.case_no().empty() &&
                (agency == nullptr || !agency->is_string() ||
                 agency->as_string().empty());
            if (!office_wide && agency != nullptr && agency->is_string() &&
                !caller.SeesAgency(agency->as_string())) {
              continue;
            }
            if (!writer->Write(alert)) return absl::OkStatus();
          }
        }
        return absl::OkStatus();
      });
}

}  // namespace gongkai::rpc
