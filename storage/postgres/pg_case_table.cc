#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "domain/case_no_pattern.h"
#include "domain/documents.h"
#include "storage/postgres/pg_audit.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_tables.h"
#include "storage/sqlite/case_table.h"
#include "storage/sqlite/case_text.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {
namespace {

// The mutable columns of a case, parameters 1-15 (as the SQLite engine
// binds them).
void BindCaseColumns(PgStatement& s, const CaseRecord& c) {
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

// The distinct bigrams of `text` (case_text.h's splitting).
std::set<std::string> GramSet(absl::string_view text) {
  std::set<std::string> out;
  for (absl::string_view g :
       absl::StrSplit(TextBigrams(text), ' ', absl::SkipEmpty())) {
    out.insert(std::string(g));
  }
  return out;
}

// A text[] literal of bigrams (letters and digits only: no quoting needed
// inside the double quotes).
std::string GramArray(const std::set<std::string>& grams) {
  std::string out = "{";
  for (const std::string& g : grams) {
    absl::StrAppend(&out, out.size() > 1 ? "," : "", "\"", g, "\"");
  }
  return out + "}";
}

absl::StatusOr<std::string> NewPgQueryCode(PgConnection& db) {
  ASSIGN_OR_RETURN(PgStmt taken,
                   db.Prepare("SELECT 1 FROM cases WHERE query_code = ?"));
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string code;
    while (code.size() < static_cast<size_t>(kQueryCodeLength)) {
      code = QueryCodeFromBytes(RandomBytes(32));
    }
    taken->Reset();
    taken->BindText(1, code);
    ASSIGN_OR_RETURN(bool used, taken->Step());
    if (!used) return code;
  }
  return absl::InternalError("could not find an unused query code");
}

absl::Status NoCase(absl::string_view case_no) {
  return LocalizedError(absl::StatusCode::kNotFound,
                        absl::StrCat("没有编号为“", case_no, "”的案件"),
                        absl::StrCat("no case numbered '", case_no, "'"));
}

}  // namespace

absl::StatusOr<CaseRecord> PgCaseTable::Get(absl::string_view case_no) {
  ASSIGN_OR_RETURN(PgStmt s,
                   db().Prepare(absl::StrCat("SELECT ", kCaseColumns,
                                             " FROM cases WHERE case_no = ?")));
  s->BindText(1, case_no);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return NoCase(case_no);
  return ReadCase(*s);
}

absl::StatusOr<std::vector<CaseRecord>> PgCaseTable::GetMany(
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

absl::StatusOr<std::vector<CaseEvent>> PgCaseTable::Events(int64_t case_id) {
  ASSIGN_OR_RETURN(
      PgStmt s, db().Prepare(absl::StrCat("SELECT ", kCaseEventColumns,
                                          " FROM case_events WHERE case_id = ?"
                                          " ORDER BY seq")));
  s->BindInt(1, case_id);
  return CollectPgRows(*s, ReadCaseEvent<PgStatement>);
}

absl::StatusOr<std::map<int64_t, std::vector<CaseEvent>>> PgCaseTable::EventsOf(
    const std::vector<int64_t>& case_ids) {
  std::map<int64_t, std::vector<CaseEvent>> out;
  if (case_ids.empty()) return out;
  // One statement: the ids as one bigint[] parameter.
  ASSIGN_OR_RETURN(PgStmt s,
                   db().Prepare(absl::StrCat(
                       "SELECT ", kCaseEventColumns,
                       " FROM case_events WHERE case_id = ANY(?1::bigint[]) "
                       "ORDER BY case_id, seq")));
  s->BindText(1, absl::StrCat("{", absl::StrJoin(case_ids, ","), "}"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    ASSIGN_OR_RETURN(CaseEvent e, ReadCaseEvent(*s));
    out[s->ColumnInt(0)].push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<CasePage> PgCaseTable::List(const CaseQuery& query) {
  std::vector<std::string> words;
  std::vector<std::string> applicant_words;
  if (!query.search.empty()) {
    ASSIGN_OR_RETURN(words, SearchWords(query.search));
  }
  if (!query.applicant.empty()) {
    ASSIGN_OR_RETURN(applicant_words, SearchWords(query.applicant));
  }
  // Parameters ?1-?10 are the fixed filters, ?11-?13 the cursor and page
  // size, ?14 the count's limit, ?20 on the search words.
  std::string filter = " WHERE TRUE";
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
    filter += " AND strpos(?6, ',' || agency || ',') > 0";
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
    filter += " AND state != 'closed' AND COALESCE(due_on, '9999-12-31') < ?10";
    texts.emplace_back(10, FormatDate(*query.overdue_on));
  }
  // Each word: the cases holding all its bigrams (the index), then the
  // substring itself confirmed on the row, ASCII letters without case as
  // the SQLite engine compares them. The confirmation alone is the whole
  // condition, so both engines find exactly the same cases.
  int next = 20;
  auto add_word = [&](const std::string& w, bool applicant_only) {
    const std::set<std::string> grams = GramSet(w);
    absl::StrAppend(
        &filter,
        " AND id IN (SELECT case_id FROM case_bigrams WHERE "
        "gram = ANY(?",
        next, "::text[])", applicant_only ? " AND col = 'a'" : "",
        " GROUP BY case_id HAVING count(DISTINCT gram) = ", grams.size(), ")");
    texts.emplace_back(next++, GramArray(grams));
    if (applicant_only) {
      absl::StrAppend(&filter, " AND strpos(lower(applicant), ?", next,
                      ") > 0");
    } else {
      absl::StrAppend(&filter, " AND (strpos(lower(applicant), ?", next,
                      ") > 0 OR strpos(lower(request), ?", next,
                      ") > 0 OR strpos(lower(contact), ?", next, ") > 0)");
    }
    texts.emplace_back(next++, w);
  };
  for (const std::string& w : words) add_word(w, false);
  for (const std::string& w : applicant_words) add_word(w, true);
  auto bind_filter = [&](PgStatement& s) {
    for (const auto& [index, text] : texts) s.BindText(index, text);
    for (const auto& [index, n] : ints) s.BindInt(index, n);
  };

  CasePage page;
  {
    ASSIGN_OR_RETURN(
        PgStmt count,
        db().Prepare(absl::StrCat(
            "SELECT count(*) FROM (SELECT id FROM cases", filter,
            query.count_limit > 0 ? " LIMIT ?14" : "", ") AS matches")));
    bind_filter(*count);
    if (query.count_limit > 0) count->BindInt(14, query.count_limit + 1);
    ASSIGN_OR_RETURN(bool row, count->Step());
    (void)row;
    page.total = count->ColumnInt(0);
  }
  if (query.count_limit > 0 && page.total > query.count_limit) {
    page.total = query.count_limit;
    page.total_is_lower_bound = true;
  }
  if (page.total == 0) return page;

  absl::string_view key = "received_on";
  if (query.sort == CaseSort::kDue) key = "COALESCE(due_on, '9999-12-31')";
  if (query.sort == CaseSort::kCaseNo) key = "case_no";
  ASSIGN_OR_RETURN(PgStmt s,
                   db().Prepare(absl::StrCat(
                       "SELECT ", kCaseColumns, " FROM cases", filter,
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

absl::Status PgCaseTable::SetDueDates(const std::vector<DueDate>& due) {
  RETURN_IF_ERROR(session_->RequireWrite("recording reply deadlines"));
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("UPDATE cases SET due_on = ?1 WHERE "
                                          "id = ?2 AND version = ?3"));
  for (const DueDate& d : due) {
    s->BindOptionalText(1, OptionalDate(d.due_on));
    s->BindInt(2, d.id);
    s->BindInt(3, d.version);
    RETURN_IF_ERROR(s->Run());
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> PgCaseTable::CountApplications(
    const std::string& applicant, absl::CivilDay from, absl::CivilDay to,
    const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare(absl::StrCat(
                                 "SELECT count(*) FROM cases WHERE applicant = "
                                 "?1 AND received_on BETWEEN ?2 AND ?3 AND ",
                                 PgAgencyFilter(4, "agency"))));
  s->BindText(1, applicant);
  s->BindText(2, FormatDate(from));
  s->BindText(3, FormatDate(to));
  s->BindText(4, AgencyList(agencies));
  ASSIGN_OR_RETURN(bool row, s->Step());
  (void)row;
  return s->ColumnInt(0);
}

absl::StatusOr<std::optional<absl::CivilDay>> PgCaseTable::LatestApplication(
    const std::string& applicant, const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(
      PgStmt s, db().Prepare(absl::StrCat(
                    "SELECT max(received_on) FROM cases WHERE applicant = ?1 "
                    "AND ",
                    PgAgencyFilter(2, "agency"))));
  s->BindText(1, applicant);
  s->BindText(2, AgencyList(agencies));
  ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row || s->IsNull(0)) return std::nullopt;
  ASSIGN_OR_RETURN(absl::CivilDay day, StoredDate(s->ColumnText(0)));
  return day;
}

absl::StatusOr<std::vector<std::string>> PgCaseTable::Existing(
    const std::vector<std::string>& case_nos) {
  ASSIGN_OR_RETURN(PgStmt s,
                   db().Prepare("SELECT 1 FROM cases WHERE case_no = ?"));
  std::vector<std::string> out;
  for (const std::string& no : case_nos) {
    s->Reset();
    s->BindText(1, no);
    ASSIGN_OR_RETURN(bool found, s->Step());
    if (found) out.push_back(no);
  }
  return out;
}

absl::StatusOr<std::vector<CaseRecord>> PgCaseTable::Ledger(
    int year, const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(
      PgStmt s, db().Prepare(absl::StrCat(
                    "SELECT ", kCaseColumns,
                    " FROM cases WHERE (receipt_year = ?1 OR "
                    "(answered_on BETWEEN ?2 AND ?3)) AND ",
                    PgAgencyFilter(4, "agency"), " ORDER BY received_on, id")));
  s->BindInt(1, year);
  s->BindText(2, YearStart(year));
  s->BindText(3, YearEnd(year));
  s->BindText(4, AgencyList(agencies));
  return CollectPgRows(*s, ReadCase<PgStatement>);
}

absl::StatusOr<std::string> PgCaseTable::NextCaseNo(int year,
                                                    const std::string& agency) {
  std::string pattern;
  if (!agency.empty()) {
    ASSIGN_OR_RETURN(
        PgStmt p,
        db().Prepare("SELECT case_no_pattern FROM agencies WHERE code = ?"));
    p->BindText(1, agency);
    ASSIGN_OR_RETURN(bool found, p->Step());
    if (found) pattern = p->ColumnText(0);
  }
  const bool own = !pattern.empty();
  // The counter row, locked until the transaction ends: a second replica's
  // create of the same sequence waits here (it also waits for PgStore's
  // write lock first; this lock keeps the counter safe for any other
  // writer of the database).
  ASSIGN_OR_RETURN(
      PgStmt ensure,
      db().Prepare(own ? "INSERT INTO case_no_counters (year, next, agency) "
                         "VALUES (?1, 1, ?2) ON CONFLICT DO NOTHING"
                       : "INSERT INTO case_no_sequences (year, next) VALUES "
                         "(?1, 1) ON CONFLICT DO NOTHING"));
  ensure->BindInt(1, year);
  if (own) ensure->BindText(2, agency);
  RETURN_IF_ERROR(ensure->Run());
  ASSIGN_OR_RETURN(
      PgStmt seq,
      db().Prepare(own ? "SELECT next FROM case_no_counters WHERE agency = ?2 "
                         "AND year = ?1 FOR UPDATE"
                       : "SELECT next FROM case_no_sequences WHERE year = ?1 "
                         "FOR UPDATE"));
  seq->BindInt(1, year);
  if (own) seq->BindText(2, agency);
  ASSIGN_OR_RETURN(bool has_row, seq->Step());
  int64_t next = has_row ? seq->ColumnInt(0) : 1;
  ASSIGN_OR_RETURN(PgStmt taken,
                   db().Prepare("SELECT 1 FROM cases WHERE case_no = ?"));
  // Skip numbers a clerk already chose by hand.
  std::string candidate;
  while (true) {
    ASSIGN_OR_RETURN(candidate, FormatCaseNo(pattern, year, next));
    taken->Reset();
    taken->BindText(1, candidate);
    ASSIGN_OR_RETURN(bool used, taken->Step());
    if (!used) break;
    ++next;
  }
  ASSIGN_OR_RETURN(
      PgStmt set,
      db().Prepare(own ? "UPDATE case_no_counters SET next = ?2 WHERE year = "
                         "?1 AND agency = ?3"
                       : "UPDATE case_no_sequences SET next = ?2 WHERE year = "
                         "?1"));
  set->BindInt(1, year);
  set->BindInt(2, next + 1);
  if (own) set->BindText(3, agency);
  RETURN_IF_ERROR(set->Run());
  return candidate;
}

absl::Status PgCaseTable::IndexText(int64_t id, const CaseRecord& c,
                                    bool replace) {
  if (replace) {
    ASSIGN_OR_RETURN(PgStmt del, db().Prepare("DELETE FROM case_bigrams "
                                              "WHERE case_id = ?"));
    del->BindInt(1, id);
    RETURN_IF_ERROR(del->Run());
  }
  // One statement per case: unnest the grams of each column.
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare(
          "INSERT INTO case_bigrams (gram, col, case_id) "
          "SELECT g, 'a', CAST(?1 AS BIGINT) FROM unnest(?2::text[]) AS g "
          "UNION "
          "SELECT g, 'r', CAST(?1 AS BIGINT) FROM unnest(?3::text[]) AS g "
          "UNION "
          "SELECT g, 'c', CAST(?1 AS BIGINT) FROM unnest(?4::text[]) AS g"));
  s->BindInt(1, id);
  s->BindText(2, GramArray(GramSet(c.applicant)));
  s->BindText(3, GramArray(GramSet(c.request)));
  s->BindText(4, GramArray(GramSet(c.contact)));
  return s->Run();
}

absl::StatusOr<CaseRecord> PgCaseTable::InsertRow(CaseRecord record,
                                                  CountDeltas* deltas) {
  if (record.case_no.empty()) {
    ASSIGN_OR_RETURN(record.case_no,
                     NextCaseNo(record.received_on.year(), record.agency));
  } else {
    ASSIGN_OR_RETURN(PgStmt taken,
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
  if (record.query_code.empty()) {
    ASSIGN_OR_RETURN(record.query_code, NewPgQueryCode(db()));
  }
  ASSIGN_OR_RETURN(
      PgStmt insert,
      db().Prepare(
          "INSERT INTO cases (state, channel, applicant_type, applicant, "
          "contact, id_number, request, received_on, answered_on, outcome, "
          "answer_note, version, updated_at, receipt_year, assignee, case_no, "
          "created_at, agency, due_on, query_code) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?) RETURNING id"));
  BindCaseColumns(*insert, record);
  insert->BindText(16, record.case_no);
  insert->BindText(17, FormatTimestamp(record.created_at));
  insert->BindText(18, record.agency);
  insert->BindOptionalText(19, OptionalDate(record.due_on));
  insert->BindText(20, record.query_code);
  ASSIGN_OR_RETURN(bool row, insert->Step());
  if (!row) return absl::InternalError("INSERT ... RETURNING gave no id");
  record.id = insert->ColumnInt(0);
  RETURN_IF_ERROR(IndexText(record.id, record, /*replace=*/false));
  CountDeltas own;
  CountDeltas& counts = deltas != nullptr ? *deltas : own;
  CountContribution(record, +1, counts);
  if (deltas == nullptr) RETURN_IF_ERROR(WriteCounts(own));
  return record;
}

absl::Status PgCaseTable::WriteCounts(const CountDeltas& deltas) {
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare(
          "INSERT INTO case_counts AS k (agency, year, kind, applicant_type, "
          "n) VALUES (?, ?, ?, ?, ?) ON CONFLICT (agency, year, kind, "
          "applicant_type) DO UPDATE SET n = k.n + excluded.n"));
  for (const auto& [key, n] : deltas) {
    if (n == 0) continue;
    const auto& [agency, year, kind, type] = key;
    s->BindText(1, agency);
    s->BindInt(2, year);
    s->BindText(3, kind);
    s->BindText(4, Info(type).code);
    s->BindInt(5, n);
    RETURN_IF_ERROR(s->Run());
  }
  return absl::OkStatus();
}

absl::StatusOr<CaseRecord> PgCaseTable::Insert(CaseRecord record,
                                               CaseEvent* event) {
  RETURN_IF_ERROR(session_->RequireWrite("creating a case"));
  ASSIGN_OR_RETURN(record, InsertRow(std::move(record)));
  RETURN_IF_ERROR(
      PgAppendCaseEvent(*session_, record.id, *event, nullptr, /*seq=*/1));
  return record;
}

absl::Status PgCaseTable::Update(const CaseRecord& before,
                                 const CaseRecord& after, CaseEvent* event) {
  RETURN_IF_ERROR(session_->RequireWrite("changing a case"));
  if (after.id != before.id || after.case_no != before.case_no) {
    return absl::InvalidArgumentError(
        absl::StrCat("an update of case ", before.case_no,
                     " must not change its id or number"));
  }
  ASSIGN_OR_RETURN(
      PgStmt update,
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
  if (update->Changes() != 1) {
    return LocalizedError(
        absl::StatusCode::kAborted,
        absl::StrCat("案件 ", before.case_no, " 同时被他人修改；请重试"),
        absl::StrCat("case ", before.case_no,
                     " changed concurrently; try again"));
  }
  if (before.applicant != after.applicant || before.request != after.request ||
      before.contact != after.contact) {
    RETURN_IF_ERROR(IndexText(before.id, after, /*replace=*/true));
  }
  CountDeltas deltas;
  CountContribution(before, -1, deltas);
  CountContribution(after, +1, deltas);
  RETURN_IF_ERROR(WriteCounts(deltas));
  return PgAppendCaseEvent(*session_, before.id, *event);
}

absl::StatusOr<std::optional<std::string>> PgCaseTable::FindImport(
    const std::string& content_hash) {
  ASSIGN_OR_RETURN(PgStmt s,
                   db().Prepare("SELECT imported_at, imported_by, source, rows "
                                "FROM ledger_imports WHERE content_hash = ?"));
  s->BindText(1, content_hash);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(
      absl::StrCat(s->ColumnText(0), " by ", s->ColumnText(1), " from ",
                   s->ColumnText(2), " (", s->ColumnInt(3), " rows)"));
}

absl::Status PgCaseTable::Import(std::vector<ImportedCase> cases,
                                 const std::string& content_hash,
                                 const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("importing a ledger"));
  ASSIGN_OR_RETURN(
      PgStmt seen,
      db().Prepare("INSERT INTO ledger_imports (content_hash, source, rows, "
                   "imported_at, imported_by) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT DO NOTHING"));
  seen->BindText(1, content_hash);
  seen->BindText(2, event.subject);
  seen->BindInt(3, static_cast<int64_t>(cases.size()));
  seen->BindText(4, FormatTimestamp(event.at));
  seen->BindText(5, event.actor);
  RETURN_IF_ERROR(seen->Run());
  if (seen->Changes() == 0) {
    return LocalizedError(absl::StatusCode::kAlreadyExists,
                          "这份台账已经导入过",
                          "this ledger was already imported");
  }
  std::string chain;
  CountDeltas counts;
  for (ImportedCase& c : cases) {
    absl::StatusOr<CaseRecord> stored = InsertRow(std::move(c.record), &counts);
    if (!stored.ok()) {
      return PrefixError(stored.status(), absl::StrCat("第 ", c.line, " 行："),
                         absl::StrCat("line ", c.line, ": "));
    }
    int64_t seq = 0;
    for (CaseEvent& e : c.events) {
      RETURN_IF_ERROR(
          PgAppendCaseEvent(*session_, stored->id, e, &chain, ++seq));
    }
  }
  RETURN_IF_ERROR(WriteCounts(counts));
  return PgAppendRecordEvent(*session_, event);
}

absl::StatusOr<std::vector<CaseFact>> PgCaseTable::ReportFacts(
    int year, const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(
      PgStmt s, db().Prepare(absl::StrCat(
                    "SELECT received_on, answered_on, outcome, applicant_type "
                    "FROM cases WHERE received_on <= ?1 AND "
                    "(answered_on IS NULL OR answered_on >= ?2) AND ",
                    PgAgencyFilter(3, "agency"))));
  s->BindText(1, YearEnd(year));
  s->BindText(2, YearStart(year));
  s->BindText(3, AgencyList(agencies));
  return CollectPgRows(
      *s, [](const PgStatement& row) -> absl::StatusOr<CaseFact> {
        CaseFact f;
        ASSIGN_OR_RETURN(f.received_on, StoredDate(row.ColumnText(0)));
        if (!row.IsNull(1)) {
          ASSIGN_OR_RETURN(f.closed_on, StoredDate(row.ColumnText(1)));
          absl::StatusOr<Outcome> o = ParseOutcome(row.ColumnText(2));
          if (!o.ok()) {
            return absl::DataLossError("a case has an unknown outcome");
          }
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

absl::StatusOr<Table3> PgCaseTable::Table3Of(
    int year, const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare(absl::StrCat(
          "SELECT year, kind, applicant_type, SUM(n) FROM case_counts "
          "WHERE year <= ?1 AND ",
          PgAgencyFilter(2, "agency"),
          " GROUP BY year, kind, applicant_type")));
  s->BindInt(1, year);
  s->BindText(2, AgencyList(agencies));
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

absl::StatusOr<int64_t> PgCaseTable::FeesCollectedFen(
    int year, const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare(absl::StrCat(
          "SELECT COALESCE(SUM((e.details::jsonb ->> 'amount_fen')::numeric), "
          "0) FROM case_events e JOIN cases c ON c.id = e.case_id "
          "WHERE e.kind = 'fee_paid' AND e.effective_on BETWEEN ?1 AND ?2 "
          "AND ",
          PgAgencyFilter(3, "c.agency"))));
  s->BindText(1, YearStart(year));
  s->BindText(2, YearEnd(year));
  s->BindText(3, AgencyList(agencies));
  ASSIGN_OR_RETURN(bool row, s->Step());
  (void)row;
  return s->ColumnInt(0);
}

}  // namespace gongkai::storage
