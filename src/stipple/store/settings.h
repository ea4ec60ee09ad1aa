// stipple/store/settings.h: the clinic's settings, one immutable version per save.
//
// The settings are the three documents the engine's `plan` reads (docs/plan.md):
// the clinic (stipple.clinic/1: name, address, IANA time zone, opening hours,
// holidays, session limits), the price list (stipple.pricing/1) and the care
// texts (stipple.care/1). The studio checks each with the engine's own reader
// before saving. Every save is a new row numbered 1, 2, 3, ... with who saved
// it and when; the database refuses UPDATE and DELETE of a version (migration 6),
// so a consultation names the version it was planned with and an inspector can
// read the price list and care texts a client was given. Version 0 is the
// bundled defaults, before the owner's first save. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::store {

struct ClinicSettings {
  int version = 0;         // 1, 2, ...; 0: none saved yet (the bundled defaults)
  std::string clinic;      // stipple.clinic/1 JSON text
  std::string pricing;     // stipple.pricing/1 JSON text
  std::string care;        // stipple.care/1 JSON text
  std::string saved_by;    // a user id ("" for version 0)
  TimeMs saved_at = 0;
};

// The newest saved version, or nothing before the first save.
StoreResult<std::optional<ClinicSettings>> latest_settings(Database& db);

// One saved version (1, 2, ...). Errors: not_found.
StoreResult<ClinicSettings> find_settings(Database& db, int version);

// Saves `next` as version `read_version + 1`, where `read_version` is the
// version the editor started from (0 before the first save). Errors: stale
// when another save came first (two owners, or two servers on one database:
// the version is the table's primary key, so only one of them can win).
StoreResult<ClinicSettings> save_settings(Database& db, int read_version, const ClinicSettings& next, TimeMs now);

// Every saved version without its documents, newest first, at most `limit` (1..100).
StoreResult<std::vector<ClinicSettings>> settings_history(Database& db, int limit);

}  // namespace stipple::store
