// The year-end report tables (政府信息公开工作年度报告,
// 国办公开办函〔2021〕30号), tallied from compact case facts (domain.md section
// 7). Pure code.
//
// Counting rules:
// - 一 new: received in the year (the original receipt date, also after a
//   correction);
// - 二 carried in: received before the year and still open on 1 January;
// - 三 outcomes: closed in the year, by outcome;
// - 四 carried out: received by 31 December and still open after it.
// - Table 4: an appeal filed by the end of the year counts under its result
//   when decided in the year, as pending when undecided at the year's end;
//   one decided before the year does not count.
#ifndef GONGKAI_DOMAIN_REPORT_H_
#define GONGKAI_DOMAIN_REPORT_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/json.h"
#include "domain/codes.h"

namespace gongkai {

inline constexpr int kApplicantTypeCount = 6;
inline constexpr int kOutcomeCount = 21;

// One case as the report sees it.
struct CaseFact {
  absl::CivilDay received_on;
  std::optional<absl::CivilDay> closed_on;
  std::optional<Outcome> outcome;
  ApplicantType applicant_type = ApplicantType::kNaturalPerson;
};

enum class AppealKind {
  kReconsideration = 1,
  kLitigationDirect,
  kLitigationAfterReconsideration
};
enum class AppealResult { kUpheld = 1, kCorrected, kOther };

struct AppealFact {
  AppealKind kind;
  absl::CivilDay filed_on;
  std::optional<absl::CivilDay> decided_on;
  std::optional<AppealResult> result;
};

// Counts per applicant column; total() is the 总计 column.
struct Counts {
  std::array<int64_t, kApplicantTypeCount> by_type{};
  int64_t total() const;
  void Add(ApplicantType t, int64_t n = 1) {
    by_type[static_cast<int>(t) - 1] += n;
  }
  int64_t Get(ApplicantType t) const {
    return by_type[static_cast<int>(t) - 1];
  }
  Counts& operator+=(const Counts& o);
  friend bool operator==(const Counts& a, const Counts& b) {
    return a.by_type == b.by_type;
  }
};

struct Table3 {
  Counts new_requests;                           // 一
  Counts carried_in;                             // 二
  std::array<Counts, kOutcomeCount> outcomes{};  // 三 rows, table order
  Counts outcome_total;                          // （七）总计
  Counts carried_out;                            // 四
  friend bool operator==(const Table3&, const Table3&) = default;
};

struct Results {
  int64_t upheld = 0, corrected = 0, other = 0, pending = 0;
  int64_t total() const { return upheld + corrected + other + pending; }
  friend bool operator==(const Results&, const Results&) = default;
};

struct Table4 {
  Results reconsideration;
  Results litigation_direct;
  Results litigation_after_reconsideration;
  friend bool operator==(const Table4&, const Table4&) = default;
};

// Table 2 items.
enum class ProactiveItem {
  kRules = 1,           // 规章
  kNormativeDocuments,  // 行政规范性文件
  kLicensing,           // 行政许可
  kPunishment,          // 行政处罚
  kEnforcement,         // 行政强制
  kFees,                // 行政事业性收费
};
inline constexpr int kProactiveItemCount = 6;

struct ProactiveRow {
  int64_t issued = 0, repealed = 0, in_force = 0;  // rules, normative documents
  int64_t decisions = 0;   // licensing, punishment, enforcement
  int64_t amount_fen = 0;  // fees
  friend bool operator==(const ProactiveRow&, const ProactiveRow&) = default;
};

struct ProactiveInfo {
  ProactiveItem item;
  absl::string_view code;   // rules, normative_documents, ...
  absl::string_view label;  // 规章, ...
  absl::string_view block;  // 第二十条第（一）项, ...
};
std::vector<ProactiveInfo> AllProactiveItems();
absl::StatusOr<ProactiveItem> ParseProactiveItem(absl::string_view text);

struct AnnualReport {
  int year = 0;
  std::string agency;
  std::array<ProactiveRow, kProactiveItemCount> proactive{};
  Table3 table3;
  Table4 table4;
  int64_t fees_collected_fen = 0;
  friend bool operator==(const AnnualReport&, const AnnualReport&) = default;
};

// Tallies tables 3 and 4 for `year`. Facts outside the year's reach are
// ignored, so callers may pass more than needed.
Table3 TallyTable3(int year, const std::vector<CaseFact>& cases);
Table4 TallyTable4(int year, const std::vector<AppealFact>& appeals);

// What one case adds to a year's table 3, as (row, column) cells; used to
// tell whether a change to the records would alter a published figure.
std::vector<std::string> CaseCells(int year, const CaseFact& fact);
std::vector<std::string> AppealCells(int year, const AppealFact& fact);

// Checks every rule of the table: per column 一+二 = （七）总计+四; （七）总计
// is the sum of the 21 outcome rows; 总计 sums the applicant columns (true by
// construction); no negative count. INTERNAL with every broken rule.
absl::Status VerifyTable3(const Table3& t);
absl::Status VerifyReport(const AnnualReport& r);

// The stable JSON schema (issue "year-end report").
Json ReportToJson(const AnnualReport& r);
absl::StatusOr<AnnualReport> ReportFromJson(const Json& j);

// Sums departments' reports of the same year (totals re-verified).
absl::StatusOr<AnnualReport> MergeReports(
    const std::vector<AnnualReport>& reports, const std::string& agency);

// Human differences between two reports ("三（一） 自然人: 25 -> 26"), empty
// when equal.
std::vector<std::string> DiffReports(const AnnualReport& published,
                                     const AnnualReport& current);

// "7962.8075" for fen amounts shown in 万元 with four decimals.
std::string FormatWanYuan(int64_t fen);

// Table 4 codes and labels.
absl::string_view AppealKindCode(AppealKind k);
absl::string_view AppealKindLabel(AppealKind k);
absl::StatusOr<AppealKind> ParseAppealKind(absl::string_view text);
absl::string_view AppealResultCode(AppealResult r);
absl::StatusOr<AppealResult> ParseAppealResult(absl::string_view text);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_REPORT_H_
