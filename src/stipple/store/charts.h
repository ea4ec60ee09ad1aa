// stipple/store/charts.h: lots (pigment, needle cartridges, numbing products)
// and session charts: what was done at a session and with what.
//
// A lot is one batch of one product, with its expiry day (brief section 11
// "Records": the ink's manufacturer and lot, the instruments' lots; EU REACH
// 2022: every tattoo ink carries a batch number). A chart records a session:
// the client, the practitioner, the session (and its appointment), the zones
// worked, start and end, the lots used (chart_lots: pigment, needle, numbing),
// the pigment's dilution, the hygiene checklist (brief section 9: single-use
// cartridges opened in front of the client, gloves, barrier film, surfaces
// disinfected), photos before and after, any adverse reaction and notes. A
// draft is changed freely; the practitioner's signature locks it, and the
// database refuses any change of a signed chart or its lots (migration 11):
// a correction is an amendment, kept beside the original, never in place of it.
// "Who received lot X" is one indexed query (recipients_of_lot).
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::store {

inline constexpr std::string_view kLotKinds[] = {"pigment", "needle", "numbing"};

struct Lot {
  std::string id;
  std::string kind;        // one of kLotKinds
  std::string product;     // brand and name as on the label ("Carbon black SMP pigment")
  std::string lot;         // the batch number as printed
  std::string expires_on;  // YYYY-MM-DD, the last day it may be used
  std::string detail;      // a needle's configuration ("1RL 0.30 mm"), a pigment's shade; "" when none
  std::string created_by;
  TimeMs created_at = 0;
};

struct ChartLot {
  std::string lot_id;
  std::string use;  // pigment | needle | numbing (the lot's kind)
};

struct Chart {
  std::string id;
  std::string client_id;
  std::string appointment_id;   // "" when charted without one
  std::string practitioner_id;  // a user
  int session_number = 0;       // 1..4, or 0 for a touch-up
  std::string zones;            // the areas worked, in words ("hairline, crown")
  TimeMs started_at = 0, ended_at = 0;
  std::string dilution;         // the pigment's dilution as mixed ("25%")
  bool cartridges_opened_in_front = false, gloves = false, barrier_film = false, surfaces_disinfected = false;
  std::string before_photo_id, after_photo_id;  // "" for none
  std::string adverse_reaction, notes;
  std::vector<ChartLot> lots;
  std::string status = "draft";  // draft | signed
  std::optional<TimeMs> signed_at;
  std::string signed_by;
  std::string created_by;
  TimeMs created_at = 0, updated_at = 0;
  int version = 1;
};

struct Amendment {
  std::string id, chart_id, text, created_by;
  TimeMs created_at = 0;
};

// One row of "who received lot X": the client with their contact details and the session.
struct Recipient {
  std::string client_id, client_name, email, phone;
  std::string chart_id;
  int session_number = 0;
  TimeMs started_at = 0;
  std::string practitioner_id, practitioner_name;
};

// Adds a lot. Errors: conflict when the same kind, product and lot number exist.
StoreResult<Lot> add_lot(Database& db, const Lot& in, TimeMs now);
// Errors: not_found.
StoreResult<Lot> find_lot(Database& db, std::string_view id);
// Lots whose lot number or product contains `query` (ignoring case; every lot
// when empty), newest expiry first, at most `limit` (1..500).
StoreResult<std::vector<Lot>> search_lots(Database& db, std::string_view query, int limit);

// Saves a new draft (id, status, version and times assigned). Errors: conflict
// for a client, user, appointment, photo or lot that does not exist, or an
// appointment charted already.
StoreResult<Chart> create_chart(Database& db, const Chart& in, TimeMs now);
// Errors: not_found.
StoreResult<Chart> find_chart(Database& db, std::string_view id);
// The client's charts, newest session first.
StoreResult<std::vector<Chart>> charts_of(Database& db, std::string_view client_id);
// Replaces a draft's fields and lots if it is still at `expected_version`.
// Errors: not_found; stale when the version moved on; conflict when it is signed.
StoreResult<Chart> update_chart(Database& db, const Chart& in, int expected_version, TimeMs now);
// Signs a draft at `expected_version`, by `user_id`. Errors as update_chart's.
StoreResult<Chart> sign_chart(Database& db, std::string_view id, int expected_version, std::string_view user_id, TimeMs now);
// Adds an amendment to a signed chart. Errors: not_found; conflict when it is a draft.
StoreResult<Amendment> amend_chart(Database& db, std::string_view chart_id, std::string_view text, std::string_view user_id, TimeMs now);
// The chart's amendments, oldest first.
StoreResult<std::vector<Amendment>> amendments_of(Database& db, std::string_view chart_id);

// Each client's latest signed chart: the client and when its session started,
// by client id (the touch-up recall counts from it).
struct LastSession {
  std::string client_id;
  TimeMs started_at = 0;
};
StoreResult<std::vector<LastSession>> last_signed_sessions(Database& db);

// Signed charts started in [from, to), for the monthly report: the start and the practitioner of each.
struct ChartedSession {
  std::string client_id, practitioner_id;
  int session_number = 0;
  TimeMs started_at = 0;
};
StoreResult<std::vector<ChartedSession>> signed_sessions_between(Database& db, TimeMs from, TimeMs to);

// Every chart that used the lot, with the client's contact details and the
// session, newest first: one query over the chart_lots index.
StoreResult<std::vector<Recipient>> recipients_of_lot(Database& db, std::string_view lot_id);

}  // namespace stipple::store
