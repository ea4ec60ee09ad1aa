// stipple/studio/settings.h: the clinic's settings as the studio uses them.
//
// GET /api/v1/clinic shows the settings in force; PUT /api/v1/clinic (owners)
// saves a new version after checking each document with the engine's own
// reader (plan::parse_clinic, parse_pricing, parse_care: the same words and
// field paths as `stipple plan --clinic/--pricing/--care`, under "clinic.",
// "pricing." and "care."). A consultation is planned with the version in force
// when it was queued (store/settings.h), and the first day of its sessions
// defaults to the clinic's today in the clinic's time zone.
#pragma once

#include <string>

#include "stipple/store/settings.h"

namespace stipple::studio {

// The settings of `version`; 0: the bundled defaults (data/clinic/default.json,
// data/pricing/default.json, data/plan/care.json). Errors: not_found.
store::StoreResult<store::ClinicSettings> clinic_settings(store::Database& db, int version);

// The version in force: the newest saved, else the bundled defaults.
store::StoreResult<store::ClinicSettings> current_clinic_settings(store::Database& db);

// Today on the clinic's wall clock at `now`, "YYYY-MM-DD" (the clinic's time
// zone; UTC when the clinic document cannot be read).
std::string clinic_today(const store::ClinicSettings& settings, store::TimeMs now);

}  // namespace stipple::studio
