#include "storage/postgres/pg_rows.h"

#include "absl/strings/str_cat.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {

std::string PgAgencyFilter(int param, absl::string_view column) {
  return absl::StrCat("(?", param, " = '' OR strpos(?", param, ", ',' || ",
                      column, " || ',') > 0)");
}

}  // namespace gongkai::storage
