// stipple/store/backup.h: consistent copies of the studio's database, while it is in use.
//
// SQLite: backup_sqlite() copies the live database with SQLite's online backup
// API (sqlite3_backup_*), page by page inside one read transaction, so the copy
// is the database as of one moment even while the server writes; the result is
// one self-contained SQLite file. restore_sqlite() copies such a file into a
// database that has no tables yet.
//
// PostgreSQL: backup_postgresql() runs PostgreSQL's pg_dump, which reads the
// whole database in one REPEATABLE READ transaction (one snapshot: the server
// goes on writing, the dump does not see it), as plain SQL without owners or
// privileges (--no-owner --no-privileges), so it restores into any empty
// database whatever its roles. Tables come with their data before their
// indexes, constraints and triggers, so the append-only and immutability
// triggers (audit_log, documents, intakes, clinic_settings) are created after
// the rows are in and hold again from then on. restore_postgresql() checks the
// file is a complete Stipple dump (pg_dump's header and closing line, a
// schema_migrations table whose highest version this program knows) and that
// the target has no tables, sequences, views or functions in schema public,
// then runs it with psql in one transaction that stops at the first error
// (psql -X -v ON_ERROR_STOP=1 --single-transaction): the database ends up
// with the whole backup or with nothing. psql runs the file as given, its
// backslash commands included: restore only a backup you made.
//
// The PostgreSQL tools are found as $STIPPLE_PG_BIN/NAME when that is set,
// else on PATH, else in /usr/lib/postgresql/15/bin (Debian's
// postgresql-client-15). They run as child processes without a shell (argv
// arrays), stdin from /dev/null; the connection is the URL's, given as a
// libpq conninfo string without its password (`--dbname`), and the password
// reaches the child only through its environment (PGPASSWORD), never its
// command line, where `ps` would show it. The first error line of the tool's
// stderr becomes the error message (libpq never prints a password).
//
// Both backups are written to PATH.partial-RANDOM (created new, mode 0600 for
// PostgreSQL: a backup holds health records), flushed and renamed into place,
// so `path` is never half a backup; on failure the partial file is removed.
// Thread-safe (each function leases its own connection or runs its own child).
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

// Whether pg_dump and psql can be given the connection of `url` without showing
// a secret on their command line. Errors: invalid when not (an sslpassword in
// the URL, or a URL libpq cannot read), the message says why.
StoreResult<void> check_postgresql_url(const std::string& url);

// `url` is a postgresql:// URL (as given to Database::open, password and all).
// Errors: invalid when the URL is not one, or `path` cannot be created (the
// message names it); internal when pg_dump is missing or fails (the message is
// its first error line).
StoreResult<void> backup_postgresql(const std::string& url, const std::string& path);

// `db` is open on `url`, a PostgreSQL database. Errors: invalid when `db` is
// SQLite or `path` is not a complete dump of a Stipple database this program
// knows; conflict when the database is not empty; internal when psql is
// missing or fails (nothing is restored then).
StoreResult<void> restore_postgresql(Database& db, const std::string& url, const std::string& path);

}  // namespace stipple::store
