// stipple/store/backup.h: consistent copies of a SQLite database, while it is in use.
//
// backup_sqlite() copies the live database with SQLite's online backup API
// (sqlite3_backup_*), page by page inside one read transaction, so the copy is
// the database as of one moment even while the server writes; the copy is
// written beside `path` and renamed into place, so `path` is never half a
// backup. restore_sqlite() copies such a file into a database that has no
// tables yet. PostgreSQL databases are backed up with PostgreSQL's own tools
// (pg_dump, pg_restore): both functions refuse them. Thread-safe (each leases
// its own connection).
#pragma once

#include <string>

#include "stipple/store/database.h"

namespace stipple::store {

// Errors: invalid (a PostgreSQL database: message says so); internal when the
// file cannot be written (the message names it).
StoreResult<void> backup_sqlite(Database& db, const std::string& path);

// Errors: invalid (a PostgreSQL database, or a file that is not a Stipple
// SQLite database); conflict when `db` already has tables; internal otherwise.
StoreResult<void> restore_sqlite(Database& db, const std::string& path);

}  // namespace stipple::store
