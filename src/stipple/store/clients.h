// stipple/store/clients.h: the clinic's clients (the people treated).
//
// A client row holds contact details (name, email, phone, date of birth, sex) and
// clinical notes; what a role may see of it is the studio's business. Every
// change raises `version` by one, and update_client() only changes the row when
// the caller names the version it read (optimistic concurrency: two people
// editing the same client cannot silently overwrite each other). Optional text
// fields are "" when absent. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::store {

struct Client {
  std::string id;
  std::string name;           // non-empty
  std::string email;          // "" when not given
  std::string phone;          // as written by the person who entered it
  std::string date_of_birth;  // YYYY-MM-DD or ""
  std::string sex;            // male | female | other (the intake's words)
  std::string notes;          // clinical notes: practitioners and owners only
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
  int version = 1;            // 1 when created, +1 at every update
};

// The fields an update sets; a field left empty keeps its value.
struct ClientChanges {
  std::optional<std::string> name, email, phone, date_of_birth, sex, notes;
};

// Stores a new client (in.id, created_at, updated_at and version are assigned);
// returns it as stored.
StoreResult<Client> create_client(Database& db, const Client& in, TimeMs now);

// Errors: not_found.
StoreResult<Client> find_client(Database& db, std::string_view id);

// Clients matching `query`, ordered by case-folded name then id, at most `limit`
// (clamped to 1..100). An empty query lists from the start. A query of digits
// and phone punctuation ("+44 20 7946") matches the digits of phone numbers (and
// any name or email holding them); otherwise every word must occur, ignoring
// case (text.h fold_case), in the name or the email. The same query finds the
// same clients in the same order on SQLite and PostgreSQL.
StoreResult<std::vector<Client>> search_clients(Database& db, std::string_view query, int limit);

// Applies `changes` if the client is still at `expected_version`; returns the
// updated client. Errors: not_found; stale when the version moved on (the
// message names the current version).
StoreResult<Client> update_client(Database& db, std::string_view id, int expected_version,
                                  const ClientChanges& changes, TimeMs now);

}  // namespace stipple::store
