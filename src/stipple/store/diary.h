// stipple/store/diary.h: the clinic's diary: its chairs (treatment rooms) and
// appointments.
//
// An appointment books a client with a practitioner (a user who treats: a
// practitioner or the owner), optionally in a chair, over [start, end), both
// instants in milliseconds since the epoch (UTC); the clinic's time zone is
// the studio's business (shown, never stored). A booked appointment never
// overlaps another booked one of the same practitioner, the same chair or the
// same client, and the database itself holds that rule (migrations 7 and 9),
// so two servers on one database cannot both win a slot:
//   PostgreSQL  exclusion constraints on (practitioner_id, int8range(start, end)),
//               (chair_id, ...) and (client_id, ...) among booked rows (btree_gist);
//   SQLite      triggers refusing an insert or update that would overlap, run
//               under the database's single write lock, so the check and the
//               write are one serialised step.
// Intervals are half-open: one appointment may start when another ends.
// A cancelled appointment keeps its row (and frees its slot). Every change
// raises `version` by one and names the version read (optimistic concurrency).
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::store {

struct Chair {
  std::string id;
  std::string name;  // unique, ignoring case
  TimeMs created_at = 0;
};

// The kinds of appointment a clinic books (brief section 7): a consultation, a
// patch test (placed, then read 24-48 h later), a numbered session of the
// plan, and the touch-up years later.
inline constexpr std::string_view kAppointmentKinds[] = {"consultation", "patch_test", "session", "touch_up"};

struct Appointment {
  std::string id;
  std::string client_id;
  std::string practitioner_id;  // a user
  std::string chair_id;         // "" for none
  std::string kind;             // one of kAppointmentKinds
  int session_number = 0;       // 1..4 for a session, else 0
  TimeMs start = 0, end = 0;    // [start, end), end > start
  std::string status = "booked";  // booked | cancelled
  std::string notes;
  // The gates (the studio's booking rules) booked against, comma-separated
  // ("patch_test"), and the reason the owner or practitioner gave; "" for none.
  std::string overridden_gates, override_reason;
  std::string created_by;  // a user
  TimeMs created_at = 0, updated_at = 0;
  int version = 1;
};

// The messages of a conflict with another booked appointment, which the
// studio names as the field that clashes.
inline constexpr std::string_view kPractitionerBusy = "the practitioner has another appointment then";
inline constexpr std::string_view kChairBusy = "the chair is taken then";
inline constexpr std::string_view kClientBusy = "the client has another appointment then";

// Adds a chair. Errors: conflict when a chair of that name (ignoring case) exists.
StoreResult<Chair> create_chair(Database& db, std::string_view name, TimeMs now);
// Every chair, by name.
StoreResult<std::vector<Chair>> list_chairs(Database& db);
// Errors: not_found.
StoreResult<Chair> find_chair(Database& db, std::string_view id);

// Books `in` (id, status, created_at, updated_at and version are assigned).
// Errors: conflict with message kPractitionerBusy, kChairBusy or kClientBusy
// when it overlaps a booked appointment of the practitioner, chair or client; conflict
// otherwise for a client, user or chair that does not exist (a foreign key).
StoreResult<Appointment> book_appointment(Database& db, const Appointment& in, TimeMs now);

// Errors: not_found.
StoreResult<Appointment> find_appointment(Database& db, std::string_view id);

// Appointments (booked and cancelled) that overlap [from, to), by start then
// id; only the practitioner's when `practitioner_id` is not empty, only the
// client's when `client_id` is not empty. At most `limit` (1..2000).
StoreResult<std::vector<Appointment>> appointments_between(Database& db, TimeMs from, TimeMs to,
                                                           std::string_view practitioner_id, std::string_view client_id,
                                                           int limit);

// What a change sets; a field left empty keeps its value.
struct AppointmentChanges {
  std::optional<TimeMs> start, end;
  std::optional<std::string> practitioner_id, chair_id, status, notes, overridden_gates, override_reason;
};

// Applies `changes` if the appointment is still at `expected_version` (moving
// it, giving it to another practitioner or chair, cancelling it). Errors:
// not_found; stale when the version moved on; conflict as book_appointment's
// when the new time overlaps.
StoreResult<Appointment> change_appointment(Database& db, std::string_view id, int expected_version,
                                            const AppointmentChanges& changes, TimeMs now);

}  // namespace stipple::store
