// stipple/store/database.h: the studio's database, SQLite or PostgreSQL, through SOCI.
//
// A Database is opened from a URL:
//   sqlite:PATH            a file (created with its folder when missing); every
//                          connection runs in WAL mode with foreign_keys=ON and a
//                          busy timeout, so readers never wait for the writer and
//                          writers wait for each other instead of failing
//   postgresql://...       a libpq connection URI, passed to libpq as given
//                          (postgresql://user@host:5432/db, or a unix socket with
//                          postgresql://user@/db?host=/run/postgresql)
// It holds a pool of connections; each operation leases one for its duration, so
// any number of threads may use one Database at once (a thread that finds every
// connection busy waits for one). The resource files (users.h, sessions.h,
// sign_in_attempts.h, clients.h, audit.h, intakes.h, consultations.h) and
// migrations.h are the only code
// that speaks SQL, always as prepared statements with bound values.
//
// Errors: opening gives an InputError naming "--db" (a URL we cannot read or a
// database we cannot reach); operations give a StoreError.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>

#include "stipple/core/error.h"

namespace soci {
class session;
class connection_pool;
}  // namespace soci

namespace stipple::store {

enum class Backend { sqlite, postgresql };

// What went wrong in a store operation, for the HTTP layer to map to a status.
struct StoreError {
  enum class Code {
    not_found,    // no such row (404)
    conflict,     // a unique value already taken (409)
    stale,        // optimistic concurrency: the row changed since it was read (409)
    unavailable,  // the database could not be reached or is busy (503)
    invalid,      // the operation does not apply to this database or input (the message says why)
    internal,     // anything else: a bug or a broken database (500)
  };
  Code code = Code::internal;
  std::string message;  // for logs: never holds a password, a token or a client's data
  // A deadlock or serialisation failure (PostgreSQL 40P01, 40001; code
  // unavailable): the transaction was rolled back and running it again may
  // succeed. Two inserts racing for rows an exclusion constraint guards can
  // deadlock; the loser's retry then meets the winner's row.
  bool transient = false;
};

template <class T>
using StoreResult = std::expected<T, StoreError>;

inline std::unexpected<StoreError> store_error(StoreError::Code code, std::string message) {
  return std::unexpected(StoreError{code, std::move(message)});
}

// Milliseconds since the Unix epoch, UTC: every timestamp the store keeps.
using TimeMs = long long;  // long long, not int64_t (long): SOCI binds long long
TimeMs now_ms();

class Database {
 public:
  // Opens `url` with `pool_size` connections (at least 1). Does not migrate:
  // call migrate() (migrations.h) before using the resources.
  static Result<std::unique_ptr<Database>> open(std::string_view url, std::size_t pool_size = 8);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Backend backend() const { return backend_; }
  // The URL as opened, without any password it held (safe to print).
  const std::string& display_url() const { return display_url_; }

  // A connection leased from the pool for the lease's lifetime. Reconnects a
  // connection that the server dropped. Thread-safe.
  class Lease {
   public:
    explicit Lease(Database& db);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    soci::session& sql() { return *session_; }

   private:
    Database& db_;
    std::size_t index_;
    soci::session* session_;
  };

  // A write transaction on a leased connection: BEGIN IMMEDIATE on SQLite (the
  // write lock is taken at once, so two writers never deadlock on an upgrade),
  // BEGIN on PostgreSQL. Rolled back unless commit() was called.
  class WriteTransaction {
   public:
    explicit WriteTransaction(Lease& lease, Backend backend);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    void commit();

   private:
    soci::session& sql_;
    bool done_ = false;
  };

  // Runs `SELECT 1`: true when the database answers (GET /healthz).
  bool ping();

 private:
  Database(Backend backend, std::string display_url, std::size_t pool_size);
  Backend backend_;
  std::string display_url_;
  std::unique_ptr<soci::connection_pool> pool_;
};

// Runs `f()` and turns the exceptions of a database call (soci::soci_error,
// std::exception) into a StoreError: a constraint violation becomes conflict, a
// lost connection unavailable, anything else internal. `what` names the
// operation in the message ("create user").
template <class F>
auto guarded(std::string_view what, F&& f) -> decltype(f());
StoreError classify_exception(std::string_view what);  // call inside a catch block

template <class F>
auto guarded(std::string_view what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (...) {
    return std::unexpected(classify_exception(what));
  }
}

}  // namespace stipple::store
