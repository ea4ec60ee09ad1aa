#include "stipple/store/backup.h"

#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "stipple/store/crypto.h"
#include "stipple/store/migrations.h"

namespace stipple::store {

using namespace sqlite_api;  // where SOCI's header puts sqlite3.h

namespace {

constexpr int kPagesPerStep = 256;  // the writer gets the lock back between steps

sqlite3* native(soci::session& sql) { return static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_; }

struct Closer {
  void operator()(sqlite3* c) const { sqlite3_close_v2(c); }
};
using Connection = std::unique_ptr<sqlite3, Closer>;

// Copies every page of `from` into `to`; an error message, or "".
std::string copy(sqlite3* from, sqlite3* to) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (b == nullptr) return sqlite3_errmsg(to);
  int rc;
  do {
    rc = sqlite3_backup_step(b, kPagesPerStep);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(10);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  return rc == SQLITE_DONE ? "" : sqlite3_errstr(rc);
}

}  // namespace

StoreResult<void> backup_sqlite(Database& db, const std::string& path) {
  if (db.backend() != Backend::sqlite)
    return store_error(StoreError::Code::invalid, "backup copies SQLite databases; for PostgreSQL use pg_dump");
  return guarded("backup", [&]() -> StoreResult<void> {
    const std::string temp = fmt::format("{}.partial-{}", path, random_id());
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(temp.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    Connection out(raw);
    if (rc != SQLITE_OK) return store_error(StoreError::Code::internal, fmt::format("cannot create '{}': {}", temp, sqlite3_errstr(rc)));
    Database::Lease lease(db);
    std::string err = copy(native(lease.sql()), out.get());
    if (err.empty() && sqlite3_exec(out.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) != SQLITE_OK)
      err = sqlite3_errmsg(out.get());  // one self-contained file, no -wal beside it
    out.reset();
    std::error_code ec;
    if (err.empty()) std::filesystem::rename(temp, path, ec);
    if (!err.empty() || ec) {
      std::filesystem::remove(temp, ec);
      return store_error(StoreError::Code::internal, fmt::format("cannot write '{}': {}", path, err.empty() ? ec.message() : err));
    }
    return {};
  });
}

StoreResult<void> restore_sqlite(Database& db, const std::string& path) {
  if (db.backend() != Backend::sqlite)
    return store_error(StoreError::Code::invalid, "restore copies SQLite backups; for PostgreSQL use pg_restore");
  return guarded("restore", [&]() -> StoreResult<void> {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    Connection in(raw);
    if (rc != SQLITE_OK) return store_error(StoreError::Code::invalid, fmt::format("cannot open '{}': {}", path, sqlite3_errstr(rc)));
    // A Stipple database: it records its migrations, none newer than this program's.
    sqlite3_stmt* st = nullptr;
    int version = -1;
    if (sqlite3_prepare_v2(in.get(), "SELECT MAX(version) FROM schema_migrations", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version < 1 || version > static_cast<int>(migrations().size()))
      return store_error(StoreError::Code::invalid, fmt::format("'{}' is not a backup of a Stipple database this program knows", path));
    Database::Lease lease(db);
    long long tables = 0;
    lease.sql() << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", soci::into(tables);
    if (tables > 0) return store_error(StoreError::Code::conflict, "the database is not empty");
    const std::string err = copy(in.get(), native(lease.sql()));
    if (!err.empty()) return store_error(StoreError::Code::internal, fmt::format("restore: {}", err));
    lease.sql() << "PRAGMA journal_mode=WAL";
    return {};
  });
}

}  // namespace stipple::store
