// The documents' storage: per-agency settings and templates, the 文号
// sequences, and query codes (given to new cases and, by migration 8, to
// the cases of an older database).
#include "storage/sqlite/document_table.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/migrations.h"
#include "storage/sqlite_store.h"
#include "storage/test_engines.h"
#include "storage/test_util.h"

namespace gongkai::storage {
namespace {

using ::testing::Pair;
using ::testing::UnorderedElementsAre;

const absl::Time kAt = absl::FromUnixSeconds(1700000000);

CaseRecord NewRecord(const std::string& applicant, CaseEvent* ev) {
  NewCase n;
  n.received_on = *ParseDate("2023-03-06");
  n.applicant = applicant;
  n.request = "请求公开某文件";
  return *OpenCase(n, {"clerk", kAt, *ParseDate("2023-11-15"), ""}, ev);
}

// On every engine (test_engines.h).
class DocumentTableTest : public ::testing::TestWithParam<TestEngine> {
 protected:
  void SetUp() override {
    auto store = db_.Open();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  template <typename T, typename Body>
  absl::StatusOr<T> W(Body body) {
    return WriteValue<T>(*store_, body);
  }
  template <typename T, typename Body>
  absl::StatusOr<T> R(Body body) {
    return ReadValue<T>(*store_, body);
  }
  TestDatabase db_{GetParam()};
  std::unique_ptr<Store> store_;
};

INSTANTIATE_TEST_SUITE_P(Engines, DocumentTableTest,
                         ::testing::ValuesIn(TestEngines()), TestEngineName);

TEST_P(DocumentTableTest, EveryNewCaseGetsItsOwnQueryCode) {
  std::set<std::string> codes;
  for (int i = 0; i < 20; ++i) {
    CaseEvent ev;
    CaseRecord c = NewRecord("张三", &ev);
    auto stored =
        W<CaseRecord>([&](Tables& t) { return t.cases().Insert(c, &ev); });
    ASSERT_TRUE(stored.ok()) << stored.status();
    ASSERT_TRUE(NormalizeQueryCode(stored->query_code).ok());
    codes.insert(stored->query_code);
    auto read = R<CaseRecord>(
        [&](Tables& t) { return t.cases().Get(stored->case_no); });
    EXPECT_EQ(read->query_code, stored->query_code);
    auto found = R<std::optional<std::string>>([&](Tables& t) {
      return t.documents().CaseNoByQueryCode(stored->query_code);
    });
    EXPECT_EQ(*found, stored->case_no);
  }
  EXPECT_EQ(codes.size(), 20u);
  // Cases made before query codes had '' until the migration: never found.
  auto empty = R<std::optional<std::string>>(
      [&](Tables& t) { return t.documents().CaseNoByQueryCode(""); });
  EXPECT_FALSE(empty->has_value());
}

TEST_P(DocumentTableTest, NumbersRunPerAgencyKindAndYear) {
  auto take = [&](const std::string& agency, const std::string& kind,
                  int year) {
    return *W<int64_t>([&](Tables& t) {
      return t.documents().TakeNumber(agency, kind, year);
    });
  };
  EXPECT_EQ(*R<int64_t>([](Tables& t) {
    return t.documents().NextNumber("a", "reply", 2024);
  }),
            1);
  EXPECT_EQ(take("a", "reply", 2024), 1);
  EXPECT_EQ(take("a", "reply", 2024), 2);
  EXPECT_EQ(take("a", "receipt", 2024), 1);
  EXPECT_EQ(take("b", "reply", 2024), 1);
  EXPECT_EQ(take("a", "reply", 2025), 1);
  EXPECT_EQ(*R<int64_t>([](Tables& t) {
    return t.documents().NextNumber("a", "reply", 2024);
  }),
            3);
  // A rolled-back write takes nothing.
  absl::Status s = store_->Write([](Tables& t) -> absl::Status {
    auto n = t.documents().TakeNumber("a", "reply", 2024);
    if (!n.ok()) return n.status();
    return absl::AbortedError("changed my mind");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(take("a", "reply", 2024), 3);
}

TEST_P(DocumentTableTest, SettingsAndTemplatesAreKeptPerAgencyAndAudited) {
  DocumentSettings s;
  s.full_name = "某市某局";
  s.number_prefix = "某公信";
  ASSERT_TRUE(
      store_
          ->Write([&](Tables& t) {
            return t.documents().SetSettings(
                "a", s,
                RecordEvent{"document_settings_set", "agency a", "admin", kAt});
          })
          .ok());
  EXPECT_EQ(*R<DocumentSettings>(
                [](Tables& t) { return t.documents().Settings("a"); }),
            s);
  EXPECT_EQ(*R<DocumentSettings>(
                [](Tables& t) { return t.documents().Settings("b"); }),
            DocumentSettings());

  // Binary content with NUL bytes survives.
  const std::string docx("PK\x03\x04\0\x01\xff", 7);
  ASSERT_TRUE(store_
                  ->Write([&](Tables& t) {
                    return t.documents().SaveTemplates(
                        "a", {{"receipt", docx}, {"fee", "x"}},
                        RecordEvent{"document_templates_loaded", "agency a",
                                    "admin", kAt});
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write([&](Tables& t) {
                    return t.documents().SaveTemplates(
                        "a", {{"fee", "y"}},
                        RecordEvent{"document_templates_loaded", "agency a",
                                    "admin", kAt});
                  })
                  .ok());
  auto all = R<std::map<std::string, std::string>>(
      [](Tables& t) { return t.documents().Templates("a"); });
  EXPECT_THAT(*all,
              UnorderedElementsAre(Pair("receipt", docx), Pair("fee", "y")));
  auto one = R<std::optional<std::string>>(
      [](Tables& t) { return t.documents().Template("b", "receipt"); });
  EXPECT_FALSE(one->has_value());
  auto audit = R<std::vector<AuditEntry>>(
      [](Tables& t) { return t.audit().List(std::nullopt, "admin", 100, {}); });
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->size(), 3u);
  EXPECT_TRUE(store_->CheckIntegrity()->problems.empty());
}

TEST(DocumentMigrationTest, GivesExistingCasesUniqueQueryCodes) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  {
    auto db = Database::Open(path, {});
    ASSERT_TRUE(db.ok());
    auto migrations = SchemaMigrations();
    ASSERT_TRUE(Migrate(**db, migrations.subspan(0, 7)).ok());
    for (int i = 1; i <= 3; ++i) {
      ASSERT_TRUE(
          (*db)
              ->Execute(absl::StrCat(
                  "INSERT INTO cases (case_no, receipt_year, state, channel, "
                  "applicant_type, applicant, request, received_on, version, "
                  "created_at, updated_at) VALUES ('2023-000",
                  i,
                  "', 2023, 'open', 'in_person', 'natural_person', '张三', "
                  "'x', '2023-03-06', 1, '2023-03-06T00:00:00Z', "
                  "'2023-03-06T00:00:00Z')"))
              .ok());
    }
    ASSERT_TRUE(Migrate(**db, migrations).ok());
    auto s = (*db)->Prepare("SELECT query_code FROM cases");
    ASSERT_TRUE(s.ok());
    std::set<std::string> codes;
    while (*(*s)->Step()) {
      std::string code = (*s)->ColumnText(0);
      EXPECT_TRUE(NormalizeQueryCode(code).ok()) << code;
      codes.insert(code);
    }
    EXPECT_EQ(codes.size(), 3u);
  }
}

}  // namespace
}  // namespace gongkai::storage
