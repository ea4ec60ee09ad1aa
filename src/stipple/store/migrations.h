// stipple/store/migrations.h: the schema, as an ordered list of numbered migrations.
//
// One schema for both backends; where their SQL differs (collations, triggers) a
// migration carries each backend's statements. migrate() applies, in order, every
// migration the database has not recorded, all of them inside one write
// transaction, and records each in schema_migrations (version, name,
// applied_at). Any number of processes may call it at once: on PostgreSQL they
// queue on a transaction-scoped advisory lock, on SQLite on the write lock
// (BEGIN IMMEDIATE), so each migration is applied exactly once. A migration is
// never edited once released: a change to the schema is a new migration.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::store {

struct Migration {
  int version;                                      // 1, 2, 3, ... with no gaps
  std::string_view name;                            // what it adds, in a few words
  std::vector<std::string_view> sqlite_statements;  // run one by one
  std::vector<std::string_view> postgresql_statements;
};

// Every migration, by version.
std::span<const Migration> migrations();

// Applies the pending migrations; returns the versions it applied (empty when
// the schema was current). Errors: internal when a statement fails (nothing is
// applied then), or when the database records a version this program does not
// know (a newer program migrated it); unavailable when the database is gone.
StoreResult<std::vector<int>> migrate(Database& db);

// The highest applied version, 0 for an empty database.
StoreResult<int> schema_version(Database& db);

}  // namespace stipple::store
