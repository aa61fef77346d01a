#include "domain/report.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/lang.h"

namespace gongkai {
namespace {

constexpr ProactiveInfo kProactive[] = {
    {ProactiveItem::kRules, "rules", "规章", "第二十条第（一）项"},
    {ProactiveItem::kNormativeDocuments, "normative_documents",
     "行政规范性文件", "第二十条第（一）项"},
    {ProactiveItem::kLicensing, "licensing", "行政许可", "第二十条第（五）项"},
    {ProactiveItem::kPunishment, "punishment", "行政处罚",
     "第二十条第（六）项"},
    {ProactiveItem::kEnforcement, "enforcement", "行政强制",
     "第二十条第（六）项"},
    {ProactiveItem::kFees, "fees", "行政事业性收费", "第二十条第（八）项"},
};

constexpr AppealKind kAppealKinds[] = {
    AppealKind::kReconsideration, AppealKind::kLitigationDirect,
    AppealKind::kLitigationAfterReconsideration};

bool InYear(absl::CivilDay d, int year) { return d.year() == year; }

Json CountsToJson(const Counts& c) {
  Json j = Json::MakeObject();
  for (const auto& t : AllApplicantTypes())
    j.Set(std::string(t.code), c.Get(t.value));
  j.Set("total", c.total());
  return j;
}

absl::StatusOr<Counts> CountsFromJson(const Json* j, absl::string_view where) {
  if (j == nullptr || !j->is_object()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          absl::StrCat("缺少 ", where),
                          absl::StrCat(where, " is missing"));
  }
  Counts c;
  for (const auto& t : AllApplicantTypes()) {
    const Json* v = j->Find(t.code);
    if (v == nullptr || !v->is_int() || v->as_int() < 0) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat(where, ".", t.code, " 必须是件数（不小于 0 的整数）"),
          absl::StrCat(where, ".", t.code,
                       " must be a count (a whole number >= 0)"));
    }
    c.Add(t.value, v->as_int());
  }
  if (const Json* total = j->Find("total"); total != nullptr) {
    if (!total->is_int() || total->as_int() != c.total()) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat(where, ".total 为 ", total->Dump(), "，但各列之和为 ",
                       c.total()),
          absl::StrCat(where, ".total is ", total->Dump(),
                       " but the columns sum to ", c.total()));
    }
  }
  return c;
}

Json ResultsToJson(const Results& r) {
  Json j = Json::MakeObject();
  j.Set("upheld", r.upheld);
  j.Set("corrected", r.corrected);
  j.Set("other", r.other);
  j.Set("pending", r.pending);
  j.Set("total", r.total());
  return j;
}

absl::StatusOr<Results> ResultsFromJson(const Json* j,
                                        absl::string_view where) {
  if (j == nullptr || !j->is_object()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          absl::StrCat("缺少 ", where),
                          absl::StrCat(where, " is missing"));
  }
  Results r;
  int64_t* fields[] = {&r.upheld, &r.corrected, &r.other, &r.pending};
  const char* names[] = {"upheld", "corrected", "other", "pending"};
  for (int i = 0; i < 4; ++i) {
    const Json* v = j->Find(names[i]);
    if (v == nullptr || !v->is_int() || v->as_int() < 0) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat(where, ".", names[i], " 必须是件数"),
          absl::StrCat(where, ".", names[i], " must be a count"));
    }
    *fields[i] = v->as_int();
  }
  if (const Json* total = j->Find("total"); total != nullptr) {
    if (!total->is_int() || total->as_int() != r.total()) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat(where, ".total 为 ", total->Dump(), "，但各结果之和为 ",
                       r.total()),
          absl::StrCat(where, ".total is ", total->Dump(),
                       " but the results sum to ", r.total()));
    }
  }
  return r;
}

Json MoneyJson(int64_t fen) {
  if (fen % 100 == 0) return Json(fen / 100);
  return Json(static_cast<double>(fen) / 100.0);
}

absl::StatusOr<int64_t> MoneyFromJson(const Json* j, absl::string_view where) {
  if (j == nullptr || !j->is_number()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          absl::StrCat(where, " 必须是以元为单位的金额"),
                          absl::StrCat(where, " must be a number of yuan"));
  }
  double fen = std::round(j->as_double() * 100.0);
  if (fen < 0) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          absl::StrCat(where, " 不能为负数"),
                          absl::StrCat(where, " is negative"));
  }
  return static_cast<int64_t>(fen);
}

const std::array<Results*, 3> ResultsOf(Table4& t) {
  return {&t.reconsideration, &t.litigation_direct,
          &t.litigation_after_reconsideration};
}
const std::array<const Results*, 3> ResultsOf(const Table4& t) {
  return {&t.reconsideration, &t.litigation_direct,
          &t.litigation_after_reconsideration};
}

std::string RowName(int outcome_index) {
  const OutcomeInfo& o = AllOutcomes()[outcome_index];
  return absl::StrCat("三", OutcomeRowLabel(o));
}

}  // namespace

int64_t Counts::total() const {
  int64_t t = 0;
  for (int64_t v : by_type) t += v;
  return t;
}

Counts& Counts::operator+=(const Counts& o) {
  for (int i = 0; i < kApplicantTypeCount; ++i) by_type[i] += o.by_type[i];
  return *this;
}

std::vector<ProactiveInfo> AllProactiveItems() {
  return std::vector<ProactiveInfo>(std::begin(kProactive),
                                    std::end(kProactive));
}

absl::StatusOr<ProactiveItem> ParseProactiveItem(absl::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  for (const ProactiveInfo& p : kProactive) {
    if (t == p.code || t == p.label) return p.item;
  }
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat("未知的主动公开项目“", text,
                   "”；可用的项目：规章（rules）、行政规范性文件"
                   "（normative_documents）、行政许可（licensing）、行政处罚"
                   "（punishment）、行政强制（enforcement）、行政事业性收费"
                   "（fees）"),
      absl::StrCat(
          "unknown item '", text,
          "'; valid items: rules (规章), normative_documents (行政规范性文件), "
          "licensing (行政许可), punishment (行政处罚), enforcement "
          "(行政强制), fees (行政事业性收费)"));
}

Table3 TallyTable3(int year, const std::vector<CaseFact>& cases) {
  const absl::CivilDay first(year, 1, 1);
  const absl::CivilDay last(year, 12, 31);
  Table3 t;
  for (const CaseFact& c : cases) {
    if (c.received_on > last) continue;
    if (InYear(c.received_on, year)) t.new_requests.Add(c.applicant_type);
    const bool open_on_first =
        !c.closed_on.has_value() || *c.closed_on >= first;
    if (c.received_on < first && open_on_first)
      t.carried_in.Add(c.applicant_type);
    if (c.closed_on.has_value() && InYear(*c.closed_on, year) &&
        c.outcome.has_value()) {
      t.outcomes[static_cast<int>(*c.outcome) - 1].Add(c.applicant_type);
      t.outcome_total.Add(c.applicant_type);
    }
    if (!c.closed_on.has_value() || *c.closed_on > last) {
      t.carried_out.Add(c.applicant_type);
    }
  }
  return t;
}

Table4 TallyTable4(int year, const std::vector<AppealFact>& appeals) {
  const absl::CivilDay first(year, 1, 1);
  const absl::CivilDay last(year, 12, 31);
  Table4 t;
  for (const AppealFact& a : appeals) {
    if (a.filed_on > last) continue;
    if (a.decided_on.has_value() && *a.decided_on < first) continue;
    Results* r = ResultsOf(t)[static_cast<int>(a.kind) - 1];
    if (!a.decided_on.has_value() || *a.decided_on > last ||
        !a.result.has_value()) {
      ++r->pending;
      continue;
    }
    switch (*a.result) {
      case AppealResult::kUpheld:
        ++r->upheld;
        break;
      case AppealResult::kCorrected:
        ++r->corrected;
        break;
      case AppealResult::kOther:
        ++r->other;
        break;
    }
  }
  return t;
}

std::vector<std::string> CaseCells(int year, const CaseFact& c) {
  std::vector<std::string> cells;
  Table3 t = TallyTable3(year, {c});
  auto add = [&](const char* row, const Counts& counts) {
    for (const auto& type : AllApplicantTypes()) {
      if (counts.Get(type.value) > 0)
        cells.push_back(absl::StrCat(row, "/", type.code));
    }
  };
  add("new", t.new_requests);
  add("carried_in", t.carried_in);
  for (int i = 0; i < kOutcomeCount; ++i) {
    add(std::string(AllOutcomes()[i].code).c_str(), t.outcomes[i]);
  }
  add("carried_out", t.carried_out);
  return cells;
}

std::vector<std::string> AppealCells(int year, const AppealFact& a) {
  std::vector<std::string> cells;
  Table4 t = TallyTable4(year, {a});
  for (int k = 0; k < 3; ++k) {
    const Results* r = ResultsOf(t)[k];
    std::string kind(AppealKindCode(kAppealKinds[k]));
    if (r->upheld) cells.push_back(kind + "/upheld");
    if (r->corrected) cells.push_back(kind + "/corrected");
    if (r->other) cells.push_back(kind + "/other");
    if (r->pending) cells.push_back(kind + "/pending");
  }
  return cells;
}

absl::Status VerifyTable3(const Table3& t) {
  std::vector<std::string> broken;
  Counts sum;
  for (const Counts& c : t.outcomes) sum += c;
  for (const auto& type : AllApplicantTypes()) {
    const ApplicantType a = type.value;
    for (const Counts* c :
         {&t.new_requests, &t.carried_in, &t.outcome_total, &t.carried_out}) {
      if (c->Get(a) < 0)
        broken.push_back(absl::StrCat("negative count in ", type.label));
    }
    if (t.new_requests.Get(a) + t.carried_in.Get(a) !=
        t.outcome_total.Get(a) + t.carried_out.Get(a)) {
      broken.push_back(absl::StrCat(
          type.label,
          ": 一 + 二 = ", t.new_requests.Get(a) + t.carried_in.Get(a),
          " but （七）总计 + 四 = ",
          t.outcome_total.Get(a) + t.carried_out.Get(a)));
    }
    if (sum.Get(a) != t.outcome_total.Get(a)) {
      broken.push_back(absl::StrCat(type.label, ": the 21 outcome rows sum to ",
                                    sum.Get(a), " but （七）总计 is ",
                                    t.outcome_total.Get(a)));
    }
  }
  if (!broken.empty()) {
    return LocalizedError(
        absl::StatusCode::kInternal,
        absl::StrCat("表三不一致：", absl::StrJoin(broken, "；")),
        absl::StrCat("table 3 is inconsistent: ", absl::StrJoin(broken, "; ")));
  }
  return absl::OkStatus();
}

absl::Status VerifyReport(const AnnualReport& r) {
  if (absl::Status s = VerifyTable3(r.table3); !s.ok()) return s;
  for (const Results* res : ResultsOf(r.table4)) {
    if (res->upheld < 0 || res->corrected < 0 || res->other < 0 ||
        res->pending < 0) {
      return LocalizedError(absl::StatusCode::kInternal, "表四有负数",
                            "table 4 has a negative count");
    }
  }
  return absl::OkStatus();
}

Json ReportToJson(const AnnualReport& r) {
  Json j = Json::MakeObject();
  j.Set("year", r.year);
  j.Set("agency", r.agency);
  Json requests = Json::MakeObject();
  requests.Set("new", CountsToJson(r.table3.new_requests));
  requests.Set("carried_in", CountsToJson(r.table3.carried_in));
  Json outcomes = Json::MakeObject();
  for (int i = 0; i < kOutcomeCount; ++i) {
    outcomes.Set(std::string(AllOutcomes()[i].code),
                 CountsToJson(r.table3.outcomes[i]));
  }
  outcomes.Set("total", CountsToJson(r.table3.outcome_total));
  requests.Set("outcomes", outcomes);
  requests.Set("carried_out", CountsToJson(r.table3.carried_out));
  j.Set("requests", requests);
  Json appeals = Json::MakeObject();
  for (int k = 0; k < 3; ++k) {
    appeals.Set(std::string(AppealKindCode(kAppealKinds[k])),
                ResultsToJson(*ResultsOf(r.table4)[k]));
  }
  j.Set("appeals", appeals);
  Json proactive = Json::MakeObject();
  for (const ProactiveInfo& p : kProactive) {
    const ProactiveRow& row = r.proactive[static_cast<int>(p.item) - 1];
    Json item = Json::MakeObject();
    switch (p.item) {
      case ProactiveItem::kRules:
      case ProactiveItem::kNormativeDocuments:
        item.Set("issued", row.issued);
        item.Set("repealed", row.repealed);
        item.Set("in_force", row.in_force);
        break;
      case ProactiveItem::kFees:
        item.Set("amount_yuan", MoneyJson(row.amount_fen));
        item.Set("amount_wan_yuan", FormatWanYuan(row.amount_fen));
        break;
      default:
        item.Set("decisions", row.decisions);
    }
    proactive.Set(std::string(p.code), item);
  }
  j.Set("proactive", proactive);
  Json fees = Json::MakeObject();
  fees.Set("collected_yuan", MoneyJson(r.fees_collected_fen));
  j.Set("fees", fees);
  return j;
}

absl::StatusOr<AnnualReport> ReportFromJson(const Json& j) {
  if (!j.is_object())
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "年度报告必须是一个 JSON 对象",
                          "a report must be a JSON object");
  AnnualReport r;
  const Json* year = j.Find("year");
  if (year == nullptr || !year->is_int() || year->as_int() < 2008 ||
      year->as_int() > 9999) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "year 必须是年份，例如 2023",
                          "year must be a year such as 2023");
  }
  r.year = static_cast<int>(year->as_int());
  if (const Json* agency = j.Find("agency");
      agency != nullptr && agency->is_string()) {
    r.agency = agency->as_string();
  }
  const Json* requests = j.Find("requests");
  if (requests == nullptr)
    return LocalizedError(absl::StatusCode::kInvalidArgument, "缺少 requests",
                          "requests is missing");
  auto counts = [&](const Json* parent, const char* key,
                    const std::string& where, Counts* out) -> absl::Status {
    absl::StatusOr<Counts> c =
        CountsFromJson(parent ? parent->Find(key) : nullptr, where);
    if (!c.ok()) return c.status();
    *out = *c;
    return absl::OkStatus();
  };
  if (absl::Status s =
          counts(requests, "new", "requests.new", &r.table3.new_requests);
      !s.ok())
    return s;
  if (absl::Status s = counts(requests, "carried_in", "requests.carried_in",
                              &r.table3.carried_in);
      !s.ok())
    return s;
  if (absl::Status s = counts(requests, "carried_out", "requests.carried_out",
                              &r.table3.carried_out);
      !s.ok())
    return s;
  const Json* outcomes = requests->Find("outcomes");
  for (int i = 0; i < kOutcomeCount; ++i) {
    std::string code(AllOutcomes()[i].code);
    if (absl::Status s =
            counts(outcomes, code.c_str(), "requests.outcomes." + code,
                   &r.table3.outcomes[i]);
        !s.ok()) {
      return s;
    }
    r.table3.outcome_total += r.table3.outcomes[i];
  }
  if (outcomes != nullptr && outcomes->Find("total") != nullptr) {
    Counts total;
    if (absl::Status s =
            counts(outcomes, "total", "requests.outcomes.total", &total);
        !s.ok())
      return s;
    if (!(total == r.table3.outcome_total)) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          "requests.outcomes.total 不等于 21 个办理结果行之和",
          "requests.outcomes.total is not the sum of the 21 outcome rows");
    }
  }
  const Json* appeals = j.Find("appeals");
  for (int k = 0; k < 3; ++k) {
    std::string code(AppealKindCode(kAppealKinds[k]));
    absl::StatusOr<Results> res = ResultsFromJson(
        appeals ? appeals->Find(code) : nullptr, "appeals." + code);
    if (!res.ok()) return res.status();
    *ResultsOf(r.table4)[k] = *res;
  }
  if (const Json* proactive = j.Find("proactive"); proactive != nullptr) {
    for (const ProactiveInfo& p : kProactive) {
      const Json* item = proactive->Find(p.code);
      if (item == nullptr) continue;
      ProactiveRow& row = r.proactive[static_cast<int>(p.item) - 1];
      auto num = [&](const char* key, int64_t* out) {
        if (const Json* v = item->Find(key); v != nullptr && v->is_int())
          *out = v->as_int();
      };
      num("issued", &row.issued);
      num("repealed", &row.repealed);
      num("in_force", &row.in_force);
      num("decisions", &row.decisions);
      if (const Json* v = item->Find("amount_yuan"); v != nullptr) {
        absl::StatusOr<int64_t> fen =
            MoneyFromJson(v, "proactive.fees.amount_yuan");
        if (!fen.ok()) return fen.status();
        row.amount_fen = *fen;
      }
    }
  }
  if (const Json* fees = j.Find("fees"); fees != nullptr) {
    absl::StatusOr<int64_t> fen =
        MoneyFromJson(fees->Find("collected_yuan"), "fees.collected_yuan");
    if (!fen.ok()) return fen.status();
    r.fees_collected_fen = *fen;
  }
  if (absl::Status s = VerifyReport(r); !s.ok()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          MessageIn(s, Lang::kZh), MessageIn(s, Lang::kEn));
  }
  return r;
}

absl::StatusOr<AnnualReport> MergeReports(
    const std::vector<AnnualReport>& reports, const std::string& agency) {
  if (reports.empty()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "没有可以汇总的年度报告", "no reports to merge");
  }
  AnnualReport m;
  m.year = reports[0].year;
  m.agency = agency;
  for (const AnnualReport& r : reports) {
    if (r.year != m.year) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("不能汇总不同年份的年度报告（", m.year, " 年和 ", r.year,
                       " 年）"),
          absl::StrCat("cannot merge reports of different years (", m.year,
                       " and ", r.year, ")"));
    }
    m.table3.new_requests += r.table3.new_requests;
    m.table3.carried_in += r.table3.carried_in;
    for (int i = 0; i < kOutcomeCount; ++i)
      m.table3.outcomes[i] += r.table3.outcomes[i];
    m.table3.outcome_total += r.table3.outcome_total;
    m.table3.carried_out += r.table3.carried_out;
    for (int k = 0; k < 3; ++k) {
      Results* a = ResultsOf(m.table4)[k];
      const Results* b = ResultsOf(r.table4)[k];
      a->upheld += b->upheld;
      a->corrected += b->corrected;
      a->other += b->other;
      a->pending += b->pending;
    }
    for (int i = 0; i < kProactiveItemCount; ++i) {
      m.proactive[i].issued += r.proactive[i].issued;
      m.proactive[i].repealed += r.proactive[i].repealed;
      m.proactive[i].in_force += r.proactive[i].in_force;
      m.proactive[i].decisions += r.proactive[i].decisions;
      m.proactive[i].amount_fen += r.proactive[i].amount_fen;
    }
    m.fees_collected_fen += r.fees_collected_fen;
  }
  if (absl::Status s = VerifyReport(m); !s.ok()) return s;
  return m;
}

std::vector<std::string> DiffReports(const AnnualReport& a,
                                     const AnnualReport& b) {
  std::vector<std::string> out;
  auto counts = [&](const std::string& row, const Counts& x, const Counts& y) {
    for (const auto& t : AllApplicantTypes()) {
      if (x.Get(t.value) != y.Get(t.value)) {
        out.push_back(absl::StrCat(row, " ", t.label, ": ", x.Get(t.value),
                                   " -> ", y.Get(t.value)));
      }
    }
  };
  counts("一 本年新收", a.table3.new_requests, b.table3.new_requests);
  counts("二 上年结转", a.table3.carried_in, b.table3.carried_in);
  for (int i = 0; i < kOutcomeCount; ++i) {
    counts(RowName(i), a.table3.outcomes[i], b.table3.outcomes[i]);
  }
  counts("四 结转下年度", a.table3.carried_out, b.table3.carried_out);
  const char* names[] = {"upheld 维持", "corrected 纠正", "other 其他",
                         "pending 尚未审结"};
  for (int k = 0; k < 3; ++k) {
    const Results* x = ResultsOf(a.table4)[k];
    const Results* y = ResultsOf(b.table4)[k];
    int64_t xs[] = {x->upheld, x->corrected, x->other, x->pending};
    int64_t ys[] = {y->upheld, y->corrected, y->other, y->pending};
    for (int i = 0; i < 4; ++i) {
      if (xs[i] != ys[i]) {
        out.push_back(absl::StrCat("表四 ", AppealKindLabel(kAppealKinds[k]),
                                   " ", names[i], ": ", xs[i], " -> ", ys[i]));
      }
    }
  }
  for (const ProactiveInfo& p : kProactive) {
    const ProactiveRow& x = a.proactive[static_cast<int>(p.item) - 1];
    const ProactiveRow& y = b.proactive[static_cast<int>(p.item) - 1];
    if (!(x == y)) out.push_back(absl::StrCat("表二 ", p.label, " changed"));
  }
  if (a.fees_collected_fen != b.fees_collected_fen) {
    out.push_back(absl::StrCat("fees collected: ", a.fees_collected_fen / 100.0,
                               " -> ", b.fees_collected_fen / 100.0, " yuan"));
  }
  return out;
}

std::string FormatWanYuan(int64_t fen) {
  // 1 万元 = 1,000,000 fen; four decimals are whole yuan. Round half up.
  const int64_t yuan = (fen + 50) / 100;
  return absl::StrFormat("%d.%04d", yuan / 10000, yuan % 10000);
}

absl::string_view AppealKindCode(AppealKind k) {
  switch (k) {
    case AppealKind::kReconsideration:
      return "reconsideration";
    case AppealKind::kLitigationDirect:
      return "litigation_direct";
    case AppealKind::kLitigationAfterReconsideration:
      return "litigation_after_reconsideration";
  }
  return "";
}

absl::string_view AppealKindLabel(AppealKind k) {
  switch (k) {
    case AppealKind::kReconsideration:
      return "行政复议";
    case AppealKind::kLitigationDirect:
      return "行政诉讼 — 未经复议直接起诉";
    case AppealKind::kLitigationAfterReconsideration:
      return "行政诉讼 — 复议后起诉";
  }
  return "";
}

absl::StatusOr<AppealKind> ParseAppealKind(absl::string_view text) {
  for (AppealKind k : kAppealKinds) {
    if (text == AppealKindCode(k) || text == AppealKindLabel(k)) return k;
  }
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat("未知的复议诉讼类型“", text,
                   "”；可用的类型：行政复议（reconsideration）、未经复议直接"
                   "起诉（litigation_direct）、复议后起诉"
                   "（litigation_after_reconsideration）"),
      absl::StrCat(
          "unknown appeal kind '", text,
          "'; valid kinds: reconsideration (行政复议), litigation_direct "
          "(未经复议直接起诉), litigation_after_reconsideration (复议后起诉)"));
}

absl::string_view AppealResultCode(AppealResult r) {
  switch (r) {
    case AppealResult::kUpheld:
      return "upheld";
    case AppealResult::kCorrected:
      return "corrected";
    case AppealResult::kOther:
      return "other";
  }
  return "";
}

absl::StatusOr<AppealResult> ParseAppealResult(absl::string_view text) {
  if (text == "upheld" || text == "维持") return AppealResult::kUpheld;
  if (text == "corrected" || text == "纠正") return AppealResult::kCorrected;
  if (text == "other" || text == "其他") return AppealResult::kOther;
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat("未知的复议诉讼结果“", text,
                   "”；可用的结果：维持（upheld）、纠正（corrected）、"
                   "其他（other）"),
      absl::StrCat(
          "unknown appeal result '", text,
          "'; valid results: upheld (维持), corrected (纠正), other (其他)"));
}

}  // namespace gongkai
