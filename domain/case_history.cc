#include "domain/case_history.h"

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/dates.h"
#include "domain/permissions.h"

namespace gongkai {
namespace {

constexpr absl::string_view kIntakeFields[] = {"contact", "id_number",
                                               "request"};

std::string DigestKey(absl::string_view field) {
  return absl::StrCat(field, "_sha256");
}

std::optional<std::string> StringDetail(const CaseEvent& e,
                                        absl::string_view key) {
  const Json* v = e.details.Find(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->as_string();
}

std::string Show(const std::optional<absl::CivilDay>& d) {
  return d ? FormatDate(*d) : "(none)";
}

// The intake as an "amended" event leaves it: the after value of every
// changed field, and the digests as they stand after the amendment.
void ReplayAmendment(const CaseEvent& e, CaseFromHistory& h) {
  auto after = [&](absl::string_view field) {
    return StringDetail(e, absl::StrCat(field, "_after"));
  };
  if (auto v = after("received_on")) {
    absl::StatusOr<absl::CivilDay> d = ParseDate(*v);
    if (d.ok())
      h.received_on = *d;
    else
      h.problems.push_back(absl::StrCat(
          "event ", e.seq, " amends to an unreadable receipt date"));
  }
  if (auto v = after("channel")) {
    absl::StatusOr<Channel> c = ParseChannel(*v);
    if (c.ok())
      h.channel = *c;
    else
      h.problems.push_back(
          absl::StrCat("event ", e.seq, " amends to an unknown channel"));
  }
  if (auto v = after("applicant_type")) {
    absl::StatusOr<ApplicantType> t = ParseApplicantType(*v);
    if (t.ok())
      h.applicant_type = *t;
    else
      h.problems.push_back(absl::StrCat(
          "event ", e.seq, " amends to an unknown applicant type"));
  }
  if (auto v = after("applicant")) h.applicant = *v;
  for (auto [field, digest] : {std::pair{"contact", &h.contact_digest},
                               std::pair{"id_number", &h.id_number_digest},
                               std::pair{"request", &h.request_digest}}) {
    if (auto v = StringDetail(e, DigestKey(field))) *digest = *v;
  }
}

}  // namespace

std::string IntakeDigest(absl::string_view field, absl::string_view applicant,
                         absl::CivilDay received_on, absl::string_view value) {
  // Lengths make the encoding unambiguous; the salt keeps equal values of
  // different cases apart (no table of digests of common values helps).
  return Sha256Hex(absl::StrCat(
      "gongkai intake v1\n", field, "\n", applicant.size(), ":", applicant,
      "\n", FormatDate(received_on), "\n", value.size(), ":", value));
}

Json ReceivedDetails(const CaseRecord& c) {
  Json d = Json::MakeObject();
  d.Set("channel", std::string(Info(c.channel).code));
  d.Set("applicant_type", std::string(Info(c.applicant_type).code));
  d.Set("applicant", c.applicant);
  d.Set("agency", c.agency);
  d.Set(DigestKey("contact"),
        IntakeDigest("contact", c.applicant, c.received_on, c.contact));
  d.Set(DigestKey("id_number"),
        IntakeDigest("id_number", c.applicant, c.received_on, c.id_number));
  d.Set(DigestKey("request"),
        IntakeDigest("request", c.applicant, c.received_on, c.request));
  return d;
}

CaseFromHistory ReplayHistory(const std::vector<CaseEvent>& events) {
  CaseFromHistory h;
  bool received = false;
  for (const CaseEvent& e : events) {
    if (e.kind == "received") {
      if (received) {
        h.problems.push_back(
            absl::StrCat("event ", e.seq, " is a second \"received\" event"));
        continue;
      }
      received = true;
      h.state = CaseState::kOpen;
      h.received_on = e.effective_on;
      if (auto v = StringDetail(e, "channel")) {
        absl::StatusOr<Channel> c = ParseChannel(*v);
        if (c.ok())
          h.channel = *c;
        else
          h.problems.push_back("the received event has an unknown channel");
      }
      if (auto v = StringDetail(e, "applicant_type")) {
        absl::StatusOr<ApplicantType> t = ParseApplicantType(*v);
        if (t.ok())
          h.applicant_type = *t;
        else
          h.problems.push_back(
              "the received event has an unknown applicant type");
      }
      h.applicant = StringDetail(e, "applicant");
      h.agency = StringDetail(e, "agency");
      h.contact_digest = StringDetail(e, DigestKey("contact"));
      h.id_number_digest = StringDetail(e, DigestKey("id_number"));
      h.request_digest = StringDetail(e, DigestKey("request"));
      continue;
    }
    if (!received) {
      h.problems.push_back(
          absl::StrCat("event ", e.seq, " (", e.kind,
                       ") comes before the \"received\" event"));
      continue;
    }
    if (e.kind == "answered" || e.kind == "withdrawn") {
      // Both close the case on their date with the recorded outcome (a
      // withdrawal counts as "other").
      h.state = CaseState::kClosed;
      h.answered_on = e.effective_on;
      if (auto v = StringDetail(e, "outcome")) {
        absl::StatusOr<Outcome> o = ParseOutcome(*v);
        if (o.ok())
          h.outcome = *o;
        else
          h.problems.push_back(
              absl::StrCat("event ", e.seq, " has an unknown outcome"));
      } else {
        h.problems.push_back(
            absl::StrCat("event ", e.seq, " (", e.kind, ") has no outcome"));
      }
    } else if (e.kind == "assigned") {
      h.assignee = StringDetail(e, "after").value_or("");
    } else if (e.kind == "reopened") {
      // The close is set aside; the state it returns to is recorded below.
      h.answered_on.reset();
      h.outcome.reset();
    } else if (e.kind == "amended") {
      ReplayAmendment(e, h);
    }
    // Every other step records the state it led to when it changed it.
    if (auto v = StringDetail(e, "state_after")) {
      absl::StatusOr<CaseState> s = ParseCaseState(*v);
      if (s.ok())
        h.state = *s;
      else
        h.problems.push_back(
            absl::StrCat("event ", e.seq, " leads to an unknown state"));
    }
  }
  if (!received) h.problems.push_back("the case has no \"received\" event");
  return h;
}

std::vector<FieldMismatch> CompareWithHistory(
    const CaseRecord& row, const std::vector<CaseEvent>& events,
    std::vector<std::string>* unchecked) {
  const CaseFromHistory h = ReplayHistory(events);
  std::vector<FieldMismatch> out;
  auto differ = [&](absl::string_view field, std::string stored,
                    std::string derived) {
    if (stored != derived) {
      out.push_back(
          {std::string(field), std::move(stored), std::move(derived)});
    }
  };
  auto skip = [&](absl::string_view field) {
    if (unchecked != nullptr) unchecked->push_back(std::string(field));
  };
  for (const std::string& p : h.problems) out.push_back({"history", "", p});
  if (h.state) {
    differ("state", std::string(Info(row.state).code),
           std::string(Info(*h.state).code));
  }
  if (h.state == CaseState::kClosed || row.state == CaseState::kClosed) {
    differ("outcome",
           row.outcome ? std::string(Info(*row.outcome).code) : "(none)",
           h.outcome ? std::string(Info(*h.outcome).code) : "(none)");
    differ("answered_on", Show(row.answered_on), Show(h.answered_on));
  }
  if (h.received_on) {
    differ("received_on", FormatDate(row.received_on),
           FormatDate(*h.received_on));
  }
  if (h.channel) {
    differ("channel", std::string(Info(row.channel).code),
           std::string(Info(*h.channel).code));
  } else {
    skip("channel");
  }
  if (h.applicant_type) {
    differ("applicant_type", std::string(Info(row.applicant_type).code),
           std::string(Info(*h.applicant_type).code));
  } else {
    skip("applicant_type");
  }
  if (h.applicant) {
    differ("applicant", row.applicant, *h.applicant);
  } else {
    skip("applicant");
  }
  if (h.agency) {
    differ("agency", row.agency, *h.agency);
  } else {
    skip("agency");
  }
  differ("assignee", row.assignee, h.assignee);
  // The digests are salted with what the history says, so a changed
  // applicant is reported once, not again for every digest.
  const std::string applicant = h.applicant.value_or(row.applicant);
  const absl::CivilDay received_on = h.received_on.value_or(row.received_on);
  const std::optional<std::string>* digests[] = {
      &h.contact_digest, &h.id_number_digest, &h.request_digest};
  const std::string* values[] = {&row.contact, &row.id_number, &row.request};
  for (int i = 0; i < 3; ++i) {
    const absl::string_view field = kIntakeFields[i];
    if (!digests[i]->has_value()) {
      skip(field);
      continue;
    }
    if (IntakeDigest(field, applicant, received_on, *values[i]) !=
        **digests[i]) {
      out.push_back({std::string(field),
                     field == "request"
                         ? absl::StrCat(values[i]->size(), " bytes")
                         : MaskSensitive(*values[i]),
                     "different text at receipt (recorded as a digest)"});
    }
  }
  return out;
}

}  // namespace gongkai
