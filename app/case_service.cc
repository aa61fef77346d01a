#include "app/case_service.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/access.h"
#include "app/due_date.h"
#include "app/period_lock.h"
#include "common/lang.h"
#include "common/status_macros.h"

namespace gongkai::app {

ActionContext CaseService::Action(const Caller& caller,
                                  const WriteOptions& options) const {
  return ActionContext{caller.name, env_.time->Now(), env_.time->Today(),
                       options.late_reason};
}

CaseView CaseService::Complete(CaseRecord record, std::vector<CaseEvent> events,
                               Lang lang) const {
  CaseView view;
  view.record = std::move(record);
  view.events = std::move(events);
  std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
  const absl::CivilDay today = env_.time->Today();
  ClockOptions options = env_.clock_options;
  options.explain = false;  // the day-by-day account is for ExplainDeadline
  options.lang = lang;
  view.clocks = ComputeClocks(view.events, *calendar, options,
                              std::max(today, view.record.received_on));
  if (view.clocks.ok() && view.clocks->reply_due.has_value() &&
      view.record.state != CaseState::kClosed) {
    absl::StatusOr<int> left =
        calendar->WorkingDaysLeft(today, *view.clocks->reply_due);
    if (left.ok()) view.working_days_left = *left;
  }
  return view;
}

void CaseService::Announce(const CaseView& view) const {
  if (env_.on_case_saved) {
    env_.on_case_saved(view.record, view.events);
  } else if (env_.on_case_changed) {
    env_.on_case_changed(view.record.case_no);
  }
}

absl::StatusOr<CaseView> CaseService::Create(const Caller& caller,
                                             NewCase input,
                                             const WriteOptions& options) {
  CaseRecord stored;
  CaseEvent event;
  RETURN_IF_ERROR(env_.store->Write([&](storage::Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(const Caller now, ConfirmCaller(t, caller, "CreateCase"));
    ASSIGN_OR_RETURN(input.agency, ResolveAgency(t, now, input.agency));
    event = CaseEvent();
    ASSIGN_OR_RETURN(CaseRecord record, OpenCase(input, Action(now), &event));
    record.due_on = DueDateToKeep(record, {event}, *env_.calendar->Get(),
                                  env_.clock_options, env_.time->Today());
    ASSIGN_OR_RETURN(PeriodLock lock,
                     PeriodLock::Load(t, now, options.force_reason));
    RETURN_IF_ERROR(
        lock.CheckCase(std::nullopt, FactOf(record), record.agency));
    if (!lock.force_reason().empty()) {
      event.details.Set("forced", lock.force_reason());
    }
    ASSIGN_OR_RETURN(stored, t.cases().Insert(std::move(record), &event));
    return absl::OkStatus();
  }));
  CaseView view = Complete(std::move(stored), {std::move(event)}, caller.lang);
  Announce(view);
  return view;
}

absl::StatusOr<CaseView> CaseService::Get(const Caller& caller,
                                          absl::string_view case_no,
                                          bool reveal) {
  CaseRecord record;
  std::vector<CaseEvent> events;
  auto load = [&](storage::Tables& t, const Caller& who) -> absl::Status {
    ASSIGN_OR_RETURN(record, VisibleCase(t, who, case_no));
    ASSIGN_OR_RETURN(events, t.cases().Events(record.id));
    return absl::OkStatus();
  };
  if (!reveal) {
    RETURN_IF_ERROR(
        env_.store->Read([&](storage::Tables& t) { return load(t, caller); }));
    return Complete(std::move(record), std::move(events), caller.lang);
  }
  // Every reveal of personal data is itself on the audit trail, written in
  // the transaction that decided the caller may see it.
  RETURN_IF_ERROR(env_.store->Write([&](storage::Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(const Caller now, ConfirmCaller(t, caller, "GetCase"));
    if (now.role.has_value() && !MayReveal(*now.role)) {
      return LocalizedError(
          absl::StatusCode::kPermissionDenied,
          absl::StrCat(RoleCode(*now.role),
                       " 角色无权查看未遮盖的身份证件号码和联系方式"),
          absl::StrCat(RoleCode(*now.role),
                       " may not see identity numbers and contacts unmasked"));
    }
    RETURN_IF_ERROR(load(t, now));
    return t.audit().Append(storage::RecordEvent{
        "personal_data_revealed", absl::StrCat("case ", record.case_no),
        now.name, env_.time->Now()});
  }));
  return Complete(std::move(record), std::move(events), caller.lang);
}

absl::StatusOr<CaseListing> CaseService::List(const Caller& caller,
                                              storage::CaseQuery query) {
  if (!caller.SeesAllAgencies()) {
    if (query.agencies.empty()) {
      query.agencies = caller.agencies;
    } else {
      std::vector<std::string> mine;
      for (const std::string& a : query.agencies) {
        if (caller.SeesAgency(a)) mine.push_back(a);
      }
      if (mine.empty()) return CaseListing();
      query.agencies = std::move(mine);
    }
  }
  storage::CasePage page;
  std::map<int64_t, std::vector<CaseEvent>> events;
  RETURN_IF_ERROR(env_.store->Read([&](storage::Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(page, t.cases().List(query));
    std::vector<int64_t> ids;
    ids.reserve(page.cases.size());
    for (const CaseRecord& c : page.cases) ids.push_back(c.id);
    ASSIGN_OR_RETURN(events, t.cases().EventsOf(ids));
    return absl::OkStatus();
  }));
  CaseListing listing;
  listing.more = page.more;
  listing.total = page.total;
  listing.total_is_lower_bound = page.total_is_lower_bound;
  listing.cases.reserve(page.cases.size());
  for (CaseRecord& c : page.cases) {
    std::vector<CaseEvent> of_case = std::move(events[c.id]);
    listing.cases.push_back(
        Complete(std::move(c), std::move(of_case), caller.lang));
  }
  return listing;
}

absl::StatusOr<CaseView> CaseService::ExplainDeadline(
    const Caller& caller, absl::string_view case_no) {
  ASSIGN_OR_RETURN(CaseView view, Get(caller, case_no));
  std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
  ClockOptions options = env_.clock_options;
  options.explain = true;
  options.lang = caller.lang;
  view.clocks =
      ComputeClocks(view.events, *calendar, options,
                    std::max(env_.time->Today(), view.record.received_on));
  RETURN_IF_ERROR(view.clocks.status());
  return view;
}

absl::StatusOr<CaseView> CaseService::Change(const Caller& caller,
                                             absl::string_view action,
                                             absl::string_view case_no,
                                             const WriteOptions& options,
                                             const Step& step) {
  std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
  CaseRecord updated;
  std::vector<CaseEvent> events;
  RETURN_IF_ERROR(env_.store->Write([&](storage::Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(const Caller now, ConfirmCaller(t, caller, action));
    ASSIGN_OR_RETURN(const CaseRecord before, VisibleCase(t, now, case_no));
    ASSIGN_OR_RETURN(events, t.cases().Events(before.id));
    ASSIGN_OR_RETURN(PeriodLock lock,
                     PeriodLock::Load(t, now, options.force_reason));
    const Lifecycle lifecycle(Action(now, options), *calendar,
                              env_.clock_options);
    updated = before;
    ASSIGN_OR_RETURN(CaseEvent event, step(now, t, lifecycle, updated, events));
    {
      // The deadline kept for listing, with this step counted.
      std::vector<CaseEvent> with_step = events;
      with_step.push_back(event);
      updated.due_on = DueDateToKeep(updated, with_step, *calendar,
                                     env_.clock_options, env_.time->Today());
    }
    RETURN_IF_ERROR(
        lock.CheckCase(FactOf(before), FactOf(updated), updated.agency));
    // Before and after values for the case history.
    if (updated.state != before.state) {
      event.details.Set("state_before", std::string(Info(before.state).code));
      event.details.Set("state_after", std::string(Info(updated.state).code));
    }
    if (!lock.force_reason().empty()) {
      event.details.Set("forced", lock.force_reason());
    }
    RETURN_IF_ERROR(t.cases().Update(before, updated, &event));
    events.push_back(std::move(event));
    return absl::OkStatus();
  }));
  CaseView view = Complete(std::move(updated), std::move(events), caller.lang);
  Announce(view);
  return view;
}

absl::StatusOr<CaseView> CaseService::Answer(const Caller& caller,
                                             absl::string_view case_no,
                                             const AnswerInput& input,
                                             const WriteOptions& options) {
  return Change(
      caller, "AnswerCase", case_no, options,
      [&](const Caller&, storage::Tables&, const Lifecycle& l, CaseRecord& c,
          const std::vector<CaseEvent>& e) { return l.Answer(c, e, input); });
}

absl::StatusOr<CaseView> CaseService::Withdraw(const Caller& caller,
                                               absl::string_view case_no,
                                               absl::CivilDay date,
                                               const std::string& reason,
                                               const WriteOptions& options) {
  return Change(caller, "WithdrawCase", case_no, options,
                [&](const Caller&, storage::Tables&, const Lifecycle& l,
                    CaseRecord& c, const std::vector<CaseEvent>& e) {
                  return l.Withdraw(c, e, date, reason);
                });
}

absl::StatusOr<CaseView> CaseService::RequestCorrection(
    const Caller& caller, absl::string_view case_no, absl::CivilDay date,
    int period_days, const WriteOptions& options) {
  return Change(caller, "RequestCorrection", case_no, options,
                [&](const Caller&, storage::Tables&, const Lifecycle& l,
                    CaseRecord& c, const std::vector<CaseEvent>& e) {
                  return l.RequestCorrection(c, e, date, period_days);
                });
}

absl::StatusOr<CaseView> CaseService::RecordCorrection(
    const Caller& caller, absl::string_view case_no, absl::CivilDay date,
    const WriteOptions& options) {
  return Change(caller, "RecordCorrection", case_no, options,
                [&](const Caller&, storage::Tables&, const Lifecycle& l,
                    CaseRecord& c, const std::vector<CaseEvent>& e) {
                  return l.RecordCorrection(c, e, date);
                });
}

absl::StatusOr<CaseView> CaseService::StartConsultation(
    const Caller& caller, absl::string_view case_no,
    const ConsultationInput& input, const WriteOptions& options) {
  return Change(caller, "StartConsultation", case_no, options,
                [&](const Caller&, storage::Tables&, const Lifecycle& l,
                    CaseRecord& c, const std::vector<CaseEvent>& e) {
                  return l.StartConsultation(c, e, input);
                });
}

absl::StatusOr<CaseView> CaseService::RecordConsultationReply(
    const Caller& caller, absl::string_view case_no, absl::CivilDay date,
    const std::string& consultation_id, const WriteOptions& options) {
  return Change(caller, "RecordConsultationReply", case_no, options,
                [&](const Caller&, storage::Tables&, const Lifecycle& l,
                    CaseRecord& c, const std::vector<CaseEvent>& e) {
                  return l.RecordConsultationReply(c, e, date, consultation_id);
                });
}

absl::StatusOr<CaseView> CaseService::RecordConsultationReceipt(
    const Caller& caller, absl::string_view case_no, absl::CivilDay date,
    const std::string& consultation_id, const WriteOptions& options) {
  return Change(caller, "RecordConsultationReceipt", case_no, options,
                [&](const Caller&, storage::Tables&, const Lifecycle& l,
                    CaseRecord& c, const std::vector<CaseEvent>& e) {
                  return l.RecordConsultationReceipt(c, e, date,
                                                     consultation_id);
                });
}

absl::StatusOr<CaseView> CaseService::MarkComplete(
    const Caller& caller, absl::string_view case_no, absl::CivilDay date,
    const std::string& note, const WriteOptions& options) {
  return Change(caller, "MarkComplete", case_no, options,
                [&](const Caller&, storage::Tables&, const Lifecycle& l,
                    CaseRecord& c, const std::vector<CaseEvent>& e) {
                  return l.MarkComplete(c, e, date, note);
                });
}

absl::StatusOr<CaseView> CaseService::Extend(const Caller& caller,
                                             absl::string_view case_no,
                                             ExtensionInput input,
                                             const WriteOptions& options) {
  return Change(
      caller, "ExtendDeadline", case_no, options,
      [&](const Caller&, storage::Tables&, const Lifecycle& l, CaseRecord& c,
          const std::vector<CaseEvent>& e) { return l.Extend(c, e, input); });
}

absl::StatusOr<CaseView> CaseService::SendFeeNotice(
    const Caller& caller, absl::string_view case_no, absl::CivilDay date,
    int64_t amount_fen, const WriteOptions& options) {
  return Change(caller, "SendFeeNotice", case_no, options,
                [&](const Caller&, storage::Tables&, const Lifecycle& l,
                    CaseRecord& c, const std::vector<CaseEvent>& e) {
                  return l.SendFeeNotice(c, e, date, amount_fen);
                });
}

absl::StatusOr<CaseView> CaseService::RecordFeePayment(
    const Caller& caller, absl::string_view case_no, absl::CivilDay date,
    const WriteOptions& options) {
  return Change(caller, "RecordFeePayment", case_no, options,
                [&](const Caller&, storage::Tables&, const Lifecycle& l,
                    CaseRecord& c, const std::vector<CaseEvent>& e) {
                  return l.RecordFeePayment(c, e, date);
                });
}

absl::StatusOr<CaseView> CaseService::Amend(const Caller& caller,
                                            absl::string_view case_no,
                                            const AmendInput& input,
                                            const WriteOptions& options) {
  return Change(
      caller, "AmendCase", case_no, options,
      [&](const Caller&, storage::Tables&, const Lifecycle& l, CaseRecord& c,
          const std::vector<CaseEvent>& e) { return l.Amend(c, e, input); });
}

absl::StatusOr<CaseView> CaseService::Reopen(const Caller& caller,
                                             absl::string_view case_no,
                                             const std::string& reason,
                                             const WriteOptions& options) {
  return Change(
      caller, "ReopenCase", case_no, options,
      [&](const Caller&, storage::Tables&, const Lifecycle& l, CaseRecord& c,
          const std::vector<CaseEvent>& e) { return l.Reopen(c, e, reason); });
}

absl::StatusOr<CaseView> CaseService::Assign(const Caller& caller,
                                             absl::string_view case_no,
                                             const std::string& assignee,
                                             const WriteOptions& options) {
  const ActionContext when = Action(caller);
  return Change(
      caller, "AssignCase", case_no, options,
      [&](const Caller& now, storage::Tables& t, const Lifecycle&,
          CaseRecord& c,
          const std::vector<CaseEvent>&) -> absl::StatusOr<CaseEvent> {
        if (c.state == CaseState::kClosed) {
          return LocalizedError(absl::StatusCode::kFailedPrecondition,
                                absl::StrCat("案件 ", c.case_no, " 已办结"),
                                absl::StrCat("case ", c.case_no, " is closed"));
        }
        // Only accounts can be responsible for a case; the assignee is
        // checked in this transaction, so a user disabled a moment ago
        // cannot receive it. An account out of the caller's reach (another
        // agency's, or one of every agency that may not take the case) is
        // refused word for word like an unknown name, whatever the reason.
        if (!assignee.empty() && now.authenticated()) {
          ASSIGN_OR_RETURN(storage::UserRecord u,
                           t.users().FindByName(assignee));
          const bool known = ReachesUser(now, u.agencies);
          const std::vector<std::string> theirs = ParseAgencyList(u.agencies);
          if (!theirs.empty() && std::find(theirs.begin(), theirs.end(),
                                           c.agency) == theirs.end()) {
            if (!known) return NoSuchUser(assignee);
            return LocalizedError(
                absl::StatusCode::kInvalidArgument,
                absl::StrCat(assignee, " 不属于机关 ", c.agency,
                             "；请交由该机关的工作人员承办"),
                absl::StrCat(assignee, " does not work for agency ", c.agency,
                             "; assign the case to one of its staff"));
          }
          if (u.disabled) {
            if (!known) return NoSuchUser(assignee);
            return LocalizedError(
                absl::StatusCode::kFailedPrecondition,
                absl::StrCat("用户 ", assignee, " 已被停用"),
                absl::StrCat("user ", assignee, " is disabled"));
          }
          if (u.role != "handler" && u.role != "head") {
            if (!known) return NoSuchUser(assignee);
            return LocalizedError(
                absl::StatusCode::kInvalidArgument,
                absl::StrCat(assignee, " 的角色是 ", u.role,
                             "；案件只能交由承办人（handler）或负责人（head）"),
                absl::StrCat(assignee, " is a ", u.role,
                             "; cases go to a handler or head"));
          }
        }
        CaseEvent event;
        event.kind = "assigned";
        event.effective_on = std::max(when.today, c.received_on);
        event.recorded_at = when.now;
        event.actor = now.name;
        event.details.Set("before", c.assignee);
        event.details.Set("after", assignee);
        c.assignee = assignee;
        ++c.version;
        c.updated_at = event.recorded_at;
        return event;
      });
}

}  // namespace gongkai::app
