// stipple/store/patch_tests.h: a client's patch tests (brief sections 9 and 11).
//
// A patch test is placed (when, by whom, which pigment and lot, where on the
// skin) and read later (when, by whom, passed or failed, what was seen). The
// reading happens once: a read test is never read again (the database refuses
// a second reading, migration 8), so the record of what was seen stands.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::store {

struct PatchTest {
  std::string id;
  std::string client_id;
  TimeMs placed_at = 0;
  std::string placed_by;  // a user
  std::string pigment;    // brand and shade as on the bottle
  std::string lot;        // the pigment's lot (batch) number
  std::string site;       // where it was placed ("behind the left ear"), "" when not said
  std::string result = "pending";  // pending | passed | failed
  std::optional<TimeMs> read_at;
  std::string read_by;    // a user, "" until read
  std::string notes;      // what was seen
  TimeMs created_at = 0;
};

// Records a placed test (id, result pending and created_at assigned).
// Errors: conflict for a client or user that does not exist.
StoreResult<PatchTest> place_patch_test(Database& db, const PatchTest& in, TimeMs now);

// Errors: not_found.
StoreResult<PatchTest> find_patch_test(Database& db, std::string_view id);

// The client's patch tests, newest placed first.
StoreResult<std::vector<PatchTest>> patch_tests_of(Database& db, std::string_view client_id);

// Reads a pending test: `result` passed or failed, at `read_at`, by `read_by`.
// Errors: not_found; stale when it was read already (by anyone).
StoreResult<PatchTest> read_patch_test(Database& db, std::string_view id, std::string_view result, TimeMs read_at,
                                       std::string_view read_by, std::string_view notes);

}  // namespace stipple::store
