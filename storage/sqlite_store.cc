#include "storage/sqlite_store.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "storage/migrations.h"

namespace gongkai::storage {
namespace {

// An agency filter as one SQL parameter: ",a,b," (empty: every agency).
std::string AgencyList(const std::vector<std::string>& agencies) {
  if (agencies.empty()) return "";
  return absl::StrCat(",", absl::StrJoin(agencies, ","), ",");
}

constexpr char kCaseColumns[] =
    "id, case_no, state, channel, applicant_type, applicant, contact, "
    "id_number, request, received_on, answered_on, outcome, answer_note, "
    "version, created_at, updated_at, assignee, agency";

absl::StatusOr<absl::Time> ParseTimestamp(const std::string& text) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &err)) {
    return absl::DataLossError(
        absl::StrCat("bad timestamp '", text, "' in the database: ", err));
  }
  return t;
}

absl::StatusOr<absl::CivilDay> StoredDate(const std::string& text) {
  absl::StatusOr<absl::CivilDay> d = ParseDate(text);
  if (!d.ok()) {
    return absl::DataLossError(
        absl::StrCat("bad date '", text, "' in the database"));
  }
  return d;
}

absl::StatusOr<CaseRecord> ReadCase(const Statement& s) {
  CaseRecord c;
  c.id = s.ColumnInt(0);
  c.case_no = s.ColumnText(1);
  absl::StatusOr<CaseState> state = ParseCaseState(s.ColumnText(2));
  absl::StatusOr<Channel> channel = ParseChannel(s.ColumnText(3));
  absl::StatusOr<ApplicantType> type = ParseApplicantType(s.ColumnText(4));
  if (!state.ok() || !channel.ok() || !type.ok()) {
    return absl::DataLossError(absl::StrCat(
        "case ", c.case_no, " has an unknown code in the database"));
  }
  c.state = *state;
  c.channel = *channel;
  c.applicant_type = *type;
  c.applicant = s.ColumnText(5);
  c.contact = s.ColumnText(6);
  c.id_number = s.ColumnText(7);
  c.request = s.ColumnText(8);
  ASSIGN_OR_RETURN(c.received_on, StoredDate(s.ColumnText(9)));
  if (!s.IsNull(10)) {
    ASSIGN_OR_RETURN(c.answered_on, StoredDate(s.ColumnText(10)));
  }
  if (!s.IsNull(11)) {
    absl::StatusOr<Outcome> outcome = ParseOutcome(s.ColumnText(11));
    if (!outcome.ok()) {
      return absl::DataLossError(
          absl::StrCat("case ", c.case_no, " has an unknown outcome"));
    }
    c.outcome = *outcome;
  }
  c.answer_note = s.ColumnText(12);
  c.version = s.ColumnInt(13);
  ASSIGN_OR_RETURN(c.created_at, ParseTimestamp(s.ColumnText(14)));
  ASSIGN_OR_RETURN(c.updated_at, ParseTimestamp(s.ColumnText(15)));
  c.assignee = s.ColumnText(16);
  c.agency = s.ColumnText(17);
  return c;
}

std::optional<std::string> OptionalDate(
    const std::optional<absl::CivilDay>& d) {
  if (!d.has_value()) return std::nullopt;
  return FormatDate(*d);
}

// Binds the mutable columns of a case in the order the UPDATE and INSERT
// statements below expect (parameters 1-14).
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

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path));
  RETURN_IF_ERROR(Migrate(*db, SchemaMigrations()));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
  // Checkpoints after bulk imports run beside the writes (see Checkpointer);
  // without the helper the import's commit checkpoints, as SQLite does.
  absl::StatusOr<std::unique_ptr<Checkpointer>> checkpointer =
      Checkpointer::Start(path);
  if (checkpointer.ok()) store->checkpointer_ = *std::move(checkpointer);
  return store;
}

absl::StatusOr<std::string> SqliteStore::NextCaseNo(int year) {
  ASSIGN_OR_RETURN(
      ScopedStatement seq,
      db_->Prepare("SELECT next FROM case_no_sequences WHERE year = ?"));
  seq->BindInt(1, year);
  ASSIGN_OR_RETURN(bool has_row, seq->Step());
  int64_t next = has_row ? seq->ColumnInt(0) : 1;
  ASSIGN_OR_RETURN(ScopedStatement taken,
                   db_->Prepare("SELECT 1 FROM cases WHERE case_no = ?"));
  // Skip numbers a clerk already chose by hand.
  std::string candidate;
  while (true) {
    candidate = absl::StrFormat("%04d-%04d", year, next);
    taken->BindText(1, candidate);
    ASSIGN_OR_RETURN(bool used, taken->Step());
    taken->Reset();
    if (!used) break;
    ++next;
  }
  ASSIGN_OR_RETURN(
      ScopedStatement upsert,
      db_->Prepare("INSERT INTO case_no_sequences (year, next) VALUES (?, ?) "
                   "ON CONFLICT (year) DO UPDATE SET next = excluded.next"));
  upsert->BindInt(1, year);
  upsert->BindInt(2, next + 1);
  RETURN_IF_ERROR(upsert->Run());
  return candidate;
}

absl::Status SqliteStore::AppendEvent(int64_t case_id, CaseEvent& event,
                                      std::string* chain, int64_t known_seq) {
  if (known_seq > 0) {
    event.seq = known_seq;
  } else {
    ASSIGN_OR_RETURN(
        ScopedStatement seq,
        db_->Prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM case_events "
                     "WHERE case_id = ?"));
    seq->BindInt(1, case_id);
    ASSIGN_OR_RETURN(bool row, seq->Step());
    (void)row;
    event.seq = seq->ColumnInt(0);
  }
  std::string prev;
  if (chain != nullptr && !chain->empty()) {
    prev = *chain;
  } else {
    ASSIGN_OR_RETURN(prev, LastChainLink("case_events"));
  }
  const std::string details = event.details.Dump();
  const std::string recorded_at = FormatTimestamp(event.recorded_at);
  const std::string effective_on = FormatDate(event.effective_on);
  const std::string canonical =
      absl::StrCat(case_id, "|", event.seq, "|", event.kind, "|", effective_on,
                   "|", recorded_at, "|", event.actor, "|", details);
  ASSIGN_OR_RETURN(
      ScopedStatement insert,
      db_->Prepare("INSERT INTO case_events (case_id, seq, kind, effective_on, "
                   "recorded_at, actor, details, chain) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  insert->BindInt(1, case_id);
  insert->BindInt(2, event.seq);
  insert->BindText(3, event.kind);
  insert->BindText(4, effective_on);
  insert->BindText(5, recorded_at);
  insert->BindText(6, event.actor);
  insert->BindText(7, details);
  const std::string link = AuditChainLink(prev, canonical);
  insert->BindText(8, link);
  if (chain != nullptr) *chain = link;
  return insert->Run();
}

absl::StatusOr<CaseRecord> SqliteStore::InsertCase(CaseRecord record,
                                                   CountDeltas* deltas) {
  if (record.case_no.empty()) {
    ASSIGN_OR_RETURN(record.case_no, NextCaseNo(record.received_on.year()));
  } else {
    ASSIGN_OR_RETURN(
        ScopedStatement taken,
        db_->Prepare(
            "SELECT received_on, applicant FROM cases WHERE case_no = ?"));
    taken->BindText(1, record.case_no);
    ASSIGN_OR_RETURN(bool used, taken->Step());
    if (used) {
      return absl::AlreadyExistsError(absl::StrCat(
          "case number ", record.case_no, " is already used (received ",
          taken->ColumnText(0), ", applicant ", taken->ColumnText(1),
          "); choose another or leave it out to get the next free number"));
    }
  }
  ASSIGN_OR_RETURN(
      ScopedStatement insert,
      db_->Prepare(absl::StrCat(
          "INSERT INTO cases (state, channel, applicant_type, applicant, "
          "contact, id_number, request, received_on, answered_on, outcome, "
          "answer_note, version, updated_at, receipt_year, assignee, case_no, "
          "created_at, agency) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")));
  BindCaseColumns(*insert, record);
  insert->BindText(16, record.case_no);
  insert->BindText(17, FormatTimestamp(record.created_at));
  insert->BindText(18, record.agency);
  RETURN_IF_ERROR(insert->Run());
  record.id = db_->LastInsertRowId();
  auto count = [&](int year, absl::string_view kind) -> absl::Status {
    if (deltas == nullptr)
      return CountCase(record.agency, year, kind, record.applicant_type);
    ++(*deltas)[{record.agency, year, std::string(kind),
                 record.applicant_type}];
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(count(static_cast<int>(record.received_on.year()), "new"));
  if (record.state == CaseState::kClosed && record.answered_on &&
      record.outcome) {
    RETURN_IF_ERROR(count(static_cast<int>(record.answered_on->year()),
                          Info(*record.outcome).code));
  }
  return record;
}

absl::Status SqliteStore::CountCase(const std::string& agency, int year,
                                    absl::string_view kind, ApplicantType type,
                                    int64_t n) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db_->Prepare(
          "INSERT INTO case_counts (agency, year, kind, applicant_type, n) "
          "VALUES (?, ?, ?, ?, ?) ON CONFLICT (agency, year, kind, "
          "applicant_type) DO UPDATE SET n = n + excluded.n"));
  s->BindText(1, agency);
  s->BindInt(2, year);
  s->BindText(3, kind);
  s->BindText(4, Info(type).code);
  s->BindInt(5, n);
  return s->Run();
}

absl::StatusOr<Table3> SqliteStore::ReportTable3(
    int year, const std::vector<std::string>& agencies) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db_->Prepare("SELECT year, kind, applicant_type, SUM(n) FROM case_counts "
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

absl::StatusOr<CaseRecord> SqliteStore::CreateCase(CaseRecord record,
                                                   CaseEvent* event) {
  return Write<CaseRecord>([&]() -> absl::StatusOr<CaseRecord> {
    ASSIGN_OR_RETURN(record, InsertCase(std::move(record)));
    RETURN_IF_ERROR(AppendEvent(record.id, *event, nullptr, /*seq=*/1));
    return record;
  });
}

absl::StatusOr<CaseRecord> SqliteStore::LoadCase(absl::string_view case_no) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db_->Prepare(absl::StrCat("SELECT ", kCaseColumns,
                                             " FROM cases WHERE case_no = ?")));
  s->BindText(1, case_no);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("no case numbered '", case_no, "'"));
  }
  return ReadCase(*s);
}

absl::StatusOr<CaseRecord> SqliteStore::GetCase(absl::string_view case_no) {
  std::lock_guard<std::mutex> lock(mu_);
  return LoadCase(case_no);
}

absl::StatusOr<std::vector<CaseRecord>> SqliteStore::GetCases(
    const std::vector<std::string>& case_nos) {
  std::lock_guard<std::mutex> lock(mu_);
  ReadTransaction snapshot(db_.get());
  RETURN_IF_ERROR(snapshot.Begin());
  std::vector<CaseRecord> out;
  for (const std::string& no : case_nos) {
    absl::StatusOr<CaseRecord> c = LoadCase(no);
    if (absl::IsNotFound(c.status())) continue;
    if (!c.ok()) return c.status();
    out.push_back(*std::move(c));
  }
  return out;
}

namespace {

constexpr char kEventColumns[] =
    "case_id, seq, kind, effective_on, recorded_at, actor, details";

absl::StatusOr<CaseEvent> ReadEvent(const Statement& s) {
  CaseEvent e;
  e.seq = s.ColumnInt(1);
  e.kind = s.ColumnText(2);
  ASSIGN_OR_RETURN(e.effective_on, StoredDate(s.ColumnText(3)));
  ASSIGN_OR_RETURN(e.recorded_at, ParseTimestamp(s.ColumnText(4)));
  e.actor = s.ColumnText(5);
  absl::StatusOr<Json> details = Json::Parse(s.ColumnText(6));
  if (!details.ok()) {
    return absl::DataLossError(
        absl::StrCat("event ", e.seq, " has unreadable details"));
  }
  e.details = *std::move(details);
  return e;
}

}  // namespace

absl::StatusOr<std::vector<CaseEvent>> SqliteStore::LoadEvents(
    int64_t case_id) {
  ASSIGN_OR_RETURN(ScopedStatement s, db_->Prepare(absl::StrCat(
                                          "SELECT ", kEventColumns,
                                          " FROM case_events WHERE case_id = ?"
                                          " ORDER BY seq")));
  s->BindInt(1, case_id);
  return CollectRows(*s, ReadEvent);
}

absl::StatusOr<std::vector<CaseEvent>> SqliteStore::GetEvents(int64_t case_id) {
  std::lock_guard<std::mutex> lock(mu_);
  return LoadEvents(case_id);
}

absl::StatusOr<std::map<int64_t, std::vector<CaseEvent>>>
SqliteStore::GetEventsOfCases(const std::vector<int64_t>& case_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  ReadTransaction snapshot(db_.get());
  RETURN_IF_ERROR(snapshot.Begin());
  std::map<int64_t, std::vector<CaseEvent>> out;
  // Chunks keep the statement shape fixed (one cached statement).
  constexpr size_t kChunk = 64;
  static const std::string kSql = [] {
    std::string sql = absl::StrCat("SELECT ", kEventColumns,
                                   " FROM case_events WHERE case_id IN (");
    for (size_t i = 0; i < kChunk; ++i) absl::StrAppend(&sql, i ? ",?" : "?");
    absl::StrAppend(&sql, ") ORDER BY case_id, seq");
    return sql;
  }();
  for (size_t start = 0; start < case_ids.size(); start += kChunk) {
    ASSIGN_OR_RETURN(ScopedStatement s, db_->Prepare(kSql));
    for (size_t i = 0; i < kChunk; ++i) {
      size_t at = std::min(start + i, case_ids.size() - 1);
      s->BindInt(static_cast<int>(i) + 1, case_ids[at]);
    }
    while (true) {
      ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      ASSIGN_OR_RETURN(CaseEvent e, ReadEvent(*s));
      out[s->ColumnInt(0)].push_back(std::move(e));
    }
  }
  return out;
}

absl::StatusOr<CasePage> SqliteStore::ListCases(const CaseQuery& query) {
  std::lock_guard<std::mutex> lock(mu_);
  // Fixed SQL with "match anything" parameters keeps one prepared statement
  // per shape instead of one per filter combination.
  constexpr char kFilter[] =
      " WHERE (?1 IS NULL OR state = ?1) AND (?2 = 0 OR receipt_year = ?2)"
      " AND (?3 IS NULL OR applicant_type = ?3)"
      " AND (?7 = 0 OR state != 'closed') AND (?8 = '' OR assignee = ?8)"
      " AND (?9 = '' OR instr(?9, ',' || agency || ',') > 0)";
  auto bind_filter = [&](Statement& s) {
    if (query.state.has_value()) {
      s.BindText(1, Info(*query.state).code);
    } else {
      s.BindNull(1);
    }
    s.BindInt(2, query.receipt_year);
    s.BindInt(7, query.open_only ? 1 : 0);
    s.BindText(8, query.assignee);
    s.BindText(9, AgencyList(query.agencies));
    if (query.applicant_type.has_value()) {
      s.BindText(3, Info(*query.applicant_type).code);
    } else {
      s.BindNull(3);
    }
  };
  CasePage page;
  {
    ASSIGN_OR_RETURN(
        ScopedStatement count,
        db_->Prepare(absl::StrCat("SELECT count(*) FROM cases", kFilter)));
    bind_filter(*count);
    ASSIGN_OR_RETURN(bool row, count->Step());
    (void)row;
    page.total = count->ColumnInt(0);
  }
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db_->Prepare(absl::StrCat(
                       "SELECT ", kCaseColumns, " FROM cases", kFilter,
                       " AND (?4 IS NULL OR (received_on, id) > (?4, ?5))"
                       " ORDER BY received_on, id LIMIT ?6")));
  bind_filter(*s);
  if (query.after.has_value()) {
    s->BindText(4, FormatDate(query.after->first));
    s->BindInt(5, query.after->second);
  } else {
    s->BindNull(4);
    s->BindNull(5);
  }
  s->BindInt(6, query.limit + 1);
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

absl::StatusOr<CaseRecord> SqliteStore::UpdateCase(absl::string_view case_no,
                                                   const Change& change) {
  return Write<CaseRecord>([&]() -> absl::StatusOr<CaseRecord> {
    ASSIGN_OR_RETURN(CaseRecord record, LoadCase(case_no));
    ASSIGN_OR_RETURN(std::vector<CaseEvent> events, LoadEvents(record.id));
    const int64_t old_version = record.version;
    const bool was_closed = record.state == CaseState::kClosed;
    ASSIGN_OR_RETURN(CaseEvent event, change(record, events));
    ASSIGN_OR_RETURN(
        ScopedStatement update,
        db_->Prepare("UPDATE cases SET state = ?1, channel = ?2, "
                     "applicant_type = ?3, applicant = ?4, contact = ?5, "
                     "id_number = ?6, request = ?7, received_on = ?8, "
                     "answered_on = ?9, outcome = ?10, answer_note = ?11, "
                     "version = ?12, updated_at = ?13, receipt_year = ?14, "
                     "assignee = ?15 WHERE id = ?16 AND version = ?17"));
    BindCaseColumns(*update, record);
    update->BindInt(16, record.id);
    update->BindInt(17, old_version);
    RETURN_IF_ERROR(update->Run());
    if (db_->Changes() != 1) {
      return absl::AbortedError(
          absl::StrCat("case ", case_no, " changed concurrently; try again"));
    }
    if (!was_closed && record.state == CaseState::kClosed &&
        record.answered_on && record.outcome) {
      RETURN_IF_ERROR(
          CountCase(record.agency, static_cast<int>(record.answered_on->year()),
                    Info(*record.outcome).code, record.applicant_type));
    }
    RETURN_IF_ERROR(AppendEvent(record.id, event));
    return record;
  });
}

absl::StatusOr<int64_t> SqliteStore::CountApplications(
    const std::string& applicant, absl::CivilDay from, absl::CivilDay to) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db_->Prepare("SELECT count(*) FROM cases WHERE applicant = ? "
                   "AND received_on BETWEEN ? AND ?"));
  s->BindText(1, applicant);
  s->BindText(2, FormatDate(from));
  s->BindText(3, FormatDate(to));
  ASSIGN_OR_RETURN(bool row, s->Step());
  (void)row;
  return s->ColumnInt(0);
}

absl::Status SqliteStore::SaveCalendarYears(
    const std::map<int, std::string>& year_texts, const std::string& source,
    const std::string& full_text, const std::string& actor, absl::Time at) {
  return writes_.Run([&]() -> absl::Status {
    std::string years;
    for (const auto& [year, text] : year_texts) {
      ASSIGN_OR_RETURN(
          ScopedStatement s,
          db_->Prepare(
              "INSERT INTO calendar_years (year, schedule, loaded_at, "
              "loaded_by, source) VALUES (?, ?, ?, ?, ?) "
              "ON CONFLICT (year) DO UPDATE SET schedule = excluded.schedule, "
              "loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by, "
              "source = excluded.source"));
      s->BindInt(1, year);
      s->BindText(2, text);
      s->BindText(3, FormatTimestamp(at));
      s->BindText(4, actor);
      s->BindText(5, source);
      RETURN_IF_ERROR(s->Run());
      absl::StrAppend(&years, years.empty() ? "" : ",", year);
    }
    ASSIGN_OR_RETURN(
        ScopedStatement log,
        db_->Prepare("INSERT INTO calendar_loads (loaded_at, loaded_by, "
                     "source, years, text) VALUES (?, ?, ?, ?, ?)"));
    log->BindText(1, FormatTimestamp(at));
    log->BindText(2, actor);
    log->BindText(3, source);
    log->BindText(4, years);
    log->BindText(5, full_text);
    RETURN_IF_ERROR(log->Run());
    return absl::OkStatus();
  });
}

absl::StatusOr<std::map<int, std::string>> SqliteStore::LoadCalendarYears() {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db_->Prepare("SELECT year, schedule FROM calendar_years "
                                "ORDER BY year"));
  std::map<int, std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out[static_cast<int>(s->ColumnInt(0))] = s->ColumnText(1);
  }
  return out;
}

absl::StatusOr<std::vector<size_t>> SqliteStore::RecordAlerts(
    const std::vector<NewAlert>& alerts, absl::Time raised_at, bool deliver) {
  if (alerts.empty()) return std::vector<size_t>();
  const std::string at = FormatTimestamp(raised_at);
  return Write<std::vector<size_t>>(
      [&]() -> absl::StatusOr<std::vector<size_t>> {
        ASSIGN_OR_RETURN(
            ScopedStatement s,
            db_->Prepare("INSERT INTO alerts (alert_key, payload, raised_at, "
                         "hook_state, next_attempt_at) VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT (alert_key) DO NOTHING"));
        std::vector<size_t> fresh;
        for (size_t i = 0; i < alerts.size(); ++i) {
          s->BindText(1, alerts[i].key);
          s->BindText(2, alerts[i].payload);
          s->BindText(3, at);
          s->BindText(4, deliver ? "pending" : "none");
          s->BindText(5, at);
          RETURN_IF_ERROR(s->Run());
          if (db_->Changes() == 1) fresh.push_back(i);
          s->Reset();
        }
        return fresh;
      });
}

absl::StatusOr<std::vector<Store::StoredAlert>> SqliteStore::PendingAlerts(
    absl::Time now) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db_->Prepare("SELECT alert_key, payload, raised_at, attempts FROM alerts "
                   "WHERE hook_state = 'pending' AND next_attempt_at <= ? "
                   "ORDER BY raised_at, alert_key LIMIT 100"));
  s->BindText(1, FormatTimestamp(now));
  std::vector<StoredAlert> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    StoredAlert a;
    a.key = s->ColumnText(0);
    a.payload = s->ColumnText(1);
    ASSIGN_OR_RETURN(a.raised_at, ParseTimestamp(s->ColumnText(2)));
    a.attempts = static_cast<int>(s->ColumnInt(3));
    out.push_back(std::move(a));
  }
  return out;
}

absl::Status SqliteStore::MarkAlertDelivered(const std::string& key,
                                             absl::Time at) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db_->Prepare("UPDATE alerts SET hook_state = 'delivered', "
                                "delivered_at = ?, attempts = attempts + 1, "
                                "last_error = NULL WHERE alert_key = ?"));
  s->BindText(1, FormatTimestamp(at));
  s->BindText(2, key);
  return s->Run();
}

absl::Status SqliteStore::MarkAlertFailed(const std::string& key,
                                          const std::string& error,
                                          absl::Time next_attempt) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db_->Prepare("UPDATE alerts SET attempts = attempts + 1, "
                                "last_error = ?, next_attempt_at = ? "
                                "WHERE alert_key = ?"));
  s->BindText(1, error);
  s->BindText(2, FormatTimestamp(next_attempt));
  s->BindText(3, key);
  return s->Run();
}

absl::StatusOr<std::string> SqliteStore::LastChainLink(const char* table) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db_->Prepare(absl::StrCat("SELECT chain FROM ", table,
                                             " ORDER BY id DESC LIMIT 1")));
  ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? s->ColumnText(0) : std::string();
}

absl::Status SqliteStore::AppendRecordEvent(const RecordEvent& event) {
  ASSIGN_OR_RETURN(std::string prev, LastChainLink("record_events"));
  const std::string details = event.details.Dump();
  const std::string at = FormatTimestamp(event.at);
  const std::string canonical = absl::StrCat(
      at, "|", event.actor, "|", event.kind, "|", event.subject, "|", details);
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db_->Prepare("INSERT INTO record_events (recorded_at, actor, "
                   "kind, subject, details, chain) "
                   "VALUES (?, ?, ?, ?, ?, ?)"));
  s->BindText(1, at);
  s->BindText(2, event.actor);
  s->BindText(3, event.kind);
  s->BindText(4, event.subject);
  s->BindText(5, details);
  s->BindText(6, AuditChainLink(prev, canonical));
  return s->Run();
}

absl::Status SqliteStore::AppendRecord(const RecordEvent& event) {
  return writes_.Run([&]() -> absl::Status {
    RETURN_IF_ERROR(AppendRecordEvent(event));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<CaseFact>> SqliteStore::ReportCaseFacts(
    int year, const std::vector<std::string>& agencies) {
  std::lock_guard<std::mutex> lock(mu_);
  // Cases received by the year's end and not closed before it began.
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db_->Prepare("SELECT received_on, answered_on, outcome, applicant_type "
                   "FROM cases WHERE received_on <= ?1 AND "
                   "(answered_on IS NULL OR answered_on >= ?2) AND "
                   "(?3 = '' OR instr(?3, ',' || agency || ',') > 0)"));
  s->BindText(1, absl::StrFormat("%04d-12-31", year));
  s->BindText(2, absl::StrFormat("%04d-01-01", year));
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

absl::StatusOr<int64_t> SqliteStore::FeesCollectedFen(
    int year, const std::vector<std::string>& agencies) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db_->Prepare(
          "SELECT COALESCE(SUM(json_extract(e.details, '$.amount_fen')), 0) "
          "FROM case_events e JOIN cases c ON c.id = e.case_id "
          "WHERE e.kind = 'fee_paid' AND e.effective_on BETWEEN ?1 AND ?2 "
          "AND (?3 = '' OR instr(?3, ',' || c.agency || ',') > 0)"));
  s->BindText(1, absl::StrFormat("%04d-01-01", year));
  s->BindText(2, absl::StrFormat("%04d-12-31", year));
  s->BindText(3, AgencyList(agencies));
  ASSIGN_OR_RETURN(bool row, s->Step());
  (void)row;
  return s->ColumnInt(0);
}

namespace {

constexpr char kAppealSelect[] =
    "SELECT a.id, c.case_no, a.kind, a.filed_on, a.result, a.decided_on, "
    "c.agency "
    "FROM appeals a JOIN cases c ON c.id = a.case_id";

absl::StatusOr<AppealRecord> ReadAppeal(const Statement& s) {
  AppealRecord a;
  a.id = s.ColumnInt(0);
  a.case_no = s.ColumnText(1);
  absl::StatusOr<AppealKind> kind = ParseAppealKind(s.ColumnText(2));
  if (!kind.ok()) return absl::DataLossError("an appeal has an unknown kind");
  a.kind = *kind;
  ASSIGN_OR_RETURN(a.filed_on, StoredDate(s.ColumnText(3)));
  if (!s.IsNull(4)) {
    absl::StatusOr<AppealResult> r = ParseAppealResult(s.ColumnText(4));
    if (!r.ok()) return absl::DataLossError("an appeal has an unknown result");
    a.result = *r;
    ASSIGN_OR_RETURN(a.decided_on, StoredDate(s.ColumnText(5)));
  }
  a.agency = s.ColumnText(6);
  return a;
}

}  // namespace

absl::StatusOr<AppealRecord> SqliteStore::LoadAppeal(int64_t id) {
  ASSIGN_OR_RETURN(ScopedStatement s, db_->Prepare(absl::StrCat(
                                          kAppealSelect, " WHERE a.id = ?")));
  s->BindInt(1, id);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found)
    return absl::NotFoundError(absl::StrCat("no appeal with id ", id));
  return ReadAppeal(*s);
}

absl::StatusOr<AppealRecord> SqliteStore::GetAppeal(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  return LoadAppeal(id);
}

absl::StatusOr<AppealRecord> SqliteStore::CreateAppeal(
    AppealRecord appeal, const RecordEvent& event) {
  return Write<AppealRecord>([&]() -> absl::StatusOr<AppealRecord> {
    ASSIGN_OR_RETURN(CaseRecord c, LoadCase(appeal.case_no));
    ASSIGN_OR_RETURN(
        ScopedStatement s,
        db_->Prepare("INSERT INTO appeals (case_id, kind, filed_on, "
                     "created_at, updated_at) VALUES (?, ?, ?, ?, ?)"));
    s->BindInt(1, c.id);
    s->BindText(2, AppealKindCode(appeal.kind));
    s->BindText(3, FormatDate(appeal.filed_on));
    s->BindText(4, FormatTimestamp(event.at));
    s->BindText(5, FormatTimestamp(event.at));
    RETURN_IF_ERROR(s->Run());
    appeal.id = db_->LastInsertRowId();
    RecordEvent e = event;
    e.subject = absl::StrCat("appeal ", appeal.id);
    RETURN_IF_ERROR(AppendRecordEvent(e));
    return appeal;
  });
}

absl::StatusOr<AppealRecord> SqliteStore::UpdateAppeal(
    int64_t id, const std::function<absl::Status(AppealRecord&)>& change,
    const RecordEvent& event) {
  return Write<AppealRecord>([&]() -> absl::StatusOr<AppealRecord> {
    ASSIGN_OR_RETURN(AppealRecord a, LoadAppeal(id));
    RETURN_IF_ERROR(change(a));
    ASSIGN_OR_RETURN(
        ScopedStatement s,
        db_->Prepare("UPDATE appeals SET result = ?, decided_on = ?, "
                     "updated_at = ? WHERE id = ?"));
    if (a.result.has_value()) {
      s->BindText(1, AppealResultCode(*a.result));
      s->BindText(2, FormatDate(*a.decided_on));
    } else {
      s->BindNull(1);
      s->BindNull(2);
    }
    s->BindText(3, FormatTimestamp(event.at));
    s->BindInt(4, id);
    RETURN_IF_ERROR(s->Run());
    RETURN_IF_ERROR(AppendRecordEvent(event));
    return a;
  });
}

absl::StatusOr<std::vector<AppealRecord>> SqliteStore::ListAppeals(
    int year, const std::vector<std::string>& agencies) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db_->Prepare(absl::StrCat(
                       kAppealSelect,
                       " WHERE (?1 = 0 OR (a.filed_on <= ?2 AND "
                       "(a.decided_on IS NULL OR a.decided_on >= ?3))) AND "
                       "(?4 = '' OR instr(?4, ',' || c.agency || ',') > 0) "
                       "ORDER BY a.filed_on, a.id")));
  s->BindInt(1, year);
  s->BindText(2, absl::StrFormat("%04d-12-31", year));
  s->BindText(3, absl::StrFormat("%04d-01-01", year));
  s->BindText(4, AgencyList(agencies));
  return CollectRows(*s, ReadAppeal);
}

absl::StatusOr<std::array<ProactiveRow, kProactiveItemCount>>
SqliteStore::GetProactive(int year, const std::vector<std::string>& agencies) {
  std::lock_guard<std::mutex> lock(mu_);
  // Several agencies' figures add up (a government's combined table 2).
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db_->Prepare("SELECT item, SUM(issued), SUM(repealed), SUM(in_force), "
                   "SUM(decisions), SUM(amount_fen) FROM proactive_figures "
                   "WHERE year = ?1 AND "
                   "(?2 = '' OR instr(?2, ',' || agency || ',') > 0) "
                   "GROUP BY item"));
  s->BindInt(1, year);
  s->BindText(2, AgencyList(agencies));
  std::array<ProactiveRow, kProactiveItemCount> rows{};
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    absl::StatusOr<ProactiveItem> item = ParseProactiveItem(s->ColumnText(0));
    if (!item.ok()) {
      return absl::DataLossError("unknown table 2 item in the database");
    }
    ProactiveRow& r = rows[static_cast<int>(*item) - 1];
    r.issued = s->ColumnInt(1);
    r.repealed = s->ColumnInt(2);
    r.in_force = s->ColumnInt(3);
    r.decisions = s->ColumnInt(4);
    r.amount_fen = s->ColumnInt(5);
  }
  return rows;
}

absl::Status SqliteStore::SetProactive(int year, const std::string& agency,
                                       ProactiveItem item,
                                       const ProactiveRow& row,
                                       const RecordEvent& event) {
  return writes_.Run([&]() -> absl::Status {
    std::string code;
    for (const ProactiveInfo& p : AllProactiveItems()) {
      if (p.item == item) code = std::string(p.code);
    }
    ASSIGN_OR_RETURN(
        ScopedStatement s,
        db_->Prepare(
            "INSERT INTO proactive_figures (year, agency, item, issued, "
            "repealed, in_force, decisions, amount_fen, updated_at, "
            "updated_by) VALUES (?1, ?10, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
            "ON CONFLICT (year, agency, item) DO UPDATE SET issued = ?3, "
            "repealed = ?4, in_force = ?5, decisions = ?6, "
            "amount_fen = ?7, updated_at = ?8, updated_by = ?9"));
    s->BindInt(1, year);
    s->BindText(2, code);
    s->BindInt(3, row.issued);
    s->BindInt(4, row.repealed);
    s->BindInt(5, row.in_force);
    s->BindInt(6, row.decisions);
    s->BindInt(7, row.amount_fen);
    s->BindText(8, FormatTimestamp(event.at));
    s->BindText(9, event.actor);
    s->BindText(10, agency);
    RETURN_IF_ERROR(s->Run());
    RETURN_IF_ERROR(AppendRecordEvent(event));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::map<std::pair<int, std::string>, std::string>>
SqliteStore::PublishedReports() {
  using Published = std::map<std::pair<int, std::string>, std::string>;
  absl::StatusOr<std::shared_ptr<const Published>> published =
      published_.Get([&]() -> absl::StatusOr<Published> {
        std::lock_guard<std::mutex> lock(mu_);
        ASSIGN_OR_RETURN(
            ScopedStatement s,
            db_->Prepare(
                "SELECT year, agency, figures FROM published_reports"));
        Published out;
        while (true) {
          ASSIGN_OR_RETURN(bool row, s->Step());
          if (!row) break;
          out[{static_cast<int>(s->ColumnInt(0)), s->ColumnText(1)}] =
              s->ColumnText(2);
        }
        return out;
      });
  if (!published.ok()) return published.status();
  return **published;
}

absl::StatusOr<std::set<std::pair<int, std::string>>>
SqliteStore::PublishedPeriods() {
  using Periods = std::set<std::pair<int, std::string>>;
  absl::StatusOr<std::shared_ptr<const Periods>> periods =
      published_periods_.Get([&]() -> absl::StatusOr<Periods> {
        ASSIGN_OR_RETURN(auto published, PublishedReports());
        Periods out;
        for (const auto& [key, figures] : published) out.insert(key);
        return out;
      });
  if (!periods.ok()) return periods.status();
  return **periods;
}

absl::Status SqliteStore::PublishReport(int year, const std::string& agency,
                                        const std::string& figures,
                                        const RecordEvent& event) {
  absl::Status published = writes_.Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(
        ScopedStatement existing,
        db_->Prepare("SELECT published_at, published_by FROM "
                     "published_reports WHERE year = ? AND agency = ?"));
    existing->BindInt(1, year);
    existing->BindText(2, agency);
    ASSIGN_OR_RETURN(bool found, existing->Step());
    if (found) {
      return absl::AlreadyExistsError(absl::StrCat(
          "the ", year, " report", agency.empty() ? "" : " of " + agency,
          " was already published on ", existing->ColumnText(0), " by ",
          existing->ColumnText(1)));
    }
    ASSIGN_OR_RETURN(
        ScopedStatement s,
        db_->Prepare("INSERT INTO published_reports (year, agency, "
                     "figures, published_at, published_by) "
                     "VALUES (?, ?, ?, ?, ?)"));
    s->BindInt(1, year);
    s->BindText(2, agency);
    s->BindText(3, figures);
    s->BindText(4, FormatTimestamp(event.at));
    s->BindText(5, event.actor);
    RETURN_IF_ERROR(s->Run());
    return AppendRecordEvent(event);
  });
  published_.Invalidate();
  published_periods_.Invalidate();
  return published;
}

absl::StatusOr<std::optional<std::string>> SqliteStore::FindImport(
    const std::string& content_hash) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db_->Prepare("SELECT imported_at, imported_by, source, rows FROM "
                   "ledger_imports WHERE content_hash = ?"));
  s->BindText(1, content_hash);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(
      absl::StrCat(s->ColumnText(0), " by ", s->ColumnText(1), " from ",
                   s->ColumnText(2), " (", s->ColumnInt(3), " rows)"));
}

absl::Status SqliteStore::ImportCases(std::vector<ImportedCase> cases,
                                      const std::string& content_hash,
                                      const RecordEvent& event) {
  // The caller should not wait for tens of thousands of pages to be copied
  // into the database file: the checkpointer does that after the commit.
  auto automatic_checkpoints = [&](bool on) {
    if (checkpointer_ == nullptr) return;
    std::lock_guard<std::mutex> lock(mu_);
    (void)db_->Execute(on ? "PRAGMA wal_autocheckpoint=1000"
                          : "PRAGMA wal_autocheckpoint=0");
  };
  automatic_checkpoints(false);
  absl::Status imported = ImportCasesNow(std::move(cases), content_hash, event);
  automatic_checkpoints(true);
  if (checkpointer_ != nullptr) checkpointer_->Nudge();
  return imported;
}

absl::Status SqliteStore::ImportCasesNow(std::vector<ImportedCase> cases,
                                         const std::string& content_hash,
                                         const RecordEvent& event) {
  return writes_.Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(
        ScopedStatement seen,
        db_->Prepare("INSERT INTO ledger_imports (content_hash, source, "
                     "rows, imported_at, imported_by) VALUES "
                     "(?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    seen->BindText(1, content_hash);
    seen->BindText(2, event.subject);
    seen->BindInt(3, static_cast<int64_t>(cases.size()));
    seen->BindText(4, FormatTimestamp(event.at));
    seen->BindText(5, event.actor);
    RETURN_IF_ERROR(seen->Run());
    if (db_->Changes() == 0) {
      return absl::AlreadyExistsError("this ledger was already imported");
    }
    std::string chain;  // the last link, carried through the import
    CountDeltas counts;
    for (ImportedCase& c : cases) {
      absl::StatusOr<CaseRecord> stored =
          InsertCase(std::move(c.record), &counts);
      if (!stored.ok()) {
        return absl::Status(
            stored.status().code(),
            absl::StrCat("line ", c.line, ": ", stored.status().message()));
      }
      int64_t seq = 0;
      for (CaseEvent& e : c.events) {
        RETURN_IF_ERROR(AppendEvent(stored->id, e, &chain, ++seq));
      }
    }
    for (const auto& [key, n] : counts) {
      const auto& [agency, year, kind, type] = key;
      RETURN_IF_ERROR(CountCase(agency, year, kind, type, n));
    }
    RETURN_IF_ERROR(AppendRecordEvent(event));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<CaseRecord>> SqliteStore::LedgerCases(
    int year, const std::vector<std::string>& agencies) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db_->Prepare(absl::StrCat(
                       "SELECT ", kCaseColumns,
                       " FROM cases WHERE (receipt_year = ?1 OR "
                       "(answered_on BETWEEN ?2 AND ?3)) AND "
                       "(?4 = '' OR instr(?4, ',' || agency || ',') > 0) "
                       "ORDER BY received_on, id")));
  s->BindInt(1, year);
  s->BindText(2, absl::StrFormat("%04d-01-01", year));
  s->BindText(3, absl::StrFormat("%04d-12-31", year));
  s->BindText(4, AgencyList(agencies));
  return CollectRows(*s, ReadCase);
}

absl::StatusOr<std::vector<std::string>> SqliteStore::ExistingCaseNos(
    const std::vector<std::string>& case_nos) {
  std::lock_guard<std::mutex> lock(mu_);
  ReadTransaction snapshot(db_.get());  // one read lock for all the lookups
  RETURN_IF_ERROR(snapshot.Begin());
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db_->Prepare("SELECT 1 FROM cases WHERE case_no = ?"));
  std::vector<std::string> out;
  for (const std::string& no : case_nos) {
    s->BindText(1, no);
    ASSIGN_OR_RETURN(bool found, s->Step());
    s->Reset();
    if (found) out.push_back(no);
  }
  return out;
}

namespace {

constexpr char kUserColumns[] =
    "id, name, role, disabled, created_at, agencies";

absl::StatusOr<UserRecord> ReadUser(const Statement& s) {
  UserRecord u;
  u.id = s.ColumnInt(0);
  u.name = s.ColumnText(1);
  u.role = s.ColumnText(2);
  u.disabled = s.ColumnInt(3) != 0;
  ASSIGN_OR_RETURN(u.created_at, ParseTimestamp(s.ColumnText(4)));
  u.agencies = s.ColumnText(5);
  return u;
}

absl::StatusOr<AuditEntry> ReadAuditEntry(const Statement& row) {
  AuditEntry e;
  ASSIGN_OR_RETURN(e.recorded_at, ParseTimestamp(row.ColumnText(0)));
  e.actor = row.ColumnText(1);
  e.kind = row.ColumnText(2);
  e.subject = row.ColumnText(3);
  if (!row.ColumnText(4).empty()) {
    ASSIGN_OR_RETURN(e.effective_on, StoredDate(row.ColumnText(4)));
  }
  absl::StatusOr<Json> details = Json::Parse(row.ColumnText(5));
  e.details = details.ok() ? *details : Json(row.ColumnText(5));
  return e;
}

}  // namespace

absl::StatusOr<UserRecord> SqliteStore::CreateUser(
    const std::string& name, const std::string& role,
    const std::string& agencies, const std::string& token_hash,
    const RecordEvent& event) {
  absl::StatusOr<UserRecord> created =
      Write<UserRecord>([&]() -> absl::StatusOr<UserRecord> {
        ASSIGN_OR_RETURN(ScopedStatement exists,
                         db_->Prepare("SELECT 1 FROM users WHERE name = ?"));
        exists->BindText(1, name);
        ASSIGN_OR_RETURN(bool taken, exists->Step());
        if (taken) {
          return absl::AlreadyExistsError(
              absl::StrCat("a user named '", name, "' exists"));
        }
        ASSIGN_OR_RETURN(
            ScopedStatement s,
            db_->Prepare("INSERT INTO users (name, role, token_hash, "
                         "created_at, updated_at, agencies) "
                         "VALUES (?, ?, ?, ?, ?, ?)"));
        s->BindText(1, name);
        s->BindText(2, role);
        s->BindText(3, token_hash);
        s->BindText(4, FormatTimestamp(event.at));
        s->BindText(5, FormatTimestamp(event.at));
        s->BindText(6, agencies);
        RETURN_IF_ERROR(s->Run());
        UserRecord u{
            db_->LastInsertRowId(), name, role, false, event.at, agencies};
        RETURN_IF_ERROR(AppendRecordEvent(event));
        return u;
      });
  users_.Invalidate();
  return created;
}

absl::StatusOr<UserRecord> SqliteStore::FindUserByTokenHash(
    const std::string& token_hash) {
  ASSIGN_OR_RETURN(std::shared_ptr<const UsersByToken> users,
                   users_.Get([&]() -> absl::StatusOr<UsersByToken> {
                     std::lock_guard<std::mutex> lock(mu_);
                     ASSIGN_OR_RETURN(
                         ScopedStatement s,
                         db_->Prepare(absl::StrCat("SELECT ", kUserColumns,
                                                   ", token_hash FROM users")));
                     UsersByToken by_token;
                     while (true) {
                       ASSIGN_OR_RETURN(bool row, s->Step());
                       if (!row) break;
                       ASSIGN_OR_RETURN(UserRecord u, ReadUser(*s));
                       by_token[s->ColumnText(6)] = std::move(u);
                     }
                     return by_token;
                   }));
  auto it = users->find(token_hash);
  if (it == users->end()) return absl::NotFoundError("unknown token");
  return it->second;
}

absl::StatusOr<std::vector<UserRecord>> SqliteStore::ListUsers() {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db_->Prepare(absl::StrCat("SELECT ", kUserColumns,
                                             " FROM users ORDER BY name")));
  return CollectRows(*s, ReadUser);
}

absl::Status SqliteStore::UpdateUser(
    const std::string& name, const std::string& set_sql,
    const std::function<void(Statement&)>& bind, const RecordEvent& event) {
  absl::Status updated = writes_.Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(
        ScopedStatement s,
        db_->Prepare(absl::StrCat("UPDATE users SET ", set_sql,
                                  ", updated_at = ?2 WHERE name = ?1")));
    s->BindText(1, name);
    s->BindText(2, FormatTimestamp(event.at));
    bind(*s);
    RETURN_IF_ERROR(s->Run());
    if (db_->Changes() != 1) {
      return absl::NotFoundError(absl::StrCat("no user named '", name, "'"));
    }
    return AppendRecordEvent(event);
  });
  users_.Invalidate();
  return updated;
}

absl::Status SqliteStore::SetUserDisabled(const std::string& name,
                                          bool disabled,
                                          const RecordEvent& event) {
  return UpdateUser(
      name, "disabled = ?3",
      [&](Statement& s) { s.BindInt(3, disabled ? 1 : 0); }, event);
}

absl::Status SqliteStore::SetUserToken(const std::string& name,
                                       const std::string& token_hash,
                                       const RecordEvent& event) {
  return UpdateUser(
      name, "token_hash = ?3", [&](Statement& s) { s.BindText(3, token_hash); },
      event);
}

absl::StatusOr<std::vector<AuditEntry>> SqliteStore::ListAudit(
    std::optional<absl::Time> since, const std::string& actor, int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db_->Prepare(
          "SELECT recorded_at, actor, kind, subject, effective_on, details "
          "FROM (SELECT e.recorded_at, e.actor, e.kind, "
          "'case ' || c.case_no AS subject, e.effective_on, e.details, "
          "e.id AS id, 0 AS src FROM case_events e JOIN cases c "
          "ON c.id = e.case_id UNION ALL SELECT recorded_at, actor, kind, "
          "subject, '', details, id, 1 FROM record_events) "
          "WHERE recorded_at >= ?1 AND (?2 = '' OR actor = ?2) "
          "ORDER BY recorded_at, src, id LIMIT ?3"));
  s->BindText(1, since ? FormatTimestamp(*since) : "");
  s->BindText(2, actor);
  s->BindInt(3, limit);
  return CollectRows(*s, ReadAuditEntry);
}

absl::StatusOr<std::vector<std::string>> SqliteStore::VerifyAuditChain() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> problems;
  for (const char* table : {"case_events", "record_events"}) {
    ASSIGN_OR_RETURN(
        ScopedStatement s,
        db_->Prepare(absl::StrCat("SELECT id, ", AuditCanonicalColumns(table),
                                  ", chain FROM ", table, " ORDER BY id")));
    std::string prev;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      if (AuditChainLink(prev, s->ColumnText(1)) != s->ColumnText(2)) {
        problems.push_back(absl::StrCat(
            table, " row ", s->ColumnInt(0),
            " breaks the checksum chain: it, or a row before it, was changed, "
            "removed or inserted outside gongkai"));
        break;
      }
      prev = s->ColumnText(2);
    }
  }
  return problems;
}

absl::Status SqliteStore::Backup(const std::string& path) {
  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &dest,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status st =
        SqliteError(rc, absl::StrCat("cannot create backup ", path), dest);
    sqlite3_close_v2(dest);
    return st;
  }
  sqlite3_backup* backup = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    backup = sqlite3_backup_init(dest, "main", db_->handle(), "main");
  }
  if (backup == nullptr) {
    absl::Status st = SqliteError(sqlite3_errcode(dest), "backup failed", dest);
    sqlite3_close_v2(dest);
    return st;
  }
  // Copy in steps and let writers in between; SQLite restarts the copy when
  // the source changes, so the file is one consistent snapshot.
  do {
    std::lock_guard<std::mutex> lock(mu_);
    rc = sqlite3_backup_step(backup, 1024);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  {
    std::lock_guard<std::mutex> lock(mu_);
    sqlite3_backup_finish(backup);
  }
  absl::Status st = rc == SQLITE_DONE ? absl::OkStatus()
                                      : SqliteError(rc, "backup failed", dest);
  sqlite3_close_v2(dest);
  return st;
}

absl::Status SqliteStore::CreateAgency(const std::string& code,
                                       const std::string& name,
                                       const RecordEvent& event) {
  absl::Status created = writes_.Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(
        ScopedStatement s,
        db_->Prepare("INSERT INTO agencies (code, name, created_at) "
                     "VALUES (?, ?, ?) ON CONFLICT DO NOTHING"));
    s->BindText(1, code);
    s->BindText(2, name);
    s->BindText(3, FormatTimestamp(event.at));
    RETURN_IF_ERROR(s->Run());
    if (db_->Changes() != 1) {
      return absl::AlreadyExistsError(absl::StrCat("agency ", code, " exists"));
    }
    return AppendRecordEvent(event);
  });
  agencies_.Invalidate();
  return created;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
SqliteStore::ListAgencies() {
  using Agencies = std::vector<std::pair<std::string, std::string>>;
  absl::StatusOr<std::shared_ptr<const Agencies>> agencies =
      agencies_.Get([&]() -> absl::StatusOr<Agencies> {
        std::lock_guard<std::mutex> lock(mu_);
        ASSIGN_OR_RETURN(
            ScopedStatement s,
            db_->Prepare("SELECT code, name FROM agencies ORDER BY code"));
        return CollectRows(
            *s,
            [](const Statement& row)
                -> absl::StatusOr<std::pair<std::string, std::string>> {
              return std::make_pair(row.ColumnText(0), row.ColumnText(1));
            });
      });
  if (!agencies.ok()) return agencies.status();
  return **agencies;
}

absl::StatusOr<std::string> SqliteStore::CheckIntegrity() {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(ScopedStatement s, db_->Prepare("PRAGMA integrity_check"));
  std::string out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    absl::StrAppend(&out, out.empty() ? "" : "\n", s->ColumnText(0));
  }
  return out;
}

}  // namespace gongkai::storage
