#include "storage/migrations.h"

#include <stdlib.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/status_macros.h"
#include "storage/sqlite/document_table.h"

namespace gongkai::storage {
namespace {

// Version 1: cases and their append-only event log.
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE cases (
  id              INTEGER PRIMARY KEY,
  case_no         TEXT NOT NULL UNIQUE,
  receipt_year    INTEGER NOT NULL,
  state           TEXT NOT NULL,
  channel         TEXT NOT NULL,
  applicant_type  TEXT NOT NULL,
  applicant       TEXT NOT NULL,
  contact         TEXT NOT NULL DEFAULT '',
  id_number       TEXT NOT NULL DEFAULT '',
  request         TEXT NOT NULL,
  received_on     TEXT NOT NULL,
  answered_on     TEXT,
  outcome         TEXT,
  answer_note     TEXT NOT NULL DEFAULT '',
  version         INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  CHECK ((state = 'closed') = (outcome IS NOT NULL AND answered_on IS NOT NULL))
) STRICT;
CREATE INDEX cases_by_receipt ON cases (received_on, id);
CREATE INDEX cases_by_year_state ON cases (receipt_year, state);

CREATE TABLE case_events (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases (id),
  seq           INTEGER NOT NULL,
  kind          TEXT NOT NULL,
  effective_on  TEXT NOT NULL,
  recorded_at   TEXT NOT NULL,
  actor         TEXT NOT NULL,
  details       TEXT NOT NULL,
  UNIQUE (case_id, seq)
) STRICT;

CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
  SELECT RAISE(ABORT, 'case_events is append-only: events cannot be changed');
END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
  SELECT RAISE(ABORT, 'case_events is append-only: events cannot be deleted');
END;
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
BEGIN
  SELECT RAISE(ABORT, 'cases are never deleted');
END;

-- Next number of the default per-year case number sequence (2023-0001, ...).
CREATE TABLE case_no_sequences (
  year  INTEGER PRIMARY KEY,
  next  INTEGER NOT NULL
) STRICT;
)sql";

// Version 2: administrator-loaded calendar years and alert delivery.
constexpr char kSchemaV2[] = R"sql(
CREATE TABLE calendar_years (
  year       INTEGER PRIMARY KEY,
  schedule   TEXT NOT NULL,
  loaded_at  TEXT NOT NULL,
  loaded_by  TEXT NOT NULL,
  source     TEXT NOT NULL
) STRICT;

-- Every calendar load, as loaded: the record of who changed the calendar.
CREATE TABLE calendar_loads (
  id         INTEGER PRIMARY KEY,
  loaded_at  TEXT NOT NULL,
  loaded_by  TEXT NOT NULL,
  source     TEXT NOT NULL,
  years      TEXT NOT NULL,
  text       TEXT NOT NULL
) STRICT;
CREATE TRIGGER calendar_loads_no_update BEFORE UPDATE ON calendar_loads
BEGIN
  SELECT RAISE(ABORT, 'calendar_loads is append-only');
END;
CREATE TRIGGER calendar_loads_no_delete BEFORE DELETE ON calendar_loads
BEGIN
  SELECT RAISE(ABORT, 'calendar_loads is append-only');
END;

-- Each alert once: its key is the condition and due day.
CREATE TABLE alerts (
  alert_key        TEXT PRIMARY KEY,
  payload          TEXT NOT NULL,
  raised_at        TEXT NOT NULL,
  hook_state       TEXT NOT NULL CHECK (hook_state IN ('none', 'pending', 'delivered')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT,
  delivered_at     TEXT,
  last_error       TEXT
) STRICT;
CREATE INDEX alerts_pending ON alerts (hook_state, next_attempt_at);
)sql";

// Version 3: the year-end report: appeals, table 2 figures, published
// reports, ledger imports, and an audit log for records outside cases.
constexpr char kSchemaV3[] = R"sql(
CREATE INDEX cases_by_answer ON cases (answered_on);

CREATE TABLE appeals (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases (id),
  kind        TEXT NOT NULL,
  filed_on    TEXT NOT NULL,
  result      TEXT,
  decided_on  TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  CHECK ((result IS NULL) = (decided_on IS NULL))
) STRICT;
CREATE INDEX appeals_by_filing ON appeals (filed_on);

CREATE TABLE proactive_figures (
  year        INTEGER NOT NULL,
  item        TEXT NOT NULL,
  issued      INTEGER NOT NULL DEFAULT 0,
  repealed    INTEGER NOT NULL DEFAULT 0,
  in_force    INTEGER NOT NULL DEFAULT 0,
  decisions   INTEGER NOT NULL DEFAULT 0,
  amount_fen  INTEGER NOT NULL DEFAULT 0,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  PRIMARY KEY (year, item)
) STRICT;

CREATE TABLE published_reports (
  year          INTEGER PRIMARY KEY,
  figures       TEXT NOT NULL,
  published_at  TEXT NOT NULL,
  published_by  TEXT NOT NULL
) STRICT;

CREATE TABLE ledger_imports (
  content_hash  TEXT PRIMARY KEY,
  source        TEXT NOT NULL,
  rows          INTEGER NOT NULL,
  imported_at   TEXT NOT NULL,
  imported_by   TEXT NOT NULL
) STRICT;

-- Changes to records that are not cases (appeals, table 2, publication).
CREATE TABLE record_events (
  id           INTEGER PRIMARY KEY,
  recorded_at  TEXT NOT NULL,
  actor        TEXT NOT NULL,
  kind         TEXT NOT NULL,
  subject      TEXT NOT NULL,
  details      TEXT NOT NULL
) STRICT;
CREATE TRIGGER record_events_no_update BEFORE UPDATE ON record_events
BEGIN
  SELECT RAISE(ABORT, 'record_events is append-only');
END;
CREATE TRIGGER record_events_no_delete BEFORE DELETE ON record_events
BEGIN
  SELECT RAISE(ABORT, 'record_events is append-only');
END;
)sql";

// Version 4: staff accounts, case assignment, and a checksum chain over the
// audit trail (computed for existing events by BackfillAuditChains).
constexpr char kSchemaV4[] = R"sql(
CREATE TABLE users (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  role        TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  disabled    INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
ALTER TABLE cases ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_by_assignee ON cases (assignee, state);
ALTER TABLE case_events ADD COLUMN chain TEXT NOT NULL DEFAULT '';
ALTER TABLE record_events ADD COLUMN chain TEXT NOT NULL DEFAULT '';
DROP TRIGGER case_events_no_update;
DROP TRIGGER record_events_no_update;
)sql";

constexpr char kRestoreAppendOnly[] = R"sql(
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
  SELECT RAISE(ABORT, 'case_events is append-only: events cannot be changed');
END;
CREATE TRIGGER record_events_no_update BEFORE UPDATE ON record_events
BEGIN
  SELECT RAISE(ABORT, 'record_events is append-only');
END;
)sql";

absl::Status BackfillAuditChains(Database& db) {
  for (const char* table : {"case_events", "record_events"}) {
    std::string prev;
    ASSIGN_OR_RETURN(
        ScopedStatement rows,
        db.Prepare(absl::StrCat("SELECT id, ", AuditCanonicalColumns(table),
                                " FROM ", table, " ORDER BY id")));
    std::vector<std::pair<int64_t, std::string>> chains;
    while (true) {
      ASSIGN_OR_RETURN(bool row, rows->Step());
      if (!row) break;
      prev = AuditChainLink(prev, rows->ColumnText(1));
      chains.emplace_back(rows->ColumnInt(0), prev);
    }
    ASSIGN_OR_RETURN(ScopedStatement set,
                     db.Prepare(absl::StrCat("UPDATE ", table,
                                             " SET chain = ? WHERE id = ?")));
    for (const auto& [id, chain] : chains) {
      set->BindText(1, chain);
      set->BindInt(2, id);
      RETURN_IF_ERROR(set->Run());
      set->Reset();
    }
  }
  return db.Execute(kRestoreAppendOnly);
}

// Version 5: several departments (agencies) in one daemon: each case and
// each table 2 / published report belongs to an agency ('' = the whole
// government); each user sees the agencies listed for them ('*' = all).
constexpr char kSchemaV5[] = R"sql(
CREATE TABLE agencies (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;
ALTER TABLE cases ADD COLUMN agency TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_by_agency ON cases (agency, receipt_year);
ALTER TABLE users ADD COLUMN agencies TEXT NOT NULL DEFAULT '*';

CREATE TABLE proactive_figures_v5 (
  year        INTEGER NOT NULL,
  agency      TEXT NOT NULL DEFAULT '',
  item        TEXT NOT NULL,
  issued      INTEGER NOT NULL DEFAULT 0,
  repealed    INTEGER NOT NULL DEFAULT 0,
  in_force    INTEGER NOT NULL DEFAULT 0,
  decisions   INTEGER NOT NULL DEFAULT 0,
  amount_fen  INTEGER NOT NULL DEFAULT 0,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  PRIMARY KEY (year, agency, item)
) STRICT;
INSERT INTO proactive_figures_v5 (year, agency, item, issued, repealed,
    in_force, decisions, amount_fen, updated_at, updated_by)
  SELECT year, '', item, issued, repealed, in_force, decisions, amount_fen,
         updated_at, updated_by FROM proactive_figures;
DROP TABLE proactive_figures;
ALTER TABLE proactive_figures_v5 RENAME TO proactive_figures;

CREATE TABLE published_reports_v5 (
  year          INTEGER NOT NULL,
  agency        TEXT NOT NULL DEFAULT '',
  figures       TEXT NOT NULL,
  published_at  TEXT NOT NULL,
  published_by  TEXT NOT NULL,
  PRIMARY KEY (year, agency)
) STRICT;
INSERT INTO published_reports_v5 (year, agency, figures, published_at, published_by)
  SELECT year, '', figures, published_at, published_by FROM published_reports;
DROP TABLE published_reports;
ALTER TABLE published_reports_v5 RENAME TO published_reports;
)sql";

// Version 6: per-year counts behind the year-end report, kept exact in the
// same transaction as every case write, so a report reads a few hundred rows
// instead of scanning every case.
constexpr char kSchemaV6[] = R"sql(
CREATE TABLE case_counts (
  agency          TEXT NOT NULL,
  year            INTEGER NOT NULL,
  kind            TEXT NOT NULL,  -- 'new', or the outcome code of closures
  applicant_type  TEXT NOT NULL,
  n               INTEGER NOT NULL,
  PRIMARY KEY (agency, year, kind, applicant_type)
) STRICT, WITHOUT ROWID;
INSERT INTO case_counts (agency, year, kind, applicant_type, n)
  SELECT agency, receipt_year, 'new', applicant_type, count(*)
  FROM cases GROUP BY agency, receipt_year, applicant_type;
INSERT INTO case_counts (agency, year, kind, applicant_type, n)
  SELECT agency, CAST(substr(answered_on, 1, 4) AS INTEGER), outcome,
         applicant_type, count(*)
  FROM cases WHERE state = 'closed'
  GROUP BY agency, substr(answered_on, 1, 4), outcome, applicant_type;
)sql";

// Version 7: the audit chain keyed with a key kept outside the database.
// Each row starts a segment: from these row ids on, links are HMAC-SHA256
// under the key named key_id (audit_chain.h); rows before the first segment
// keep their unkeyed SHA-256 links.
constexpr char kSchemaV7[] = R"sql(
CREATE TABLE audit_keys (
  id                  INTEGER PRIMARY KEY,
  key_id              TEXT NOT NULL,
  case_events_from    INTEGER NOT NULL,
  record_events_from  INTEGER NOT NULL,
  keyed_at            TEXT NOT NULL,
  note                TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_keys_no_update BEFORE UPDATE ON audit_keys
BEGIN
  SELECT RAISE(ABORT, 'audit_keys is append-only');
END;
CREATE TRIGGER audit_keys_no_delete BEFORE DELETE ON audit_keys
BEGIN
  SELECT RAISE(ABORT, 'audit_keys is append-only');
END;
)sql";

// Version 8: finding cases in the daemon. The reply deadline as worked out
// at each write (due_on; set for existing cases when the daemon starts, see
// app/due_date.h), the indexes the listing's orders and filters use, and
// the full-text index of applicant, request and contact as character
// bigrams (storage/sqlite/case_text.h), kept by triggers so that every
// write of a case, by whatever path, keeps it in step.
constexpr char kSchemaV8[] = R"sql(
ALTER TABLE cases ADD COLUMN due_on TEXT;
CREATE INDEX cases_by_due ON cases (ifnull(due_on, '9999-12-31'), id);
CREATE INDEX cases_by_outcome ON cases (outcome, received_on);

CREATE VIRTUAL TABLE case_text USING fts5 (
  applicant, request, contact,
  content = '', tokenize = 'unicode61'
);
INSERT INTO case_text (rowid, applicant, request, contact)
  SELECT id, gk_bigrams(applicant), gk_bigrams(request), gk_bigrams(contact)
  FROM cases;
CREATE TRIGGER cases_text_insert AFTER INSERT ON cases
BEGIN
  INSERT INTO case_text (rowid, applicant, request, contact)
  VALUES (new.id, gk_bigrams(new.applicant), gk_bigrams(new.request),
          gk_bigrams(new.contact));
END;
CREATE TRIGGER cases_text_update AFTER UPDATE OF applicant, request, contact
  ON cases
  WHEN old.applicant IS NOT new.applicant OR old.request IS NOT new.request
    OR old.contact IS NOT new.contact
BEGIN
  INSERT INTO case_text (case_text, rowid, applicant, request, contact)
  VALUES ('delete', old.id, gk_bigrams(old.applicant),
          gk_bigrams(old.request), gk_bigrams(old.contact));
  INSERT INTO case_text (rowid, applicant, request, contact)
  VALUES (new.id, gk_bigrams(new.applicant), gk_bigrams(new.request),
          gk_bigrams(new.contact));
END;
)sql";

// Version 9: each agency's own case-number pattern (驻公信〔{year}〕{n}号;
// '' = the default 2023-0001) and, for agencies with one, their own
// per-year sequence; each user's acknowledged and snoozed alerts.
constexpr char kSchemaV9[] = R"sql(
ALTER TABLE agencies ADD COLUMN case_no_pattern TEXT NOT NULL DEFAULT '';
CREATE TABLE case_no_counters (
  agency  TEXT NOT NULL,
  year    INTEGER NOT NULL,
  next    INTEGER NOT NULL,
  PRIMARY KEY (agency, year)
) STRICT;

-- Each user's marks on alerts, by the alert's stable key: acknowledged
-- (hidden until the fact, and so the key, changes) or snoozed until a day.
CREATE TABLE alert_marks (
  user_name      TEXT NOT NULL,
  alert_key      TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('acknowledged', 'snoozed',
                                                'cleared')),
  snoozed_until  TEXT,
  marked_at      TEXT NOT NULL,
  PRIMARY KEY (user_name, alert_key)
) STRICT;
)sql";

// Version 10: the office's documents: per-agency settings and templates, the
// 文号 sequences, and a query code (查询码) on every case (given to existing
// cases by AssignQueryCodes).
constexpr char kSchemaV10[] = R"sql(
ALTER TABLE cases ADD COLUMN query_code TEXT NOT NULL DEFAULT '';

CREATE TABLE document_settings (
  agency                TEXT PRIMARY KEY,
  full_name             TEXT NOT NULL,
  address               TEXT NOT NULL,
  contact               TEXT NOT NULL,
  reconsideration_body  TEXT NOT NULL,
  court                 TEXT NOT NULL,
  number_prefix         TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  updated_by            TEXT NOT NULL
) STRICT;

CREATE TABLE document_templates (
  agency      TEXT NOT NULL,
  name        TEXT NOT NULL,
  docx        BLOB NOT NULL,
  sha256      TEXT NOT NULL,
  loaded_at   TEXT NOT NULL,
  loaded_by   TEXT NOT NULL,
  PRIMARY KEY (agency, name)
) STRICT;

-- Next 文号 of each agency, document kind and year.
CREATE TABLE document_numbers (
  agency  TEXT NOT NULL,
  kind    TEXT NOT NULL,
  year    INTEGER NOT NULL,
  next    INTEGER NOT NULL,
  PRIMARY KEY (agency, kind, year)
) STRICT, WITHOUT ROWID;
)sql";

absl::Status AssignQueryCodes(Database& db) {
  ASSIGN_OR_RETURN(
      ScopedStatement rows,
      db.Prepare("SELECT id FROM cases WHERE query_code = '' ORDER BY id"));
  std::vector<int64_t> ids;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Step());
    if (!row) break;
    ids.push_back(rows->ColumnInt(0));
  }
  ASSIGN_OR_RETURN(ScopedStatement set,
                   db.Prepare("UPDATE cases SET query_code = ? WHERE id = ?"));
  for (int64_t id : ids) {
    ASSIGN_OR_RETURN(std::string code, NewQueryCode(db));
    set->BindText(1, code);
    set->BindInt(2, id);
    RETURN_IF_ERROR(set->Run());
    set->Reset();
  }
  // Unique once every case has one; '' stays allowed for nothing.
  return db.Execute(
      "CREATE UNIQUE INDEX cases_by_query_code ON cases (query_code);");
}

constexpr Migration kMigrations[] = {
    {1, "cases and the append-only case event log", kSchemaV1},
    {2, "loaded calendar years and alert delivery", kSchemaV2},
    {3, "appeals, table 2, published reports and ledger imports", kSchemaV3},
    {4, "staff accounts, assignment, audit checksum chain", kSchemaV4,
     BackfillAuditChains},
    {5, "several agencies in one daemon", kSchemaV5},
    {6, "per-year counts for the year-end report", kSchemaV6},
    {7, "audit chain keyed outside the database", kSchemaV7},
    {8, "finding cases: deadlines, listing indexes, full-text index",
     kSchemaV8},
    {9, "case-number patterns per agency, alert marks per user", kSchemaV9},
    {10, "documents: settings, templates, numbers, query codes", kSchemaV10,
     AssignQueryCodes},
};

}  // namespace

std::string AuditCanonicalColumns(absl::string_view table) {
  // One text value per event; the chain hashes exactly this.
  if (table == "case_events") {
    return "case_id || '|' || seq || '|' || kind || '|' || effective_on || '|' "
           "|| "
           "recorded_at || '|' || actor || '|' || details";
  }
  return "recorded_at || '|' || actor || '|' || kind || '|' || subject || '|' "
         "|| "
         "details";
}

std::string AuditChainLink(absl::string_view previous,
                           absl::string_view canonical) {
  return Sha256Hex(absl::StrCat(previous, "\n", canonical));
}

std::span<const Migration> SchemaMigrations() { return kMigrations; }

absl::StatusOr<std::vector<SchemaObject>> ReadSchema(Database& db) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db.Prepare("SELECT type, name, tbl_name, COALESCE(sql, '') FROM "
                 "sqlite_schema WHERE name NOT LIKE 'sqlite_%' "
                 "ORDER BY type, name"));
  std::vector<SchemaObject> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(SchemaObject{s->ColumnText(0), s->ColumnText(1),
                               s->ColumnText(2), s->ColumnText(3)});
  }
  return out;
}

absl::StatusOr<std::vector<SchemaObject>> ExpectedSchema() {
  // The schema the migrations make, made once in a scratch database: the
  // text SQLite keeps for a table altered by later migrations is its own
  // rewrite, so it is read back rather than written down here.
  static const absl::StatusOr<std::vector<SchemaObject>>* const kSchema = [] {
    std::string dir =
        (std::filesystem::temp_directory_path() / "gongkai-schema-XXXXXX")
            .string();
    if (mkdtemp(dir.data()) == nullptr) {
      return new absl::StatusOr<std::vector<SchemaObject>>(
          absl::InternalError("cannot make a scratch directory for the "
                              "expected schema"));
    }
    absl::StatusOr<std::vector<SchemaObject>> schema =
        [&]() -> absl::StatusOr<std::vector<SchemaObject>> {
      ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                       Database::Open(dir + "/expected.db",
                                      OpenOptions{.check_integrity = false}));
      RETURN_IF_ERROR(Migrate(*db, SchemaMigrations()));
      return ReadSchema(*db);
    }();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return new absl::StatusOr<std::vector<SchemaObject>>(std::move(schema));
  }();
  return *kSchema;
}

absl::Status Migrate(Database& db, std::span<const Migration> migrations) {
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  ASSIGN_OR_RETURN(int64_t app_id, db.QueryInt("PRAGMA application_id"));
  ASSIGN_OR_RETURN(int64_t current, db.QueryInt("PRAGMA user_version"));
  if (app_id != kApplicationId) {
    ASSIGN_OR_RETURN(int64_t objects,
                     db.QueryInt("SELECT count(*) FROM sqlite_schema"));
    if (app_id != 0 || objects > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(db.path(),
                       " is an SQLite database of another application, not a "
                       "gongkai database"));
    }
  }
  if (current > latest) {
    return absl::FailedPreconditionError(
        absl::StrCat("database ", db.path(), " has schema version ", current,
                     ", newer than this gongkaid supports (", latest,
                     "); run a newer gongkaid or restore an older backup"));
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    Transaction txn(&db);
    RETURN_IF_ERROR(txn.Begin());
    absl::Status s = db.Execute(m.sql);
    if (s.ok() && m.after != nullptr) s = m.after(db);
    if (!s.ok()) {
      return absl::InternalError(absl::StrCat("schema migration ", m.version,
                                              " (", m.description,
                                              ") failed: ", s.message()));
    }
    RETURN_IF_ERROR(
        db.Execute(absl::StrCat("PRAGMA application_id=", kApplicationId,
                                "; PRAGMA user_version=", m.version)));
    RETURN_IF_ERROR(txn.Commit());
  }
  return absl::OkStatus();
}

}  // namespace gongkai::storage
