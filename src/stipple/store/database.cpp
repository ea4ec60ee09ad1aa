#include "stipple/store/database.h"

#include <chrono>
#include <filesystem>
#include <system_error>
#include <thread>

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace stipple::store {

namespace {

// Each SQLite connection waits this long for another writer before giving up.
constexpr int kSqliteBusyTimeoutS = 5;

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db"; the
// same for a password=... parameter.
std::string without_password(std::string url) {
  const auto scheme = url.find("://");
  if (scheme != std::string::npos) {
    const auto at = url.find('@', scheme + 3);
    const auto colon = url.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
  }
  const auto pw = url.find("password=");
  if (pw != std::string::npos) {
    const auto end = url.find_first_of("& ", pw);
    url.replace(pw + 9, (end == std::string::npos ? url.size() : end) - pw - 9, "***");
  }
  return url;
}

void prepare_sqlite_connection(soci::session& sql) {
  // WAL: readers see the last commit while a writer works; it persists in the
  // file, so only the first connection to a new file switches it. SQLite does
  // not call the busy handler for that switch: while another connection holds a
  // lock it fails at once, so it is retried here for as long as the busy timeout.
  std::string mode;
  sql << "PRAGMA journal_mode", soci::into(mode);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(kSqliteBusyTimeoutS);
  while (mode != "wal") {
    try {
      sql << "PRAGMA journal_mode=WAL", soci::into(mode);
    } catch (const soci::sqlite3_soci_error& e) {
      if ((e.result() & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > give_up) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  sql << "PRAGMA foreign_keys=ON";  // per connection in SQLite, off by default
  sql << "PRAGMA busy_timeout=" + std::to_string(kSqliteBusyTimeoutS * 1000);  // a constant, not a value
  sql << "PRAGMA synchronous=NORMAL";  // with WAL: durable at checkpoints, never corrupt
}

}  // namespace

TimeMs now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Database::Database(Backend backend, std::string display_url, std::size_t pool_size)
    : backend_(backend), display_url_(std::move(display_url)), pool_(std::make_unique<soci::connection_pool>(pool_size)) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(std::string_view url_view, std::size_t pool_size) {
  const std::string url(url_view);
  if (pool_size == 0) pool_size = 1;
  const auto refuse = [&](std::string expected, std::string found) {
    return input_error("--db", "", std::move(expected), std::move(found));
  };
  Backend backend;
  std::string connect;
  if (url.starts_with("sqlite:")) {
    backend = Backend::sqlite;
    std::string path = url.substr(7);
    if (path.starts_with("//")) path = path.substr(2);  // sqlite://PATH as well
    if (path.empty() || path.find('"') != std::string::npos || path.find('\0') != std::string::npos ||
        path == ":memory:")
      return refuse("sqlite:PATH with a file path (no quotes; not :memory:, which each pooled connection would see apart)",
                    fmt::format("'{}'", url));
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) return refuse("a folder the database file can be created in", fmt::format("'{}': {}", parent.string(), ec.message()));
    connect = "db=\"" + path + "\" timeout=" + std::to_string(kSqliteBusyTimeoutS);
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    backend = Backend::postgresql;
    connect = url;  // libpq reads connection URIs itself
  } else {
    return refuse("sqlite:PATH or postgresql://...", fmt::format("'{}'", without_password(url)));
  }
  std::unique_ptr<Database> db(new Database(backend, without_password(url), pool_size));
  try {
    for (std::size_t i = 0; i < pool_size; ++i) {
      soci::session& s = db->pool_->at(i);
      if (backend == Backend::sqlite) {
        s.open(*soci::factory_sqlite3(), connect);
        prepare_sqlite_connection(s);
      } else {
        s.open(*soci::factory_postgresql(), connect);
        s << "SET client_min_messages = warning";  // no NOTICE lines on stderr ("already exists, skipping")
      }
    }
  } catch (const std::exception& e) {
    std::string why = e.what();
    // libpq's messages may quote the connection string; keep the line short and password-free.
    if (const auto nl = why.find('\n'); nl != std::string::npos) why.resize(nl);
    return refuse("a database that answers", fmt::format("'{}': {}", db->display_url_, without_password(why)));
  }
  return db;
}

Database::Lease::Lease(Database& db) : db_(db), index_(db.pool_->lease()), session_(&db.pool_->at(index_)) {
  try {
    if (!session_->is_connected()) {
      session_->reconnect();
      if (db_.backend_ == Backend::sqlite) prepare_sqlite_connection(*session_);
    }
  } catch (...) {
    db_.pool_->give_back(index_);
    throw;
  }
}

Database::Lease::~Lease() { db_.pool_->give_back(index_); }

Database::WriteTransaction::WriteTransaction(Lease& lease, Backend backend) : sql_(lease.sql()) {
  sql_ << (backend == Backend::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
}

Database::WriteTransaction::~WriteTransaction() {
  if (done_) return;
  try {
    sql_ << "ROLLBACK";
  } catch (...) {
    // The connection is gone; the server rolls back on its own.
  }
}

void Database::WriteTransaction::commit() {
  sql_ << "COMMIT";
  done_ = true;
}

bool Database::ping() {
  try {
    Lease lease(*this);
    int one = 0;
    lease.sql() << "SELECT 1", soci::into(one);
    return one == 1;
  } catch (...) {
    return false;
  }
}

StoreError classify_exception(std::string_view what) {
  try {
    throw;
  } catch (const soci::soci_error& e) {
    std::string msg = std::string(what) + ": " + e.get_error_message();
    switch (e.get_error_category()) {
      case soci::soci_error::constraint_violation: return {StoreError::Code::conflict, msg};
      case soci::soci_error::connection_error: return {StoreError::Code::unavailable, msg};
      default: break;
    }
    // SQLite reports a busy database as a plain error: the writer waited its timeout.
    if (const auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
      if (s->result() == SQLITE_BUSY || s->result() == SQLITE_LOCKED) return {StoreError::Code::unavailable, msg};
      if ((s->result() & 0xff) == SQLITE_CONSTRAINT) return {StoreError::Code::conflict, msg};
    }
    if (const auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
      if (p->sqlstate().starts_with("23")) return {StoreError::Code::conflict, msg};  // integrity constraint violation
      if (p->sqlstate() == "40P01" || p->sqlstate() == "40001") return {StoreError::Code::unavailable, msg, true};
      if (p->sqlstate().starts_with("08")) return {StoreError::Code::unavailable, msg};
    }
    return {StoreError::Code::internal, msg};
  } catch (const std::exception& e) {
    return {StoreError::Code::internal, std::string(what) + ": " + e.what()};
  } catch (...) {
    return {StoreError::Code::internal, std::string(what) + ": unknown error"};
  }
}

}  // namespace stipple::store
