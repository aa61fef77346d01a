#include "formats/csv.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/lang.h"
#include "common/text_width.h"

namespace gongkai {

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text,
                                                CsvDialect dialect) {
  if (absl::StartsWith(text, kUtf8Bom)) text.remove_prefix(3);
  if (!IsValidUtf8(text)) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        "文件不是 UTF-8 文本；请另存为“CSV UTF-8”后重试",
        "the file is not UTF-8 text; save it as \"CSV UTF-8\" and try again");
  }
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  int line = 1;
  record.line = 1;
  size_t i = 0;
  bool in_quotes = false, field_started = false, after_quote = false;
  int quote_line = 0;
  auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
    after_quote = false;
  };
  auto end_record = [&] {
    end_field();
    // Skip blank lines entirely.
    if (!(record.fields.size() == 1 && record.fields[0].empty())) {
      records.push_back(std::move(record));
    }
    record = CsvRecord();
    record.line = line;
  };
  while (i < text.size()) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          i += 2;
          continue;
        }
        in_quotes = false;
        after_quote = true;
        ++i;
        continue;
      }
      if (c == '\n') ++line;
      field.push_back(c);
      ++i;
      continue;
    }
    if (c == dialect.separator) {
      end_field();
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
      end_record();
      continue;
    }
    if (after_quote && !dialect.strict_quotes) {
      after_quote = false;  // "a"b goes on as ab, as Excel reads it
    } else if (after_quote) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("第 ", line,
                       " 行：右引号之后还有文字；带引号的字段中的引号必须写两次"
                       "（\"\"）"),
          absl::StrCat("line ", line,
                       ": text after a closing quote; a quote inside a "
                       "quoted field must be doubled (\"\")"));
    }
    if (c == '"') {
      if (field_started && !dialect.strict_quotes) {
        field.push_back(c);
        ++i;
        continue;
      }
      if (field_started) {
        return LocalizedError(
            absl::StatusCode::kInvalidArgument,
            absl::StrCat("第 ", line, " 行：不带引号的字段中间出现了引号"),
            absl::StrCat("line ", line,
                         ": a quote in the middle of an unquoted field"));
      }
      in_quotes = true;
      quote_line = line;
      field_started = true;
      ++i;
      continue;
    }
    field.push_back(c);
    field_started = true;
    ++i;
  }
  if (in_quotes) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("第 ", quote_line, " 行：带引号的字段没有结束的引号"),
        absl::StrCat("line ", quote_line, ": a quoted field is never closed"));
  }
  if (field_started || after_quote || !record.fields.empty()) end_record();
  return records;
}

namespace {

bool StartsFormula(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// True when `cell` is zero or more quotes followed by a formula character.
bool QuotesThenFormula(absl::string_view cell) {
  size_t i = 0;
  while (i < cell.size() && cell[i] == '\'') ++i;
  return i < cell.size() && StartsFormula(cell[i]);
}

}  // namespace

std::string NeutraliseCsvCell(absl::string_view cell) {
  if (QuotesThenFormula(cell)) return absl::StrCat("'", cell);
  return std::string(cell);
}

std::string RestoreCsvCell(absl::string_view cell) {
  if (!cell.empty() && cell[0] == '\'' && QuotesThenFormula(cell.substr(1))) {
    cell.remove_prefix(1);
  }
  return std::string(cell);
}

void AppendCsvRecord(std::string* out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    const std::string f = NeutraliseCsvCell(fields[i]);
    bool quote = f.find_first_of(",\"\r\n") != std::string::npos ||
                 (!f.empty() && (f.front() == ' ' || f.back() == ' '));
    if (!quote) {
      out->append(f);
      continue;
    }
    out->push_back('"');
    for (char c : f) {
      if (c == '"') out->push_back('"');
      out->push_back(c);
    }
    out->push_back('"');
  }
  out->append("\r\n");
}

}  // namespace gongkai
