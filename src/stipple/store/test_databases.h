// stipple/store/test_databases.h: fresh, empty databases for tests, on each backend.
//
// SQLite: a new file in a new temporary folder. PostgreSQL: a new database in
// the throwaway cluster that tools/pg-test.sh starts, which passes its URL in
// STIPPLE_TEST_POSTGRES_URL (a superuser's, without a database name's effect:
// each test creates and uses its own database). Outside pg-test.sh that
// variable is unset, and a PostgreSQL test fails (it never skips silently).
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "stipple/store/database.h"

namespace stipple::store::testing {

// A database URL for a fresh empty database on `backend`; removed when the
// object dies (the SQLite folder; PostgreSQL databases go with the cluster).
class TestDatabase {
 public:
  explicit TestDatabase(Backend backend);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  // Empty (with a gtest failure recorded) when the backend is not available.
  const std::string& url() const { return url_; }

 private:
  std::string url_, folder_;
};

// Opens and migrates a fresh database; null (with a failure recorded) on error.
std::unique_ptr<Database> open_migrated(const TestDatabase& t, std::size_t pool_size = 4);

// "Sqlite" / "Postgres" for INSTANTIATE_TEST_SUITE_P.
std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

}  // namespace stipple::store::testing
