// Finding cases in the store: the bigram full-text index (case_text.h), the
// listing's filters and orders, and its keyset paging.
#include <algorithm>
#include <random>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/sqlite/case_text.h"
#include "storage/sqlite_store.h"
#include "storage/test_engines.h"
#include "storage/test_util.h"

namespace gongkai::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::CivilDay D(const char* s) { return *ParseDate(s); }
const absl::Time kAt = absl::FromUnixSeconds(1700000000);

TEST(CaseTextTest, BigramsOfEachRunOfLettersAndDigits) {
  EXPECT_EQ(TextBigrams("王五"), "王五");
  EXPECT_EQ(TextBigrams("申请人王五"), "申请 请人 人王 王五");
  // Punctuation and spaces split runs; ASCII letters are lower-cased.
  EXPECT_EQ(TextBigrams("规划，许可 AB-1"), "规划 许可 ab");
  EXPECT_EQ(TextBigrams("王"), "");
  EXPECT_EQ(TextBigrams(""), "");
  // Bytes that are not UTF-8 split runs and are never indexed.
  EXPECT_EQ(TextBigrams("规\xff划"), "");
}

TEST(CaseTextTest, SearchWordsNeedTwoCharacters) {
  auto words = SearchWords("  王五　规划 XY ");
  ASSERT_TRUE(words.ok()) << words.status();
  EXPECT_THAT(*words, ElementsAre("王五", "规划", "xy"));
  EXPECT_EQ(SearchWords("王").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SearchWords("王五 李").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SearchWords("   ").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MatchExpression({"王五路", "ab"}, ""), "\"王五 五路\" AND \"ab\"");
  EXPECT_EQ(MatchExpression({"王五"}, "applicant"), "applicant : \"王五\"");
}

struct Generated {
  std::string applicant, request, contact, assignee, agency;
  absl::CivilDay received;
  std::optional<absl::CivilDay> due;
  std::optional<Outcome> outcome;
};

// A case to store: applicant, request and contact received on `day`.
Generated G(const std::string& applicant, const std::string& request,
            const std::string& contact, absl::CivilDay day) {
  Generated g;
  g.applicant = applicant;
  g.request = request;
  g.contact = contact;
  g.received = day;
  return g;
}

// On every engine (test_engines.h).
class CaseSearchTest : public ::testing::TestWithParam<TestEngine> {
 protected:
  void SetUp() override {
    auto store = db_.Open();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // The record of `g` as a new case, and its first event.
  static absl::StatusOr<CaseRecord> Record(const Generated& g, CaseEvent* ev) {
    NewCase n;
    n.received_on = g.received;
    n.applicant = g.applicant;
    n.request = g.request;
    n.contact = g.contact;
    n.agency = g.agency;
    ASSIGN_OR_RETURN(CaseRecord r,
                     OpenCase(n, {"t", kAt, D("2026-12-31"), ""}, ev));
    r.assignee = g.assignee;
    r.due_on = g.due;
    if (g.outcome.has_value()) {
      r.state = CaseState::kClosed;
      r.outcome = g.outcome;
      r.answered_on = g.received + 10;
      r.due_on.reset();
    }
    return r;
  }

  // Stores `cases` in one write, one by one as creation does; remembers
  // each with its stored number.
  void Store(const std::vector<Generated>& cases) {
    Store(*store_, cases, &stored_);
  }
  static void Store(storage::Store& store, const std::vector<Generated>& cases,
                    std::vector<CaseRecord>* stored) {
    ASSERT_TRUE(store
                    .Write([&](Tables& t) -> absl::Status {
                      for (const Generated& g : cases) {
                        CaseEvent ev;
                        ASSIGN_OR_RETURN(CaseRecord r, Record(g, &ev));
                        ASSIGN_OR_RETURN(r, t.cases().Insert(r, &ev));
                        stored->push_back(r);
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  }

  // Imports `cases` as one ledger (content hash `hash`), numbered
  // `numbers` in their order.
  absl::Status Import(const std::vector<Generated>& cases,
                      const std::vector<std::string>& numbers,
                      const std::string& hash) {
    std::vector<ImportedCase> imported;
    for (const Generated& g : cases) {
      ImportedCase ic;
      CaseEvent ev;
      ASSIGN_OR_RETURN(ic.record, Record(g, &ev));
      ic.record.case_no = numbers.at(imported.size());
      ic.events = {ev};
      ic.line = static_cast<int>(imported.size()) + 2;
      imported.push_back(std::move(ic));
    }
    return store_->Write([&](Tables& t) {
      return t.cases().Import(std::move(imported), hash,
                              {"ledger_imported", "test.csv", "t", kAt});
    });
  }

  // Every page of `query`, checking that no case comes twice (and, from the
  // start, that the pages hold exactly the total).
  std::vector<CaseRecord> All(CaseQuery query) {
    const bool from_start = !query.after.has_value();
    std::vector<CaseRecord> out;
    std::set<int64_t> seen;
    int64_t total = -1;
    bool lower_bound = false;
    while (true) {
      auto page = ReadValue<CasePage>(
          *store_, [&](Tables& t) { return t.cases().List(query); });
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) return out;
      if (total >= 0) {
        EXPECT_EQ(page->total, total);
      }
      total = page->total;
      lower_bound = page->total_is_lower_bound;
      for (CaseRecord& c : page->cases) {
        EXPECT_TRUE(seen.insert(c.id).second) << c.case_no << " twice";
        out.push_back(std::move(c));
      }
      if (!page->more) break;
      query.after = query.Cursor(out.back());
    }
    if (from_start && lower_bound) {
      EXPECT_EQ(total, query.count_limit);
      EXPECT_GT(static_cast<int64_t>(out.size()), total);
    } else if (from_start) {
      EXPECT_EQ(static_cast<int64_t>(out.size()), total);
    }
    return out;
  }

  static std::vector<std::string> Numbers(const std::vector<CaseRecord>& cs) {
    std::vector<std::string> out;
    for (const CaseRecord& c : cs) out.push_back(c.case_no);
    return out;
  }

  // The cases of stored_ that `keep` accepts, in receipt order.
  std::vector<std::string> Expected(
      const std::function<bool(const CaseRecord&)>& keep) const {
    std::vector<CaseRecord> out;
    for (const CaseRecord& c : stored_) {
      if (keep(c)) out.push_back(c);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.received_on, a.id) < std::tie(b.received_on, b.id);
    });
    return Numbers(out);
  }

  TestDatabase db_{GetParam()};
  std::unique_ptr<storage::Store> store_;
  std::vector<CaseRecord> stored_;
};

INSTANTIATE_TEST_SUITE_P(Engines, CaseSearchTest,
                         ::testing::ValuesIn(TestEngines()), TestEngineName);

// A few thousand cases with names and requests drawn from small pools, so
// that fragments recur; each search is compared with a scan of every case.
TEST_P(CaseSearchTest, FindsFragmentsOfNamesAndRequestWordsAsAScanWould) {
  const std::vector<std::string> surnames = {"王", "李",   "张",  "刘",
                                             "陈", "欧阳", "司马"};
  const std::vector<std::string> given = {"五", "伟", "芳", "娜", "秀英",
                                          "敏", "静", "丽", "强", "磊"};
  const std::vector<std::string> words = {
      "城市规划",   "土地征收", "拆迁补偿", "环境影响评价", "财政预算",
      "规划许可证", "学校招生", "医保基金", "道路建设",     "Project ABC"};
  std::mt19937 rng(20261201);
  auto pick = [&](const std::vector<std::string>& v) {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
  };
  std::vector<Generated> cases;
  for (int i = 0; i < 3000; ++i) {
    Generated g;
    g.applicant = pick(surnames) + pick(given);
    if (i % 7 == 0) g.applicant += "（代理：某律师事务所）";
    g.request = absl::StrCat("申请公开", pick(words), "的", pick(words),
                             "相关文件，第", i, "号");
    g.contact = absl::StrFormat("138%08d 某市某区%s路", i, pick(given));
    g.received = D("2023-01-01") + static_cast<int>(rng() % 900);
    cases.push_back(g);
  }
  Store(cases);

  const std::vector<std::string> searches = {
      "王五",   "欧阳",   "秀英",      "阳秀",         "规划",   "城市规划",
      "划许",   "征收",   "拆迁 补偿", "project",      "abc",    "律师",
      "138000", "某区芳", "规划 王",   "环境影响评价", "第12号", "不存在的词"};
  for (const std::string& s : searches) {
    absl::StatusOr<std::vector<std::string>> ws = SearchWords(s);
    if (!ws.ok()) {
      CaseQuery q;
      q.search = s;
      auto page = ReadValue<CasePage>(
          *store_, [&](Tables& t) { return t.cases().List(q); });
      EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument) << s;
      continue;
    }
    CaseQuery q;
    q.search = s;
    q.limit = 97;
    auto lower = [](std::string x) {
      for (char& c : x) c = absl::ascii_tolower(c);
      return x;
    };
    EXPECT_EQ(Numbers(All(q)), Expected([&](const CaseRecord& c) {
                for (const std::string& w : *ws) {
                  if (!absl::StrContains(lower(c.applicant), w) &&
                      !absl::StrContains(lower(c.request), w) &&
                      !absl::StrContains(lower(c.contact), w)) {
                    return false;
                  }
                }
                return true;
              }))
        << s;
  }
  // --applicant looks at the applicant only.
  for (const std::string name : {"王五", "阳秀", "律师", "规划"}) {
    CaseQuery q;
    q.applicant = name;
    EXPECT_EQ(Numbers(All(q)), Expected([&](const CaseRecord& c) {
                return absl::StrContains(c.applicant, name);
              }))
        << name;
  }
}

TEST_P(CaseSearchTest, SearchOfOneCharacterIsRefused) {
  Store({G("王五", "规划", "", D("2024-01-02"))});
  CaseQuery q;
  q.search = "王";
  auto page = ReadValue<CasePage>(*store_,
                                  [&](Tables& t) { return t.cases().List(q); });
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(page.status().message(), HasSubstr("两个"));
}

TEST_P(CaseSearchTest, TheIndexFollowsEveryChangeOfTheText) {
  Store({G("王五", "城市规划", "北京路", D("2024-01-02"))});
  CaseQuery by_name;
  by_name.search = "王五";
  ASSERT_EQ(All(by_name).size(), 1u);
  ASSERT_TRUE(store_
                  ->Write([&](Tables& t) -> absl::Status {
                    ASSIGN_OR_RETURN(CaseRecord before,
                                     t.cases().Get(stored_[0].case_no));
                    CaseRecord after = before;
                    after.applicant = "赵六";
                    after.request = "学校招生";
                    ++after.version;
                    CaseEvent e;
                    e.kind = "amended";
                    e.effective_on = after.received_on;
                    e.recorded_at = kAt;
                    return t.cases().Update(before, after, &e);
                  })
                  .ok());
  EXPECT_TRUE(All(by_name).empty());
  CaseQuery by_new;
  by_new.search = "赵六 招生";
  EXPECT_EQ(All(by_new).size(), 1u);
  CaseQuery by_old_request;
  by_old_request.search = "规划";
  EXPECT_TRUE(All(by_old_request).empty());
  CaseQuery by_contact;
  by_contact.search = "北京";  // unchanged column still found
  EXPECT_EQ(All(by_contact).size(), 1u);
}

// `prefix`1, `prefix`2 ... `prefix``n`.
std::vector<std::string> LedgerNumbers(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i) out.push_back(absl::StrCat(prefix, i));
  return out;
}

// What the database at `path` holds, read on a connection of the test's
// own: every entry of the search index as "term case-id column offset"
// (FTS5's own vocabulary table over case_text), the schema, and counts.
struct Snapshot {
  std::vector<std::string> index;
  std::vector<std::string> schema;
  int64_t cases = 0;
  int64_t imports = 0;
};
Snapshot Read(const std::string& path) {
  Snapshot out;
  OpenOptions options;
  options.must_exist = true;
  options.check_integrity = false;
  auto db = Database::Open(path, options);
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return out;
  EXPECT_TRUE((*db)
                  ->Execute("CREATE VIRTUAL TABLE temp.vocab USING "
                            "fts5vocab(main, case_text, instance)")
                  .ok());
  auto entries = (*db)->Prepare(
      "SELECT term, doc, col, offset FROM temp.vocab ORDER BY doc, col, "
      "offset, term");
  EXPECT_TRUE(entries.ok()) << entries.status();
  while (entries.ok()) {
    auto row = (*entries)->Step();
    EXPECT_TRUE(row.ok()) << row.status();
    if (!row.ok() || !*row) break;
    out.index.push_back(absl::StrCat(
        (*entries)->ColumnText(0), " ", (*entries)->ColumnInt(1), " ",
        (*entries)->ColumnText(2), " ", (*entries)->ColumnInt(3)));
  }
  auto schema = ReadSchema(**db);
  EXPECT_TRUE(schema.ok()) << schema.status();
  if (schema.ok()) {
    for (const SchemaObject& o : *schema) {
      out.schema.push_back(absl::StrCat(o.type, " ", o.name, ": ", o.sql));
    }
  }
  out.cases = *(*db)->QueryInt("SELECT count(*) FROM cases");
  out.imports = *(*db)->QueryInt("SELECT count(*) FROM ledger_imports");
  return out;
}

// Cases with varied text: CJK, ASCII, punctuation, empty and one-character
// fields, so that every rule of the bigrams is exercised.
std::vector<Generated> VariedCases(int n) {
  const std::vector<std::string> names = {"王五", "欧阳秀英",  "李",
                                          "某",   "Zhang San", "司马·光"};
  const std::vector<std::string> requests = {"申请公开城市规划的相关文件",
                                             "土地征收补偿（2023）",
                                             "Project ABC-1",
                                             "规划，许可",
                                             "x",
                                             ""};
  const std::vector<std::string> contacts = {"", "13800000000",
                                             "某市某区北京路1号", "a@b.cn"};
  std::mt19937 rng(16);
  std::vector<Generated> out;
  for (int i = 0; i < n; ++i) {
    Generated g =
        G(names[rng() % names.size()] + (i % 3 ? "" : "代理人"),
          absl::StrCat(requests[rng() % requests.size()], "第", i, "号"),
          contacts[rng() % contacts.size()],
          D("2023-01-01") + static_cast<int>(rng() % 700));
    out.push_back(g);
  }
  return out;
}

// An import sets the search index's insert trigger aside and indexes its
// cases in one statement after them: the index must be exactly what the
// trigger makes for the same cases created one by one, the schema exactly
// as before, and the trigger back for the next case.
TEST_P(CaseSearchTest, ImportIndexesItsCasesExactlyAsTheTriggerWould) {
  if (db_.postgres())
    GTEST_SKIP() << "the FTS5 index and its trigger: SQLite only";
  const Generated earlier = G("先到者", "早先的申请", "", D("2023-01-01"));
  const Generated later = G("后来者", "之后的申请", "", D("2024-05-01"));
  const std::vector<Generated> cases = VariedCases(300);
  Store({earlier});  // the import's case ids start after it
  const Snapshot before = Read(db_.location());
  ASSERT_TRUE(Import(cases, LedgerNumbers("L", 300), "ledger-1").ok());
  Store({later});

  TempDir other_dir;
  auto other = SqliteStore::Open(other_dir.File("gongkai.db"));
  ASSERT_TRUE(other.ok()) << other.status();
  std::vector<CaseRecord> other_stored;
  Store(**other, {earlier}, &other_stored);
  Store(**other, cases, &other_stored);
  Store(**other, {later}, &other_stored);
  other->reset();

  const Snapshot imported = Read(db_.location());
  const Snapshot created = Read(other_dir.File("gongkai.db"));
  EXPECT_EQ(imported.cases, 302);
  EXPECT_GT(imported.index.size(), 3000u);
  EXPECT_EQ(imported.index, created.index);
  EXPECT_EQ(imported.schema, before.schema);

  // Found by search, as a scan of the texts would find them.
  for (const char* word : {"王五", "秀英", "project", "规划", "后来者"}) {
    CaseQuery q;
    q.search = word;
    size_t expected = absl::StrContains("后来者", word) ? 1 : 0;
    for (const Generated& g : cases) {
      const std::string text = absl::AsciiStrToLower(
          absl::StrCat(g.applicant, "\n", g.request, "\n", g.contact));
      if (absl::StrContains(text, word)) ++expected;
    }
    EXPECT_GT(expected, 0u) << word;
    EXPECT_EQ(All(q).size(), expected) << word;
  }
  auto report = store_->CheckIntegrity();
  ASSERT_TRUE(report.ok()) << report.status();
  for (const IntegrityProblem& p : report->problems) {
    ADD_FAILURE() << p.subject << " " << p.field << ": " << p.message;
  }
}

// An import that fails at its fourth row leaves nothing: no case, no entry
// in the search index, no record of the ledger, the trigger in place.
TEST_P(CaseSearchTest, AFailedImportLeavesNothing) {
  if (db_.postgres()) GTEST_SKIP() << "reads the SQLite file: SQLite only";
  Store({G("王五", "城市规划", "北京路", D("2024-01-02"))});
  const Snapshot before = Read(db_.location());
  std::vector<std::string> numbers = LedgerNumbers("L", 10);
  numbers[3] = stored_[0].case_no;  // taken
  const absl::Status failed = Import(VariedCases(10), numbers, "ledger-2");
  EXPECT_EQ(failed.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(MessageIn(failed, Lang::kEn), HasSubstr("line 5: "));
  EXPECT_THAT(MessageIn(failed, Lang::kZh), HasSubstr("第 5 行："));
  const Snapshot after = Read(db_.location());
  EXPECT_EQ(after.cases, before.cases);
  EXPECT_EQ(after.imports, before.imports);
  EXPECT_EQ(after.index, before.index);
  EXPECT_EQ(after.schema, before.schema);

  // The trigger is in place; the same ledger, corrected, imports.
  Store({G("赵六", "学校招生", "", D("2024-02-03"))});
  CaseQuery q;
  q.search = "赵六";
  EXPECT_EQ(All(q).size(), 1u);
  ASSERT_TRUE(Import(VariedCases(10), LedgerNumbers("L", 10), "ledger-2").ok());
  q.search = "王五";
  EXPECT_GE(All(q).size(), 2u);
}

TEST_P(CaseSearchTest, FiltersCombineAndStayWithinTheAgencies) {
  std::vector<Generated> cases;
  for (int i = 0; i < 60; ++i) {
    Generated g;
    g.applicant = i % 2 ? "王五" : "李四";
    g.request = i % 3 ? "城市规划" : "财政预算";
    g.received = D("2024-01-01") + i * 5;
    g.agency = i % 4 == 0 ? "psb" : "edu";
    g.assignee = i % 5 == 0 ? "li" : "";
    g.due = g.received + 28;
    if (i % 6 == 0) g.outcome = Outcome::kDisclosed;
    if (i % 6 == 1) g.outcome = Outcome::kPartiallyDisclosed;
    cases.push_back(g);
  }
  Store(cases);
  CaseQuery q;
  q.search = "王五 规划";
  q.received_from = D("2024-02-01");
  q.received_to = D("2024-06-30");
  q.agencies = {"edu"};
  q.limit = 4;
  EXPECT_EQ(Numbers(All(q)), Expected([&](const CaseRecord& c) {
              return c.applicant == "王五" && c.request == "城市规划" &&
                     c.received_on >= D("2024-02-01") &&
                     c.received_on <= D("2024-06-30") && c.agency == "edu";
            }));
  CaseQuery partial;
  partial.outcome = Outcome::kPartiallyDisclosed;
  partial.assignee = "li";
  EXPECT_EQ(Numbers(All(partial)), Expected([&](const CaseRecord& c) {
              return c.outcome == Outcome::kPartiallyDisclosed &&
                     c.assignee == "li";
            }));
  // Overdue: open, and the deadline kept is before the day asked about.
  CaseQuery overdue;
  overdue.overdue_on = D("2024-05-01");
  EXPECT_EQ(Numbers(All(overdue)), Expected([&](const CaseRecord& c) {
              return c.state != CaseState::kClosed && c.due_on.has_value() &&
                     *c.due_on < D("2024-05-01");
            }));
  EXPECT_FALSE(All(overdue).empty());
}

// Paging in every order returns each matching case exactly once, even when
// cases are added between pages.
TEST_P(CaseSearchTest, PagingNeverRepeatsOrSkipsACase) {
  std::vector<Generated> cases;
  std::mt19937 rng(7);
  for (int i = 0; i < 400; ++i) {
    Generated g;
    g.applicant = i % 3 ? "王五" : "李四";
    g.request = "城市规划";
    // Many cases share a receipt date and a deadline: the id decides.
    g.received = D("2024-03-01") + static_cast<int>(rng() % 20);
    if (i % 4 != 0) g.due = g.received + static_cast<int>(rng() % 10);
    cases.push_back(g);
  }
  Store(cases);
  for (CaseSort sort :
       {CaseSort::kReceived, CaseSort::kDue, CaseSort::kCaseNo}) {
    CaseQuery q;
    q.search = "王五";
    q.sort = sort;
    q.limit = 13;
    std::vector<CaseRecord> all = All(q);
    EXPECT_EQ(all.size(), Expected([](const CaseRecord& c) {
                            return c.applicant == "王五";
                          }).size());
    // In order: each key (and id) after the one before.
    for (size_t i = 1; i < all.size(); ++i) {
      CaseCursor a = q.Cursor(all[i - 1]);
      CaseCursor b = q.Cursor(all[i]);
      EXPECT_LT(std::tie(a.key, a.id), std::tie(b.key, b.id));
    }
  }
  // Cases added mid-way: those after the cursor are listed, none twice.
  CaseQuery q;
  q.search = "王五";
  q.limit = 50;
  auto first = ReadValue<CasePage>(
      *store_, [&](Tables& t) { return t.cases().List(q); });
  ASSERT_TRUE(first.ok());
  std::set<int64_t> seen;
  for (const CaseRecord& c : first->cases) seen.insert(c.id);
  Store({G("王五", "城市规划", "", D("2024-02-01")),    // before
         G("王五", "城市规划", "", D("2024-12-31"))});  // after
  q.after = q.Cursor(first->cases.back());
  std::vector<CaseRecord> rest = All(q);
  bool later_listed = false;
  for (const CaseRecord& c : rest) {
    EXPECT_TRUE(seen.insert(c.id).second) << c.case_no;
    if (c.id == stored_.back().id) later_listed = true;
  }
  EXPECT_TRUE(later_listed);
  EXPECT_EQ(seen.count(stored_[stored_.size() - 2].id), 0u);
}

// The count stops at count_limit and says so; the pages are all there.
// Each search is read at several page sizes, so that both ways of reading a
// page (from the full-text index, along the order's index) are taken, and
// compared with a scan of every case.
TEST_P(CaseSearchTest, CountStopsAtTheLimitAndSaysSo) {
  std::vector<Generated> cases;
  std::mt19937 rng(13);
  for (int i = 0; i < 1200; ++i) {
    // 规划许可 in nine cases of ten, 王五 in one of a hundred, 李四 in
    // exactly 40 at the end.
    Generated g = G(i % 100 == 0 ? "王五" : (i >= 1160 ? "李四" : "张三"),
                    i % 10 ? "建设工程规划许可" : "财政预算", "",
                    D("2023-01-01") + static_cast<int>(rng() % 700));
    if (i % 3 == 0) g.due = g.received + 20;
    cases.push_back(g);
  }
  Store(cases);
  auto count_of = [&](const std::string& search, int64_t limit) {
    CaseQuery q;
    q.search = search;
    q.count_limit = limit;
    q.limit = 5;
    auto page = ReadValue<CasePage>(
        *store_, [&](Tables& t) { return t.cases().List(q); });
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? std::make_pair(page->total, page->total_is_lower_bound)
                     : std::make_pair(int64_t{-1}, false);
  };
  // 1080 match: more than the default 1000.
  EXPECT_EQ(count_of("规划许可", 1000), std::make_pair(int64_t{1000}, true));
  EXPECT_EQ(count_of("规划许可", 0), std::make_pair(int64_t{1080}, false));
  EXPECT_EQ(count_of("规划许可", 1080), std::make_pair(int64_t{1080}, false));
  EXPECT_EQ(count_of("规划许可", 1079), std::make_pair(int64_t{1079}, true));
  EXPECT_EQ(count_of("王五", 1000), std::make_pair(int64_t{12}, false));
  EXPECT_EQ(count_of("王五", 10), std::make_pair(int64_t{10}, true));
  EXPECT_EQ(count_of("不存在", 1000), std::make_pair(int64_t{0}, false));
  // Without a search the count stops too.
  {
    CaseQuery q;
    q.limit = 3;
    auto page = ReadValue<CasePage>(
        *store_, [&](Tables& t) { return t.cases().List(q); });
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total, 1000);
    EXPECT_TRUE(page->total_is_lower_bound);
  }
  for (const std::string search : {"规划许可", "王五", "李四", "张三 财政"}) {
    for (int limit : {1, 7, 100, 2000}) {
      for (CaseSort sort :
           {CaseSort::kReceived, CaseSort::kDue, CaseSort::kCaseNo}) {
        CaseQuery q;
        q.search = search;
        q.limit = limit;
        q.sort = sort;
        q.count_limit = 50;
        std::vector<CaseRecord> all = All(q);
        auto expected = [&](const CaseRecord& c) {
          for (absl::string_view w : absl::StrSplit(search, ' ')) {
            if (!absl::StrContains(c.applicant, w) &&
                !absl::StrContains(c.request, w)) {
              return false;
            }
          }
          return true;
        };
        std::set<std::string> want;
        for (const std::string& no : Expected(expected)) want.insert(no);
        std::vector<std::string> got = Numbers(all);
        EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), want)
            << search << " " << limit;
        EXPECT_EQ(got.size(), want.size()) << search << " " << limit;
        if (sort == CaseSort::kReceived) {
          EXPECT_EQ(got, Expected(expected)) << search << " " << limit;
        }
      }
    }
  }
}

// A database made before the index gets it for the cases it holds.
TEST(CaseSearchMigrationTest, ExistingCasesAreIndexed) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  {
    auto db = Database::Open(path, OpenOptions{.check_integrity = false});
    ASSERT_TRUE(db.ok()) << db.status();
    std::span<const Migration> all = SchemaMigrations();
    ASSERT_GE(all.size(), 8u);
    ASSERT_TRUE(Migrate(**db, all.first(7)).ok());
    ASSERT_TRUE((*db)
                    ->Execute("INSERT INTO cases (case_no, receipt_year, "
                              "state, channel, applicant_type, applicant, "
                              "request, received_on, version, created_at, "
                              "updated_at) VALUES ('2023-0001', 2023, 'open', "
                              "'mail', 'natural_person', '欧阳秀英', "
                              "'城市规划图', '2023-03-01', 1, "
                              "'2023-03-01T00:00:00Z', "
                              "'2023-03-01T00:00:00Z')")
                    .ok());
  }
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  CaseQuery q;
  q.search = "阳秀 规划";
  auto page = ReadValue<CasePage>(**store,
                                  [&](Tables& t) { return t.cases().List(q); });
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->cases.size(), 1u);
  EXPECT_EQ(page->cases[0].case_no, "2023-0001");
  EXPECT_FALSE(page->cases[0].due_on.has_value());
}

}  // namespace
}  // namespace gongkai::storage
