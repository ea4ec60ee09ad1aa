// stipple/store/intakes.h: a client's intakes (stipple.intake/1 documents).
//
// An intake is the consultation questionnaire as the clinic sent it, stored
// verbatim (the studio checks it with the engine's reader first) and never
// changed (the database refuses UPDATE: migration 4); a new answer is a new
// intake. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::store {

struct StoredIntake {
  std::string id;
  std::string client_id;
  std::string document;    // the stipple.intake/1 JSON text as received
  std::string created_by;  // a user id
  TimeMs created_at = 0;
};

// Stores a new intake of `client_id`. Errors: not_found when there is no such client.
StoreResult<StoredIntake> create_intake(Database& db, std::string_view client_id, std::string_view document,
                                        std::string_view created_by, TimeMs now);

// Errors: not_found.
StoreResult<StoredIntake> find_intake(Database& db, std::string_view id);

// The client's intakes, newest first, at most `limit` (clamped to 1..100); `document` is left empty.
StoreResult<std::vector<StoredIntake>> intakes_of_client(Database& db, std::string_view client_id, int limit);

}  // namespace stipple::store
