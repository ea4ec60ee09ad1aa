#include "stipple/store/test_databases.h"

#include <cstdlib>
#include <filesystem>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include "stipple/store/crypto.h"
#include "stipple/store/migrations.h"

namespace stipple::store::testing {

namespace {

// postgresql://user@/postgres?host=/dir&port=N -> the same with dbname=NAME.
std::string with_database(const std::string& url, const std::string& name) {
  const auto scheme_end = url.find("://") + 3;
  const auto path = url.find('/', scheme_end);
  const auto query = url.find('?', scheme_end);
  std::string out = url.substr(0, path == std::string::npos ? query : path) + "/" + name;
  if (query != std::string::npos) out += url.substr(query);
  return out;
}

}  // namespace

TestDatabase::TestDatabase(Backend backend) {
  init_crypto();
  if (backend == Backend::sqlite) {
    folder_ = (std::filesystem::temp_directory_path() / ("stipple-test-" + random_id())).string();
    std::filesystem::create_directories(folder_);
    url_ = "sqlite:" + folder_ + "/studio.db";
    return;
  }
  const char* base = std::getenv("STIPPLE_TEST_POSTGRES_URL");
  if (base == nullptr || *base == '\0') {
    ADD_FAILURE() << "STIPPLE_TEST_POSTGRES_URL is not set: run the PostgreSQL tests through tools/pg-test.sh "
                     "(ctest does), which starts a throwaway cluster";
    return;
  }
  const std::string name = "t_" + random_id();
  try {
    soci::session admin(*soci::factory_postgresql(), base);
    admin << "CREATE DATABASE " + name;  // a name we made: letters and digits only
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cannot create a test database in the cluster: " << e.what();
    return;
  }
  url_ = with_database(base, name);
}

TestDatabase::~TestDatabase() {
  if (!folder_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(folder_, ec);
  }
}

std::unique_ptr<Database> open_migrated(const TestDatabase& t, std::size_t pool_size) {
  if (t.url().empty()) return nullptr;
  auto db = Database::open(t.url(), pool_size);
  if (!db) {
    ADD_FAILURE() << db.error().message();
    return nullptr;
  }
  auto m = migrate(**db);
  if (!m) {
    ADD_FAILURE() << m.error().message;
    return nullptr;
  }
  return std::move(*db);
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "Sqlite" : "Postgres";
}

}  // namespace stipple::store::testing
