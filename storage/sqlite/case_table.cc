#include "storage/sqlite/case_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "domain/case_no_pattern.h"
#include "storage/sqlite/audit_chain.h"
#include "storage/sqlite/case_no_mark.h"
#include "storage/sqlite/case_text.h"
#include "storage/sqlite/document_table.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {
namespace {

// Binds the mutable columns of a case in the order the UPDATE and INSERT
// statements below expect (parameters 1-15).
void BindCaseColumns(Statement& s, const CaseRecord& c) {
  s.BindText(1, Info(c.state).code);
  s.BindText(2, Info(c.channel).code);
  s.BindText(3, Info(c.applicant_type).code);
  s.BindText(4, c.applicant);
  s.BindText(5, c.contact);
  s.BindText(6, c.id_number);
  s.BindText(7, c.request);
  s.BindText(8, FormatDate(c.received_on));
  s.BindOptionalText(9, OptionalDate(c.answered_on));
  if (c.outcome.has_value()) {
    s.BindText(10, Info(*c.outcome).code);
  } else {
    s.BindNull(10);
  }
  s.BindText(11, c.answer_note);
  s.BindInt(12, c.version);
  s.BindText(13, FormatTimestamp(c.updated_at));
  s.BindInt(14, c.received_on.year());
  s.BindText(15, c.assignee);
}

// The search index's insert trigger (storage/migrations.cc, version 8).
constexpr char kTextInsertTrigger[] = "cases_text_insert";

// A bulk import's rows are indexed for search in one statement after them,
// with the insert trigger out of the way while they are written: the
// trigger's program run once per row cost more than the rows themselves
// (docs/performance.md, "Ledger import"). The rows it adds are exactly the
// trigger's: the same columns through the same gk_bigrams, in rowid order.
//
// The trigger is dropped and created again inside the import's transaction
// (or savepoint), from the text SQLite keeps for it, so no other write ever
// sees it missing, an import that fails gets it back with its rollback, and
// the schema after the import is byte for byte the one before.
class TextTriggerAside {
 public:
  // Drops the trigger, keeping its text.
  static absl::StatusOr<TextTriggerAside> Begin(Database& db) {
    std::string sql;
    {
      ASSIGN_OR_RETURN(ScopedStatement s,
                       db.Prepare("SELECT sql FROM sqlite_schema WHERE "
                                  "type = 'trigger' AND name = ?"));
      s->BindText(1, kTextInsertTrigger);
      ASSIGN_OR_RETURN(bool found, s->Step());
      if (!found) {
        return LocalizedError(
            absl::StatusCode::kDataLoss,
            absl::StrCat("数据库结构中缺少搜索索引的触发器 ",
                         kTextInsertTrigger),
            absl::StrCat("the search index's trigger ", kTextInsertTrigger,
                         " is missing from the schema"));
      }
      sql = s->ColumnText(0);
    }  // reset before the schema changes
    RETURN_IF_ERROR(
        db.Execute(absl::StrCat("DROP TRIGGER ", kTextInsertTrigger)));
    return TextTriggerAside(db, std::move(sql));
  }

  // Indexes the cases with ids `first` to `last` (none when first > last)
  // and creates the trigger again.
  absl::Status IndexAndRestore(int64_t first, int64_t last) {
    if (first <= last) {
      ASSIGN_OR_RETURN(
          ScopedStatement index,
          db_->Prepare("INSERT INTO case_text (rowid, applicant, request, "
                       "contact) SELECT id, gk_bigrams(applicant), "
                       "gk_bigrams(request), gk_bigrams(contact) FROM cases "
                       "WHERE id BETWEEN ?1 AND ?2 ORDER BY id"));
      index->BindInt(1, first);
      index->BindInt(2, last);
      RETURN_IF_ERROR(index->Run());
    }
    return db_->Execute(trigger_sql_);
  }

 private:
  TextTriggerAside(Database& db, std::string trigger_sql)
      : db_(&db), trigger_sql_(std::move(trigger_sql)) {}
  Database* db_;
  std::string trigger_sql_;
};

}  // namespace

void CountContribution(const CaseRecord& c, int64_t sign, CountDeltas& deltas) {
  deltas[{c.agency, static_cast<int>(c.received_on.year()), "new",
          c.applicant_type}] += sign;
  if (c.state == CaseState::kClosed && c.answered_on && c.outcome) {
    deltas[{c.agency, static_cast<int>(c.answered_on->year()),
            std::string(Info(*c.outcome).code), c.applicant_type}] += sign;
  }
}

absl::StatusOr<CaseRecord> SqliteCaseTable::Get(absl::string_view case_no) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare(absl::StrCat("SELECT ", kCaseColumns,
                                             " FROM cases WHERE case_no = ?")));
  s->BindText(1, case_no);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) {
    return LocalizedError(absl::StatusCode::kNotFound,
                          absl::StrCat("没有编号为“", case_no, "”的案件"),
                          absl::StrCat("no case numbered '", case_no, "'"));
  }
  return ReadCase(*s);
}

absl::StatusOr<std::vector<CaseRecord>> SqliteCaseTable::GetMany(
    const std::vector<std::string>& case_nos) {
  std::vector<CaseRecord> out;
  for (const std::string& no : case_nos) {
    absl::StatusOr<CaseRecord> c = Get(no);
    if (absl::IsNotFound(c.status())) continue;
    if (!c.ok()) return c.status();
    out.push_back(*std::move(c));
  }
  return out;
}

absl::StatusOr<std::vector<CaseEvent>> SqliteCaseTable::Events(
    int64_t case_id) {
  ASSIGN_OR_RETURN(ScopedStatement s, db().Prepare(absl::StrCat(
                                          "SELECT ", kCaseEventColumns,
                                          " FROM case_events WHERE case_id = ?"
                                          " ORDER BY seq")));
  s->BindInt(1, case_id);
  return CollectRows(*s, ReadCaseEvent<Statement>);
}

absl::StatusOr<std::map<int64_t, std::vector<CaseEvent>>>
SqliteCaseTable::EventsOf(const std::vector<int64_t>& case_ids) {
  std::map<int64_t, std::vector<CaseEvent>> out;
  // Chunks keep the statement shape fixed (one cached statement).
  constexpr size_t kChunk = 64;
  static const std::string kSql = [] {
    std::string sql = absl::StrCat("SELECT ", kCaseEventColumns,
                                   " FROM case_events WHERE case_id IN (");
    for (size_t i = 0; i < kChunk; ++i) absl::StrAppend(&sql, i ? ",?" : "?");
    absl::StrAppend(&sql, ") ORDER BY case_id, seq");
    return sql;
  }();
  for (size_t start = 0; start < case_ids.size(); start += kChunk) {
    ASSIGN_OR_RETURN(ScopedStatement s, db().Prepare(kSql));
    for (size_t i = 0; i < kChunk; ++i) {
      size_t at = std::min(start + i, case_ids.size() - 1);
      s->BindInt(static_cast<int>(i) + 1, case_ids[at]);
    }
    while (true) {
      ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      ASSIGN_OR_RETURN(CaseEvent e, ReadCaseEvent(*s));
      out[s->ColumnInt(0)].push_back(std::move(e));
    }
  }
  return out;
}

absl::StatusOr<CasePage> SqliteCaseTable::List(const CaseQuery& query) {
  // One statement per shape of query: the fixed filters take "match
  // anything" parameters, and only the search words (whose number varies)
  // and the order change the text.
  std::vector<std::string> words;
  std::vector<std::string> applicant_words;
  if (!query.search.empty()) {
    ASSIGN_OR_RETURN(words, SearchWords(query.search));
  }
  if (!query.applicant.empty()) {
    ASSIGN_OR_RETURN(applicant_words, SearchWords(query.applicant));
  }
  // Only the filters given are in the statement, so that SQLite can use
  // the index each one has (receipt, deadline, outcome, assignee, the
  // full-text index); each shape of query is prepared once and kept.
  // Parameters ?1-?10 are the fixed filters, ?11-?13 the cursor and the
  // page size, ?14 the count's limit, ?20 on the full-text match and the
  // words to confirm.
  std::string filter = " WHERE 1";
  std::vector<std::pair<int, std::string>> texts;
  std::vector<std::pair<int, int64_t>> ints;
  if (query.state.has_value()) {
    filter += " AND state = ?1";
    texts.emplace_back(1, std::string(Info(*query.state).code));
  }
  if (query.receipt_year != 0) {
    filter += " AND receipt_year = ?2";
    ints.emplace_back(2, query.receipt_year);
  }
  if (query.applicant_type.has_value()) {
    filter += " AND applicant_type = ?3";
    texts.emplace_back(3, std::string(Info(*query.applicant_type).code));
  }
  if (query.open_only) filter += " AND state != 'closed'";
  if (!query.assignee.empty()) {
    filter += " AND assignee = ?5";
    texts.emplace_back(5, query.assignee);
  }
  if (!query.agencies.empty()) {
    filter += " AND instr(?6, ',' || agency || ',') > 0";
    texts.emplace_back(6, AgencyList(query.agencies));
  }
  if (query.received_from.has_value()) {
    filter += " AND received_on >= ?7";
    texts.emplace_back(7, FormatDate(*query.received_from));
  }
  if (query.received_to.has_value()) {
    filter += " AND received_on <= ?8";
    texts.emplace_back(8, FormatDate(*query.received_to));
  }
  if (query.outcome.has_value()) {
    filter += " AND outcome = ?9";
    texts.emplace_back(9, std::string(Info(*query.outcome).code));
  }
  if (query.overdue_on.has_value()) {
    // The expression of cases_by_due, so that its index answers it.
    filter += " AND state != 'closed' AND ifnull(due_on, '9999-12-31') < ?10";
    texts.emplace_back(10, FormatDate(*query.overdue_on));
  }
  // The search: the full-text match (?20) finds the rows holding each
  // word's bigrams in a row; the substring itself is confirmed on the row
  // (ASCII letters compared without case, as the index does). Every row
  // holding the substring holds its bigrams, so the confirmation alone is
  // the whole condition and the match only a way to find the rows.
  int next = 20;
  std::string match;
  if (!words.empty() || !applicant_words.empty()) {
    match = MatchExpression(words, "");
    if (!applicant_words.empty()) {
      absl::StrAppend(&match, match.empty() ? "" : " AND ",
                      MatchExpression(applicant_words, "applicant"));
    }
    texts.emplace_back(next++, match);
  }
  for (const std::string& w : words) {
    absl::StrAppend(&filter, " AND (instr(lower(applicant), ?", next,
                    ") OR instr(lower(request), ?", next,
                    ") OR instr(lower(contact), ?", next, "))");
    texts.emplace_back(next++, w);
  }
  for (const std::string& w : applicant_words) {
    absl::StrAppend(&filter, " AND instr(lower(applicant), ?", next, ")");
    texts.emplace_back(next++, w);
  }
  auto bind_filter = [&](Statement& s) {
    for (const auto& [index, text] : texts) s.BindText(index, text);
    for (const auto& [index, n] : ints) s.BindInt(index, n);
  };
  // Rows in the order of the full-text index (ascending id), one case
  // lookup each, streamed: a LIMIT stops the index too.
  constexpr absl::string_view kByText =
      " FROM (SELECT rowid AS hit FROM case_text WHERE case_text MATCH ?20)"
      " CROSS JOIN cases ON cases.id = hit";
  const absl::string_view source =
      match.empty() ? absl::string_view(" FROM cases") : kByText;

  // The count stops after count_limit matches: a word found in tens of
  // thousands of cases would otherwise cost a lookup of every one. The
  // largest id counted tells how densely the matches lie among the cases.
  CasePage page;
  int64_t counted = 0;
  int64_t last_id = 0;
  {
    ASSIGN_OR_RETURN(ScopedStatement count,
                     db().Prepare(absl::StrCat(
                         "SELECT count(*), ifnull(max(id), 0) FROM (SELECT "
                         "cases.id AS id",
                         source, filter, " LIMIT ?14)")));
    bind_filter(*count);
    count->BindInt(14, query.count_limit > 0 ? query.count_limit + 1 : -1);
    ASSIGN_OR_RETURN(bool row, count->Step());
    (void)row;
    counted = count->ColumnInt(0);
    last_id = count->ColumnInt(1);
  }
  page.total = counted;
  if (query.count_limit > 0 && counted > query.count_limit) {
    page.total = query.count_limit;
    page.total_is_lower_bound = true;
  }
  if (counted == 0) return page;

  // The page, in one of two ways, whichever reads fewer rows:
  // - from the full-text index: every row it finds is looked up and the
  //   matches sorted, about as many reads as the index finds rows;
  // - along the order's index (cases_by_receipt, cases_by_due, the case
  //   number's own), confirming the words on each row and stopping at the
  //   page's end: about the page size divided by the share of cases that
  //   match. A word found in one case in ten fills a page of 20 from 200
  //   rows where the full-text index would hand over 100,000.
  // The share is what the count saw: `counted` matches among ids up to
  // `last_id` when it stopped early, otherwise among all cases. The index
  // is then asked (cheaply: no case is read) whether it finds more rows
  // than the walk would read.
  bool walk = match.empty();
  if (!walk) {
    int64_t span = last_id;
    if (!page.total_is_lower_bound) {
      ASSIGN_OR_RETURN(ScopedStatement n,
                       db().Prepare("SELECT ifnull(max(id), 0) FROM cases"));
      ASSIGN_OR_RETURN(bool row, n->Step());
      (void)row;
      span = n->ColumnInt(0);
    }
    const double walk_rows = static_cast<double>(query.limit + 1) *
                             static_cast<double>(span) /
                             static_cast<double>(counted);
    // Beyond every case: the walk cannot win.
    if (walk_rows < static_cast<double>(span)) {
      const int64_t enough = static_cast<int64_t>(walk_rows) + 1;
      ASSIGN_OR_RETURN(
          ScopedStatement probe,
          db().Prepare("SELECT count(*) FROM (SELECT 1 FROM case_text WHERE "
                       "case_text MATCH ?1 LIMIT ?2)"));
      probe->BindText(1, match);
      probe->BindInt(2, enough);
      ASSIGN_OR_RETURN(bool row, probe->Step());
      (void)row;
      walk = probe->ColumnInt(0) >= enough;
    }
  }
  // Each order ends in the id, so that the cursor is exact, whichever way
  // the page is read.
  absl::string_view key = "received_on";
  if (query.sort == CaseSort::kDue) key = "ifnull(due_on, '9999-12-31')";
  if (query.sort == CaseSort::kCaseNo) key = "case_no";
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare(absl::StrCat(
          "SELECT ", kCaseColumns, walk ? " FROM cases" : source, filter,
          query.after.has_value()
              ? absl::StrCat(" AND (", key, ", id) > (?11, ?12)")
              : "",
          " ORDER BY ", key, ", id LIMIT ?13")));
  bind_filter(*s);
  if (query.after.has_value()) {
    s->BindText(11, query.after->key);
    s->BindInt(12, query.after->id);
  }
  s->BindInt(13, query.limit + 1);
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    if (static_cast<int>(page.cases.size()) == query.limit) {
      page.more = true;
      break;
    }
    ASSIGN_OR_RETURN(CaseRecord c, ReadCase(*s));
    page.cases.push_back(std::move(c));
  }
  return page;
}

absl::Status SqliteCaseTable::SetDueDates(const std::vector<DueDate>& due) {
  RETURN_IF_ERROR(session_->RequireWrite("recording reply deadlines"));
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("UPDATE cases SET due_on = ?1 WHERE id = ?2 AND "
                   "version = ?3"));
  for (const DueDate& d : due) {
    s->BindOptionalText(1, OptionalDate(d.due_on));
    s->BindInt(2, d.id);
    s->BindInt(3, d.version);
    RETURN_IF_ERROR(s->Run());
    s->Reset();
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteCaseTable::CountApplications(
    const std::string& applicant, absl::CivilDay from, absl::CivilDay to,
    const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("SELECT count(*) FROM cases WHERE applicant = ?1 "
                   "AND received_on BETWEEN ?2 AND ?3 "
                   "AND (?4 = '' OR instr(?4, ',' || agency || ',') > 0)"));
  s->BindText(1, applicant);
  s->BindText(2, FormatDate(from));
  s->BindText(3, FormatDate(to));
  s->BindText(4, AgencyList(agencies));
  ASSIGN_OR_RETURN(bool row, s->Step());
  (void)row;
  return s->ColumnInt(0);
}

absl::StatusOr<std::optional<absl::CivilDay>>
SqliteCaseTable::LatestApplication(const std::string& applicant,
                                   const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("SELECT max(received_on) FROM cases WHERE applicant = ?1 "
                   "AND (?2 = '' OR instr(?2, ',' || agency || ',') > 0)"));
  s->BindText(1, applicant);
  s->BindText(2, AgencyList(agencies));
  ASSIGN_OR_RETURN(bool row, s->Step());
  // max() over no rows is one NULL row, read as "".
  if (!row || s->ColumnText(0).empty()) return std::nullopt;
  ASSIGN_OR_RETURN(absl::CivilDay day, ParseDate(s->ColumnText(0)));
  return day;
}

absl::StatusOr<std::vector<std::string>> SqliteCaseTable::Existing(
    const std::vector<std::string>& case_nos) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare("SELECT 1 FROM cases WHERE case_no = ?"));
  std::vector<std::string> out;
  for (const std::string& no : case_nos) {
    s->BindText(1, no);
    ASSIGN_OR_RETURN(bool found, s->Step());
    s->Reset();
    if (found) out.push_back(no);
  }
  return out;
}

absl::StatusOr<std::vector<CaseRecord>> SqliteCaseTable::Ledger(
    int year, const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare(absl::StrCat(
                       "SELECT ", kCaseColumns,
                       " FROM cases WHERE (receipt_year = ?1 OR "
                       "(answered_on BETWEEN ?2 AND ?3)) AND "
                       "(?4 = '' OR instr(?4, ',' || agency || ',') > 0) "
                       "ORDER BY received_on, id")));
  s->BindInt(1, year);
  s->BindText(2, YearStart(year));
  s->BindText(3, YearEnd(year));
  s->BindText(4, AgencyList(agencies));
  return CollectRows(*s, ReadCase<Statement>);
}

absl::StatusOr<std::string> SqliteCaseTable::NextCaseNo(
    int year, const std::string& agency) {
  // An agency with its own pattern has its own sequence; the others share
  // the default one, as their numbers would otherwise collide.
  std::string pattern;
  if (!agency.empty()) {
    ASSIGN_OR_RETURN(
        ScopedStatement p,
        db().Prepare("SELECT case_no_pattern FROM agencies WHERE code = ?"));
    p->BindText(1, agency);
    ASSIGN_OR_RETURN(bool found, p->Step());
    if (found) pattern = p->ColumnText(0);
  }
  const bool own = !pattern.empty();
  const std::string sequence =
      own ? absl::StrCat("agency:", agency) : "default";
  ASSIGN_OR_RETURN(
      ScopedStatement seq,
      db().Prepare(own ? "SELECT next FROM case_no_counters WHERE agency = ?2 "
                         "AND year = ?1"
                       : "SELECT next FROM case_no_sequences WHERE year = ?1"));
  seq->BindInt(1, year);
  if (own) seq->BindText(2, agency);
  ASSIGN_OR_RETURN(bool has_row, seq->Step());
  int64_t next = has_row ? seq->ColumnInt(0) : 1;
  // A restored database's counter may be behind numbers issued since the
  // backup was made; the mark beside the file is not rolled back.
  CaseNoMark* mark = session_->case_no_mark;
  if (mark != nullptr) next = std::max(next, mark->Highest(sequence, year) + 1);
  ASSIGN_OR_RETURN(ScopedStatement taken,
                   db().Prepare("SELECT 1 FROM cases WHERE case_no = ?"));
  // Skip numbers a clerk already chose by hand.
  std::string candidate;
  while (true) {
    ASSIGN_OR_RETURN(candidate, FormatCaseNo(pattern, year, next));
    taken->BindText(1, candidate);
    ASSIGN_OR_RETURN(bool used, taken->Step());
    taken->Reset();
    if (!used) break;
    ++next;
  }
  // Durable before the number is committed: a restore cannot undo it.
  if (mark != nullptr) {
    ASSIGN_OR_RETURN(std::optional<CaseNoMark::Raised> raised,
                     mark->Raise(sequence, year, next));
    // Taken back by the store if this write is rolled back.
    if (raised.has_value()) session_->case_no_raised.push_back(*raised);
  }
  ASSIGN_OR_RETURN(
      ScopedStatement upsert,
      db().Prepare(
          own ? "INSERT INTO case_no_counters (year, next, agency) "
                "VALUES (?1, ?2, ?3) ON CONFLICT (agency, year) DO UPDATE "
                "SET next = excluded.next"
              : "INSERT INTO case_no_sequences (year, next) VALUES (?1, ?2) "
                "ON CONFLICT (year) DO UPDATE SET next = excluded.next"));
  upsert->BindInt(1, year);
  upsert->BindInt(2, next + 1);
  if (own) upsert->BindText(3, agency);
  RETURN_IF_ERROR(upsert->Run());
  return candidate;
}

absl::StatusOr<CaseRecord> SqliteCaseTable::InsertRow(CaseRecord record,
                                                      CountDeltas* deltas) {
  if (record.case_no.empty()) {
    ASSIGN_OR_RETURN(record.case_no,
                     NextCaseNo(record.received_on.year(), record.agency));
  } else {
    // The number may be another agency's: say only that it is taken.
    ASSIGN_OR_RETURN(ScopedStatement taken,
                     db().Prepare("SELECT 1 FROM cases WHERE case_no = ?"));
    taken->BindText(1, record.case_no);
    ASSIGN_OR_RETURN(bool used, taken->Step());
    if (used) {
      return LocalizedError(
          absl::StatusCode::kAlreadyExists,
          absl::StrCat("案件编号 ", record.case_no,
                       " 已被使用；请另选一个，或不填以取得下一个可用编号"),
          absl::StrCat("case number ", record.case_no,
                       " is taken; choose another or leave it out to get the "
                       "next free number"));
    }
  }
  ASSIGN_OR_RETURN(
      ScopedStatement insert,
      db().Prepare(
          "INSERT INTO cases (state, channel, applicant_type, applicant, "
          "contact, id_number, request, received_on, answered_on, outcome, "
          "answer_note, version, updated_at, receipt_year, assignee, case_no, "
          "created_at, agency, due_on, query_code) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?)"));
  if (record.query_code.empty()) {
    ASSIGN_OR_RETURN(record.query_code, NewQueryCode(db()));
  }
  BindCaseColumns(*insert, record);
  insert->BindText(16, record.case_no);
  insert->BindText(17, FormatTimestamp(record.created_at));
  insert->BindText(18, record.agency);
  insert->BindOptionalText(19, OptionalDate(record.due_on));
  insert->BindText(20, record.query_code);
  RETURN_IF_ERROR(insert->Run());
  record.id = db().LastInsertRowId();
  CountDeltas own;
  CountDeltas& counts = deltas != nullptr ? *deltas : own;
  CountContribution(record, +1, counts);
  if (deltas == nullptr) RETURN_IF_ERROR(WriteCounts(own));
  return record;
}

absl::Status SqliteCaseTable::WriteCounts(const CountDeltas& deltas) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare(
          "INSERT INTO case_counts (agency, year, kind, applicant_type, n) "
          "VALUES (?, ?, ?, ?, ?) ON CONFLICT (agency, year, kind, "
          "applicant_type) DO UPDATE SET n = n + excluded.n"));
  for (const auto& [key, n] : deltas) {
    if (n == 0) continue;  // moved from and back to the same count
    const auto& [agency, year, kind, type] = key;
    s->BindText(1, agency);
    s->BindInt(2, year);
    s->BindText(3, kind);
    s->BindText(4, Info(type).code);
    s->BindInt(5, n);
    RETURN_IF_ERROR(s->Run());
    s->Reset();
  }
  return absl::OkStatus();
}

absl::StatusOr<CaseRecord> SqliteCaseTable::Insert(CaseRecord record,
                                                   CaseEvent* event) {
  RETURN_IF_ERROR(session_->RequireWrite("creating a case"));
  ASSIGN_OR_RETURN(record, InsertRow(std::move(record)));
  RETURN_IF_ERROR(AppendCaseEvent(*session_, record.id, *event, nullptr,
                                  /*seq=*/1));
  return record;
}

absl::Status SqliteCaseTable::Update(const CaseRecord& before,
                                     const CaseRecord& after,
                                     CaseEvent* event) {
  RETURN_IF_ERROR(session_->RequireWrite("changing a case"));
  if (after.id != before.id || after.case_no != before.case_no) {
    return absl::InvalidArgumentError(
        absl::StrCat("an update of case ", before.case_no,
                     " must not change its id or number"));
  }
  ASSIGN_OR_RETURN(
      ScopedStatement update,
      db().Prepare("UPDATE cases SET state = ?1, channel = ?2, "
                   "applicant_type = ?3, applicant = ?4, contact = ?5, "
                   "id_number = ?6, request = ?7, received_on = ?8, "
                   "answered_on = ?9, outcome = ?10, answer_note = ?11, "
                   "version = ?12, updated_at = ?13, receipt_year = ?14, "
                   "assignee = ?15, agency = ?18, due_on = ?19 "
                   "WHERE id = ?16 AND version = ?17"));
  BindCaseColumns(*update, after);
  update->BindInt(16, before.id);
  update->BindInt(17, before.version);
  update->BindText(18, after.agency);
  update->BindOptionalText(19, OptionalDate(after.due_on));
  RETURN_IF_ERROR(update->Run());
  if (db().Changes() != 1) {
    return LocalizedError(
        absl::StatusCode::kAborted,
        absl::StrCat("案件 ", before.case_no, " 同时被他人修改；请重试"),
        absl::StrCat("case ", before.case_no,
                     " changed concurrently; try again"));
  }
  // Move the counts: take away what the case counted as it was, add what
  // it counts now (a correction of the receipt date, a reopened case, a
  // changed outcome all move correctly, not only a first close).
  CountDeltas deltas;
  CountContribution(before, -1, deltas);
  CountContribution(after, +1, deltas);
  RETURN_IF_ERROR(WriteCounts(deltas));
  return AppendCaseEvent(*session_, before.id, *event);
}

absl::StatusOr<std::optional<std::string>> SqliteCaseTable::FindImport(
    const std::string& content_hash) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("SELECT imported_at, imported_by, source, rows FROM "
                   "ledger_imports WHERE content_hash = ?"));
  s->BindText(1, content_hash);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(
      absl::StrCat(s->ColumnText(0), " by ", s->ColumnText(1), " from ",
                   s->ColumnText(2), " (", s->ColumnInt(3), " rows)"));
}

absl::Status SqliteCaseTable::Import(std::vector<ImportedCase> cases,
                                     const std::string& content_hash,
                                     const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("importing a ledger"));
  ASSIGN_OR_RETURN(
      ScopedStatement seen,
      db().Prepare("INSERT INTO ledger_imports (content_hash, source, "
                   "rows, imported_at, imported_by) VALUES "
                   "(?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
  seen->BindText(1, content_hash);
  seen->BindText(2, event.subject);
  seen->BindInt(3, static_cast<int64_t>(cases.size()));
  seen->BindText(4, FormatTimestamp(event.at));
  seen->BindText(5, event.actor);
  RETURN_IF_ERROR(seen->Run());
  if (db().Changes() == 0) {
    return LocalizedError(absl::StatusCode::kAlreadyExists,
                          "这份台账已经导入过",
                          "this ledger was already imported");
  }
  if (session_->has_checkpointer && !session_->bulk_import) {
    // The caller should not wait for tens of thousands of pages to be
    // copied into the database file at commit: the checkpointer does that
    // after the commit (the store turns the automatic checkpoint back on
    // and nudges it once the transaction has ended).
    session_->bulk_import = true;
    RETURN_IF_ERROR(db().Execute("PRAGMA wal_autocheckpoint=0"));
  }
  // On any failure below the caller's transaction is rolled back, and the
  // trigger with it.
  ASSIGN_OR_RETURN(TextTriggerAside aside, TextTriggerAside::Begin(db()));
  std::string chain;  // the last link, carried through the import
  CountDeltas counts;
  int64_t first_id = 1, last_id = 0;
  for (ImportedCase& c : cases) {
    absl::StatusOr<CaseRecord> stored = InsertRow(std::move(c.record), &counts);
    if (!stored.ok()) {
      return PrefixError(stored.status(), absl::StrCat("第 ", c.line, " 行："),
                         absl::StrCat("line ", c.line, ": "));
    }
    // Each new row's id is one more than the largest so far: the import's
    // rows are exactly the ids from the first to the last.
    if (first_id > last_id) first_id = stored->id;
    last_id = stored->id;
    int64_t seq = 0;
    for (CaseEvent& e : c.events) {
      RETURN_IF_ERROR(AppendCaseEvent(*session_, stored->id, e, &chain, ++seq));
    }
  }
  RETURN_IF_ERROR(aside.IndexAndRestore(first_id, last_id));
  RETURN_IF_ERROR(WriteCounts(counts));
  return AppendRecordEvent(*session_, event);
}

absl::StatusOr<std::vector<CaseFact>> SqliteCaseTable::ReportFacts(
    int year, const std::vector<std::string>& agencies) {
  // Cases received by the year's end and not closed before it began.
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("SELECT received_on, answered_on, outcome, applicant_type "
                   "FROM cases WHERE received_on <= ?1 AND "
                   "(answered_on IS NULL OR answered_on >= ?2) AND "
                   "(?3 = '' OR instr(?3, ',' || agency || ',') > 0)"));
  s->BindText(1, YearEnd(year));
  s->BindText(2, YearStart(year));
  s->BindText(3, AgencyList(agencies));
  return CollectRows(*s, [](const Statement& row) -> absl::StatusOr<CaseFact> {
    CaseFact f;
    ASSIGN_OR_RETURN(f.received_on, StoredDate(row.ColumnText(0)));
    if (!row.IsNull(1)) {
      ASSIGN_OR_RETURN(f.closed_on, StoredDate(row.ColumnText(1)));
      absl::StatusOr<Outcome> o = ParseOutcome(row.ColumnText(2));
      if (!o.ok()) return absl::DataLossError("a case has an unknown outcome");
      f.outcome = *o;
    }
    absl::StatusOr<ApplicantType> t = ParseApplicantType(row.ColumnText(3));
    if (!t.ok()) {
      return absl::DataLossError("a case has an unknown applicant type");
    }
    f.applicant_type = *t;
    return f;
  });
}

absl::StatusOr<Table3> SqliteCaseTable::Table3Of(
    int year, const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("SELECT year, kind, applicant_type, SUM(n) FROM case_counts "
                   "WHERE year <= ?1 AND "
                   "(?2 = '' OR instr(?2, ',' || agency || ',') > 0) "
                   "GROUP BY year, kind, applicant_type"));
  s->BindInt(1, year);
  s->BindText(2, AgencyList(agencies));
  // Carried in = received before the year less closed before it; carried
  // out = carried in + new - closed in the year (a case closes after its
  // receipt, so these equal the definitions over case facts).
  Table3 t;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    const int y = static_cast<int>(s->ColumnInt(0));
    const std::string kind = s->ColumnText(1);
    absl::StatusOr<ApplicantType> type = ParseApplicantType(s->ColumnText(2));
    if (!type.ok())
      return absl::DataLossError("unknown applicant type in case_counts");
    const int64_t n = s->ColumnInt(3);
    if (kind == "new") {
      (y == year ? t.new_requests : t.carried_in).Add(*type, n);
      continue;
    }
    absl::StatusOr<Outcome> outcome = ParseOutcome(kind);
    if (!outcome.ok())
      return absl::DataLossError("unknown outcome in case_counts");
    if (y == year) {
      t.outcomes[static_cast<int>(*outcome) - 1].Add(*type, n);
      t.outcome_total.Add(*type, n);
    } else {
      t.carried_in.Add(*type, -n);
    }
  }
  t.carried_out = t.carried_in;
  t.carried_out += t.new_requests;
  for (const auto& info : AllApplicantTypes()) {
    t.carried_out.Add(info.value, -t.outcome_total.Get(info.value));
  }
  return t;
}

absl::StatusOr<int64_t> SqliteCaseTable::FeesCollectedFen(
    int year, const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare(
          "SELECT COALESCE(SUM(json_extract(e.details, '$.amount_fen')), 0) "
          "FROM case_events e JOIN cases c ON c.id = e.case_id "
          "WHERE e.kind = 'fee_paid' AND e.effective_on BETWEEN ?1 AND ?2 "
          "AND (?3 = '' OR instr(?3, ',' || c.agency || ',') > 0)"));
  s->BindText(1, YearStart(year));
  s->BindText(2, YearEnd(year));
  s->BindText(3, AgencyList(agencies));
  ASSIGN_OR_RETURN(bool row, s->Step());
  (void)row;
  return s->ColumnInt(0);
}

}  // namespace gongkai::storage
