#include "formats/ledger.h"

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/dates.h"
#include "domain/clocks.h"
#include "formats/csv.h"

namespace gongkai {
namespace {

struct Column {
  const char* code;
  const char* label;
  bool required;
};

constexpr Column kColumns[] = {
    {"case_no", "申请编号", false},         {"received_on", "收到日期", true},
    {"applicant_type", "申请人类型", true}, {"applicant_name", "申请人", true},
    {"channel", "申请方式", false},         {"request", "申请内容", true},
    {"answered_on", "答复日期", false},     {"outcome", "办理结果", false},
};

}  // namespace

absl::StatusOr<LedgerParse> ParseLedger(absl::string_view text,
                                        absl::CivilDay today) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
  if (!records.ok()) return records.status();
  if (records->empty())
    return absl::InvalidArgumentError("the ledger is empty");
  const CsvRecord& header = records->front();
  std::map<std::string, int> index;  // column code -> field index
  for (size_t i = 0; i < header.fields.size(); ++i) {
    std::string name(absl::StripAsciiWhitespace(header.fields[i]));
    bool known = false;
    for (const Column& c : kColumns) {
      if (name == c.code || name == c.label) {
        if (index.count(c.code)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "column ", c.code, " (", c.label, ") appears twice"));
        }
        index[c.code] = static_cast<int>(i);
        known = true;
      }
    }
    if (!known && !name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown column '", name,
          "'; the columns are case_no, received_on, "
          "applicant_type, applicant_name, channel, request, answered_on, "
          "outcome (or 申请编号, 收到日期, 申请人类型, 申请人, 申请方式, "
          "申请内容, "
          "答复日期, 办理结果)"));
    }
  }
  for (const Column& c : kColumns) {
    if (c.required && !index.count(c.code)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the ledger has no ", c.code, " (", c.label, ") column"));
    }
  }

  LedgerParse out;
  std::map<std::string, int> case_no_lines;
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& rec = (*records)[r];
    auto get = [&](const char* code) -> std::string {
      auto it = index.find(code);
      if (it == index.end() ||
          it->second >= static_cast<int>(rec.fields.size())) {
        return "";
      }
      // The quote an export puts before a formula character is not part of
      // the value (NeutraliseCsvCell), as in a spreadsheet.
      return RestoreCsvCell(absl::StripAsciiWhitespace(rec.fields[it->second]));
    };
    std::vector<std::string> problems;
    LedgerRow row;
    row.line = rec.line;
    if (rec.fields.size() > header.fields.size()) {
      problems.push_back(absl::StrCat("has ", rec.fields.size(),
                                      " fields but the header has ",
                                      header.fields.size()));
    }
    row.case_no = get("case_no");
    if (!row.case_no.empty()) {
      if (absl::Status s = ValidateCaseNo(row.case_no); !s.ok()) {
        problems.push_back(std::string(s.message()));
      } else if (auto [it, fresh] =
                     case_no_lines.emplace(row.case_no, rec.line);
                 !fresh) {
        problems.push_back(absl::StrCat("case number ", row.case_no,
                                        " already appears on line ",
                                        it->second));
      }
    }
    absl::StatusOr<absl::CivilDay> received = ParseDate(get("received_on"));
    if (!received.ok()) {
      problems.push_back(
          absl::StrCat("received_on: ", received.status().message()));
    } else if (*received > today) {
      problems.push_back(absl::StrCat("received_on ", FormatDate(*received),
                                      " is in the future"));
    } else if (*received < kRegulations2008Effective) {
      problems.push_back(
          absl::StrCat("received_on ", FormatDate(*received),
                       " is before the Regulations took effect"));
    } else {
      row.received_on = *received;
    }
    absl::StatusOr<ApplicantType> type =
        ParseApplicantType(get("applicant_type"));
    if (!type.ok()) {
      problems.push_back(std::string(type.status().message()));
    } else {
      row.applicant_type = *type;
    }
    row.applicant = get("applicant_name");
    if (absl::Status s = ValidateText("applicant name", row.applicant, true,
                                      kMaxNameChars, 0, false);
        !s.ok()) {
      problems.push_back(std::string(s.message()));
    }
    if (std::string ch = get("channel"); !ch.empty()) {
      absl::StatusOr<Channel> channel = ParseChannel(ch);
      if (!channel.ok()) {
        problems.push_back(std::string(channel.status().message()));
      } else {
        row.channel = *channel;
      }
    }
    auto request_it = index.find("request");
    row.request = request_it->second < static_cast<int>(rec.fields.size())
                      ? RestoreCsvCell(rec.fields[request_it->second])
                      : "";
    if (absl::Status s = ValidateText("request text", row.request, true, 0,
                                      kMaxRequestBytes, true);
        !s.ok()) {
      problems.push_back(std::string(s.message()));
    }
    std::string answered = get("answered_on");
    std::string outcome = get("outcome");
    if (!answered.empty()) {
      absl::StatusOr<absl::CivilDay> a = ParseDate(answered);
      if (!a.ok()) {
        problems.push_back(absl::StrCat("answered_on: ", a.status().message()));
      } else if (*a > today) {
        problems.push_back(
            absl::StrCat("answered_on ", answered, " is in the future"));
      } else if (received.ok() && *a < *received) {
        problems.push_back(absl::StrCat("answered_on ", answered,
                                        " is before received_on ",
                                        FormatDate(*received)));
      } else {
        row.answered_on = *a;
      }
      if (outcome.empty()) {
        problems.push_back("outcome is required when answered_on is given");
      }
    } else if (!outcome.empty()) {
      problems.push_back("outcome is given but answered_on is empty");
    }
    if (!outcome.empty()) {
      absl::StatusOr<Outcome> o = ParseOutcome(outcome);
      if (!o.ok()) {
        problems.push_back(std::string(o.status().message()));
      } else {
        row.outcome = *o;
      }
    }
    if (!problems.empty()) {
      out.errors.push_back(
          absl::StrCat("line ", rec.line, ": ", absl::StrJoin(problems, "; ")));
      continue;
    }
    out.rows.push_back(std::move(row));
  }
  if (out.rows.empty() && out.errors.empty()) {
    return absl::InvalidArgumentError("the ledger has a header but no rows");
  }
  return out;
}

CaseRecord RecordFromLedgerRow(const LedgerRow& row, absl::Time now) {
  CaseRecord c;
  c.case_no = row.case_no;
  c.channel = row.channel;
  c.applicant_type = row.applicant_type;
  c.applicant = row.applicant;
  c.request = row.request;
  c.received_on = row.received_on;
  c.state = row.answered_on ? CaseState::kClosed : CaseState::kOpen;
  c.answered_on = row.answered_on;
  c.outcome = row.outcome;
  c.version = row.answered_on ? 2 : 1;
  c.created_at = now;
  c.updated_at = now;
  return c;
}

std::vector<std::string> LedgerHeader() {
  std::vector<std::string> h;
  for (const Column& c : kColumns) h.push_back(c.code);
  return h;
}

std::vector<std::string> LedgerCells(const CaseRecord& c) {
  return {c.case_no,
          FormatDate(c.received_on),
          std::string(Info(c.applicant_type).code),
          c.applicant,
          std::string(Info(c.channel).code),
          c.request,
          c.answered_on ? FormatDate(*c.answered_on) : "",
          c.outcome ? std::string(Info(*c.outcome).code) : ""};
}

std::string LedgerCsv(const std::vector<CaseRecord>& cases) {
  std::string out = kUtf8Bom;
  AppendCsvRecord(&out, LedgerHeader());
  for (const CaseRecord& c : cases) AppendCsvRecord(&out, LedgerCells(c));
  return out;
}

}  // namespace gongkai
