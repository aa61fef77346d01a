#include "formats/ledger.h"

#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/dates.h"
#include "common/lang.h"
#include "domain/clocks.h"
#include "formats/xlsx_reader.h"
#include "xlsxwriter.h"

namespace gongkai {
namespace {

constexpr LedgerColumn kColumns[] = {
    {"case_no", "申请编号", false, false},
    {"received_on", "收到日期", true, true},
    {"applicant_type", "申请人类型", true, false},
    {"applicant_name", "申请人", true, false},
    {"channel", "申请方式", false, false},
    {"request", "申请内容", true, false},
    {"answered_on", "答复日期", false, true},
    {"outcome", "办理结果", false, false},
};
constexpr int kColumnCount = static_cast<int>(std::size(kColumns));

// The header is looked for among this many first rows: a sheet may begin
// with a title ("2023年政府信息公开申请台账") and a blank line.
constexpr size_t kHeaderSearchRows = 10;

// The column a header cell names, or -1.
int ColumnNamed(absl::string_view cell) {
  cell = absl::StripAsciiWhitespace(cell);
  for (int i = 0; i < kColumnCount; ++i) {
    if (cell == kColumns[i].code || cell == kColumns[i].label) return i;
  }
  return -1;
}

// One problem of a row, in both languages.
struct Problem {
  std::string zh, en;
};

Problem Of(const absl::Status& s) {
  return {MessageIn(s, Lang::kZh), MessageIn(s, Lang::kEn)};
}

// The problem with a column's value: "「收到日期」：…" / "received_on: …".
Problem InColumn(const LedgerColumn& c, const Problem& p) {
  return {absl::StrCat("「", c.label, "」：", p.zh),
          absl::StrCat(c.code, ": ", p.en)};
}

bool ConsumeDigits(absl::string_view* s, int min, int max, int* out) {
  int n = 0, v = 0;
  while (n < static_cast<int>(s->size()) && n < max &&
         absl::ascii_isdigit((*s)[n])) {
    v = v * 10 + ((*s)[n] - '0');
    ++n;
  }
  if (n < min) return false;
  if (n < static_cast<int>(s->size()) && absl::ascii_isdigit((*s)[n])) {
    return false;
  }
  s->remove_prefix(n);
  *out = v;
  return true;
}

// A time of day after the date, as Excel writes "2024/1/10 0:00".
bool IsTimeOfDay(absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c) && c != ':' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::span<const LedgerColumn> LedgerColumns() { return kColumns; }

absl::StatusOr<absl::CivilDay> ParseLedgerDate(absl::string_view text) {
  absl::string_view s = absl::StripAsciiWhitespace(text);
  int y = 0, m = 0, d = 0;
  bool ok = ConsumeDigits(&s, 4, 4, &y);
  if (ok) {
    if (absl::ConsumePrefix(&s, "年")) {
      ok = ConsumeDigits(&s, 1, 2, &m) && absl::ConsumePrefix(&s, "月") &&
           ConsumeDigits(&s, 1, 2, &d);
      absl::ConsumePrefix(&s, "日");
    } else if (!s.empty() && (s[0] == '-' || s[0] == '/' || s[0] == '.')) {
      const char sep = s[0];
      s.remove_prefix(1);
      ok = ConsumeDigits(&s, 1, 2, &m) && absl::ConsumePrefix(&s, {&sep, 1}) &&
           ConsumeDigits(&s, 1, 2, &d);
    } else {
      ok = false;
    }
  }
  if (ok && !s.empty() && !(s[0] == ' ' && IsTimeOfDay(s))) ok = false;
  if (!ok) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("“", text,
                     "”不是日期；日期可写作 2024-01-10、2024/1/10、2024.1.10 "
                     "或 2024年1月10日"),
        absl::StrCat("'", text,
                     "' is not a date; write dates as 2024-01-10, 2024/1/10, "
                     "2024.1.10 or 2024年1月10日"));
  }
  if (!IsValidDate(y, m, d)) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("“", text, "”不是真实存在的日期"),
        absl::StrCat("'", text, "' is not a real calendar date"));
  }
  return absl::CivilDay(y, m, d);
}

absl::StatusOr<LedgerParse> ParseLedger(absl::string_view bytes,
                                        absl::CivilDay today) {
  if (LooksLikeZip(bytes)) {
    absl::StatusOr<std::vector<XlsxSheet>> sheets = ReadXlsx(bytes);
    if (!sheets.ok()) return sheets.status();
    // The first sheet with a ledger header; a workbook often has a cover
    // sheet or notes before it.
    for (const XlsxSheet& sheet : *sheets) {
      bool has_header = false;
      for (size_t r = 0; r < sheet.rows.size() && r < kHeaderSearchRows; ++r) {
        for (const std::string& cell : sheet.rows[r].fields) {
          has_header = has_header || ColumnNamed(cell) >= 0;
        }
      }
      if (!has_header) continue;
      absl::StatusOr<LedgerParse> parsed =
          ParseLedgerRecords(sheet.rows, today, /*from_csv=*/false);
      if (!parsed.ok()) {
        return PrefixError(parsed.status(),
                           absl::StrCat("工作表“", sheet.name, "”："),
                           absl::StrCat("sheet '", sheet.name, "': "));
      }
      parsed->format = LedgerFormat::kXlsx;
      parsed->sheet = sheet.name;
      return parsed;
    }
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        "工作簿中没有台账：没有一张工作表的前几行有“收到日期”“申请人”等列名",
        "the workbook holds no ledger: no sheet has a header row with "
        "received_on, applicant_name… (收到日期, 申请人…) near its top");
  }
  absl::StatusOr<DecodedText> text = DecodeSpreadsheetText(bytes);
  if (!text.ok()) return text.status();
  // Excel's "Unicode text" (UTF-16) and "text, tab-separated" separate the
  // columns by tabs: the header line tells, having tabs and no commas.
  CsvDialect dialect;
  absl::string_view header = text->text;
  header = header.substr(0, header.find('\n'));
  if (absl::StrContains(header, '\t') && !absl::StrContains(header, ',')) {
    dialect.separator = '\t';
  }
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsv(text->text, dialect);
  if (!records.ok()) return records.status();
  absl::StatusOr<LedgerParse> parsed =
      ParseLedgerRecords(*records, today, /*from_csv=*/true);
  if (!parsed.ok()) return parsed.status();
  parsed->format = LedgerFormat::kCsv;
  parsed->encoding = text->encoding;
  return parsed;
}

absl::StatusOr<LedgerParse> ParseLedgerRecords(
    const std::vector<CsvRecord>& records, absl::CivilDay today,
    bool from_csv) {
  if (records.empty()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument, "台账是空的",
                          "the ledger is empty");
  }
  // The header: the first row that names a column.
  size_t header_at = 0;
  while (header_at + 1 < records.size() && header_at + 1 < kHeaderSearchRows) {
    bool named = false;
    for (const std::string& cell : records[header_at].fields) {
      named = named || ColumnNamed(cell) >= 0;
    }
    if (named) break;
    ++header_at;
  }
  const CsvRecord& header = records[header_at];
  int index[kColumnCount];  // column -> field index, -1 when absent
  std::fill(std::begin(index), std::end(index), -1);
  for (size_t i = 0; i < header.fields.size(); ++i) {
    absl::string_view name = absl::StripAsciiWhitespace(header.fields[i]);
    if (name.empty()) continue;
    const int c = ColumnNamed(name);
    if (c < 0) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("第 ", header.line, " 行：未知的列“", name,
                       "”；台账的列为 申请编号、收到日期、申请人类型、申请人、"
                       "申请方式、申请内容、答复日期、办理结果（或 case_no, "
                       "received_on, applicant_type, applicant_name, channel, "
                       "request, answered_on, outcome）"),
          absl::StrCat("line ", header.line, ": unknown column '", name,
                       "'; the columns are case_no, received_on, "
                       "applicant_type, applicant_name, channel, request, "
                       "answered_on, outcome (or 申请编号, 收到日期, "
                       "申请人类型, 申请人, 申请方式, 申请内容, 答复日期, "
                       "办理结果)"));
    }
    if (index[c] >= 0) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("第 ", header.line, " 行：“", kColumns[c].label, "”（",
                       kColumns[c].code, "）列出现了两次"),
          absl::StrCat("line ", header.line, ": column ", kColumns[c].code,
                       " (", kColumns[c].label, ") appears twice"));
    }
    index[c] = static_cast<int>(i);
  }
  for (int c = 0; c < kColumnCount; ++c) {
    if (kColumns[c].required && index[c] < 0) {
      return LocalizedError(absl::StatusCode::kInvalidArgument,
                            absl::StrCat("台账缺少“", kColumns[c].label, "”（",
                                         kColumns[c].code, "）列"),
                            absl::StrCat("the ledger has no ", kColumns[c].code,
                                         " (", kColumns[c].label, ") column"));
    }
  }
  enum {
    kCaseNo,
    kReceived,
    kType,
    kName,
    kChannel,
    kRequest,
    kAnswered,
    kOutcome
  };

  LedgerParse out;
  std::map<std::string, int> case_no_lines;
  for (size_t r = header_at + 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    // The cell as written: the quote a CSV export puts before a formula
    // character is not part of the value (NeutraliseCsvCell), as in a
    // spreadsheet.
    auto raw = [&](int c) -> std::string {
      if (index[c] < 0 || index[c] >= static_cast<int>(rec.fields.size())) {
        return "";
      }
      const std::string& f = rec.fields[index[c]];
      return from_csv ? RestoreCsvCell(f) : f;
    };
    auto get = [&](int c) -> std::string {
      if (index[c] < 0 || index[c] >= static_cast<int>(rec.fields.size())) {
        return "";
      }
      absl::string_view f = absl::StripAsciiWhitespace(rec.fields[index[c]]);
      return from_csv ? RestoreCsvCell(f) : std::string(f);
    };
    std::vector<Problem> problems;
    auto problem = [&](int c, const absl::Status& s) {
      problems.push_back(InColumn(kColumns[c], Of(s)));
    };
    LedgerRow row;
    row.line = rec.line;
    if (from_csv && rec.fields.size() > header.fields.size()) {
      problems.push_back(
          {absl::StrCat("有 ", rec.fields.size(), " 个字段，但表头只有 ",
                        header.fields.size(), " 列"),
           absl::StrCat("has ", rec.fields.size(),
                        " fields but the header has ", header.fields.size())});
    }
    row.case_no = get(kCaseNo);
    if (!row.case_no.empty()) {
      if (absl::Status s = ValidateCaseNo(row.case_no); !s.ok()) {
        problem(kCaseNo, s);
      } else if (auto [it, fresh] =
                     case_no_lines.emplace(row.case_no, rec.line);
                 !fresh) {
        problems.push_back(
            InColumn(kColumns[kCaseNo],
                     {absl::StrCat("编号 ", row.case_no, " 已在第 ", it->second,
                                   " 行出现"),
                      absl::StrCat("case number ", row.case_no,
                                   " already appears on line ", it->second)}));
      }
    }
    const std::string received_text = get(kReceived);
    absl::StatusOr<absl::CivilDay> received = ParseLedgerDate(received_text);
    if (!received.ok()) {
      problem(kReceived, received.status());
    } else if (*received > today) {
      problems.push_back(
          InColumn(kColumns[kReceived],
                   {absl::StrCat(FormatDate(*received), " 晚于今天"),
                    absl::StrCat(FormatDate(*received), " is in the future")}));
    } else if (*received < kRegulations2008Effective) {
      problems.push_back(InColumn(
          kColumns[kReceived],
          {absl::StrCat(FormatDate(*received), " 早于《条例》施行之日"),
           absl::StrCat(FormatDate(*received),
                        " is before the Regulations took effect")}));
    } else {
      row.received_on = *received;
    }
    absl::StatusOr<ApplicantType> type = ParseApplicantType(get(kType));
    if (!type.ok()) {
      problem(kType, type.status());
    } else {
      row.applicant_type = *type;
    }
    row.applicant = get(kName);
    if (absl::Status s = ValidateText("applicant name", row.applicant, true,
                                      kMaxNameChars, 0, false);
        !s.ok()) {
      problem(kName, s);
    }
    if (std::string ch = get(kChannel); !ch.empty()) {
      absl::StatusOr<Channel> channel = ParseChannel(ch);
      if (!channel.ok()) {
        problem(kChannel, channel.status());
      } else {
        row.channel = *channel;
      }
    }
    // The request keeps its spaces and line breaks.
    row.request = raw(kRequest);
    if (absl::Status s = ValidateText("request text", row.request, true, 0,
                                      kMaxRequestBytes, true);
        !s.ok()) {
      problem(kRequest, s);
    }
    const std::string answered = get(kAnswered);
    const std::string outcome = get(kOutcome);
    if (!answered.empty()) {
      absl::StatusOr<absl::CivilDay> a = ParseLedgerDate(answered);
      if (!a.ok()) {
        problem(kAnswered, a.status());
      } else if (*a > today) {
        problems.push_back(
            InColumn(kColumns[kAnswered],
                     {absl::StrCat(FormatDate(*a), " 晚于今天"),
                      absl::StrCat(FormatDate(*a), " is in the future")}));
      } else if (received.ok() && *a < *received) {
        problems.push_back(
            InColumn(kColumns[kAnswered],
                     {absl::StrCat(FormatDate(*a), " 早于收到日期 ",
                                   FormatDate(*received)),
                      absl::StrCat(FormatDate(*a), " is before received_on ",
                                   FormatDate(*received))}));
      } else {
        row.answered_on = *a;
      }
      if (outcome.empty()) {
        problems.push_back(
            InColumn(kColumns[kOutcome],
                     {"有答复日期时必须填写办理结果",
                      "outcome is required when answered_on is given"}));
      }
    } else if (!outcome.empty()) {
      problems.push_back(
          InColumn(kColumns[kAnswered], {"填写了办理结果，但没有答复日期",
                                         "outcome is given but answered_on is "
                                         "empty"}));
    }
    if (!outcome.empty()) {
      absl::StatusOr<Outcome> o = ParseOutcome(outcome);
      if (!o.ok()) {
        problem(kOutcome, o.status());
      } else {
        row.outcome = *o;
      }
    }
    if (!problems.empty()) {
      std::vector<std::string> zh, en;
      for (Problem& p : problems) {
        zh.push_back(std::move(p.zh));
        en.push_back(std::move(p.en));
      }
      out.errors.push_back(
          {rec.line, LocalizedError(absl::StatusCode::kInvalidArgument,
                                    absl::StrCat("第 ", rec.line, " 行：",
                                                 absl::StrJoin(zh, "；")),
                                    absl::StrCat("line ", rec.line, ": ",
                                                 absl::StrJoin(en, "; ")))});
      continue;
    }
    out.rows.push_back(std::move(row));
  }
  if (out.rows.empty() && out.errors.empty()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "台账只有表头，没有数据行",
                          "the ledger has a header but no rows");
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

std::vector<std::string> LedgerHeader(LedgerStyle style) {
  std::vector<std::string> h;
  for (const LedgerColumn& c : kColumns) {
    h.emplace_back(style == LedgerStyle::kCodes ? c.code : c.label);
  }
  return h;
}

std::vector<std::string> LedgerCells(const CaseRecord& c, LedgerStyle style) {
  const bool codes = style == LedgerStyle::kCodes;
  auto name = [&](const auto& info) {
    return std::string(codes ? info.code : info.label);
  };
  return {c.case_no,
          FormatDate(c.received_on),
          name(Info(c.applicant_type)),
          c.applicant,
          name(Info(c.channel)),
          c.request,
          c.answered_on ? FormatDate(*c.answered_on) : "",
          c.outcome ? name(Info(*c.outcome)) : ""};
}

std::string LedgerCsv(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows) {
  std::string out = kUtf8Bom;
  AppendCsvRecord(&out, header);
  for (const std::vector<std::string>& row : rows) AppendCsvRecord(&out, row);
  return out;
}

std::string LedgerCsv(const std::vector<CaseRecord>& cases, LedgerStyle style) {
  std::string out = kUtf8Bom;
  AppendCsvRecord(&out, LedgerHeader(style));
  for (const CaseRecord& c : cases)
    AppendCsvRecord(&out, LedgerCells(c, style));
  return out;
}

absl::Status WriteLedgerXlsx(const std::vector<std::string>& header,
                             const std::vector<std::vector<std::string>>& rows,
                             const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) {
    return LocalizedError(absl::StatusCode::kInternal,
                          absl::StrCat("无法创建 ", path),
                          absl::StrCat("cannot create ", path));
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb, "台账");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");
  std::vector<bool> is_date(header.size(), false);
  for (size_t c = 0; c < header.size(); ++c) {
    const int col = ColumnNamed(header[c]);
    is_date[c] = col >= 0 && kColumns[col].date;
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c].c_str(),
                           bold);
    worksheet_set_column(ws, static_cast<lxw_col_t>(c),
                         static_cast<lxw_col_t>(c), is_date[c] ? 12 : 16,
                         nullptr);
  }
  worksheet_freeze_panes(ws, 1, 0);
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      const std::string& cell = rows[r][c];
      if (cell.empty()) continue;
      if (c < is_date.size() && is_date[c]) {
        // A date the daemon wrote is YYYY-MM-DD; anything else stays text.
        absl::StatusOr<absl::CivilDay> day = ParseDate(cell);
        if (day.ok()) {
          lxw_datetime dt = {
              static_cast<int>(day->year()), day->month(), day->day(), 0, 0, 0};
          worksheet_write_datetime(ws, row, col, &dt, date);
          continue;
        }
      }
      worksheet_write_string(ws, row, col, cell.c_str(), nullptr);
    }
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    return LocalizedError(
        absl::StatusCode::kInternal,
        absl::StrCat("无法写入 ", path, "：", lxw_strerror(err)),
        absl::StrCat("cannot write ", path, ": ", lxw_strerror(err)));
  }
  return absl::OkStatus();
}

}  // namespace gongkai
