// stipple/store/consultations.h: consultations (the studio's engine jobs) and
// their documents.
//
// A consultation runs the engine on one intake (studio/jobs.h). Its row is the
// job's state, so a restarted server finds what was left:
//   queued   waiting for a worker (created so, or put back by a clean stop)
//   running  claimed by a worker (attempts counts the claims)
//   done     every document stored; progress 1
//   failed   `error` says why, in one line
// A document is one file the engine wrote for the consultation, stored as an
// immutable version: its bytes live in the studio's data folder at `path`
// (relative to it), written before its row, and the row keeps their size and
// SHA-256; the database refuses UPDATE of a document (migration 4). A new
// consultation makes new documents; nothing replaces an old one.
// Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::store {

struct Consultation {
  std::string id;
  std::string client_id;
  std::string intake_id;
  std::string start_date;       // YYYY-MM-DD: the first day sessions may be booked
  std::string override_reason;  // "" when none was given
  std::string status;           // queued | running | done | failed
  double progress = 0;          // 0..1
  std::string step;             // the last step finished ("assessment", "plan", ...), "" before the first
  std::string error;            // "" unless failed
  std::string assessment;       // JSON text of the assessment's summary, "" until assessed
  bool planned = false;         // a plan, quote and calendar were made
  bool overridden = false;      // planned although the assessment blocks booking (override_reason applied)
  int attempts = 0;             // how many times a worker claimed it
  std::string created_by;       // a user id
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
  int settings_version = 0;     // the clinic's settings it is planned with (store/settings.h; 0: the bundled defaults)
  // The practitioner's design choices over the intake's, as a JSON object
  // ({"look": "density", "hairline": "soft", ...}; consult::DesignChoices), "" for none.
  std::string design_choices;
};

struct NewConsultation {
  std::string client_id, intake_id, start_date, override_reason, created_by;
  std::string design_choices = {};  // JSON object text, "" for none
};

struct Document {
  std::string id;
  std::string consultation_id;
  std::string name;          // "report.pdf", "calendar.ics", "top.healed.png", ...: unique in its consultation
  std::string content_type;  // "application/pdf", ...
  long long size = 0;        // bytes
  std::string sha256;        // hex, of the bytes
  std::string path;          // relative to the data folder
  std::string created_by;
  TimeMs created_at = 0;
};

// A queued consultation. Errors: not_found when the intake does not exist or
// is not `client_id`'s (the message says which).
StoreResult<Consultation> create_consultation(Database& db, const NewConsultation& in, TimeMs now);

// Errors: not_found.
StoreResult<Consultation> find_consultation(Database& db, std::string_view id);

// The client's consultations, newest first, at most `limit` (clamped to 1..100).
StoreResult<std::vector<Consultation>> consultations_of_client(Database& db, std::string_view client_id, int limit);

// queued -> running, attempts + 1. False when it was not queued (another
// worker took it, or it is finished).
StoreResult<bool> claim_consultation(Database& db, std::string_view id, TimeMs now);

// While running: the fraction done and the step just finished.
StoreResult<void> set_consultation_progress(Database& db, std::string_view id, double progress, std::string_view step,
                                            TimeMs now);

// While running: the assessment's summary (JSON text) and what the gate let through.
StoreResult<void> set_consultation_assessment(Database& db, std::string_view id, std::string_view assessment, bool planned,
                                              bool overridden, TimeMs now);

// running -> done, progress 1, with its documents (ids assigned here) in one
// transaction: all of them or none.
StoreResult<std::vector<Document>> finish_consultation(Database& db, std::string_view id, std::vector<Document> documents,
                                                       TimeMs now);

// queued or running -> failed with `error` (one line).
StoreResult<void> fail_consultation(Database& db, std::string_view id, std::string_view error, TimeMs now);

// running -> queued again, progress 0 (the server stopped between two steps).
StoreResult<void> requeue_consultation(Database& db, std::string_view id, TimeMs now);

struct Recovery {
  std::vector<std::string> queued;  // every queued consultation, oldest first: to run
  int requeued = 0;                 // running ones put back in the queue
  int failed = 0;                   // running ones failed: claimed `max_attempts` times already
};

// A worker's hold on one consultation for as long as it runs it. On
// PostgreSQL it is a session-level advisory lock (pg_try_advisory_lock on a
// key hashed from the id) on a connection leased for the hold's lifetime: the
// lock ends with the hold, or with the connection when the server process dies,
// so another server can tell a consultation still running from one whose
// server is gone. On SQLite, which one server uses at a time, it holds nothing.
class JobHold {
 public:
  JobHold(JobHold&&) noexcept;
  JobHold& operator=(JobHold&&) = delete;
  ~JobHold();  // releases the lock

 private:
  friend StoreResult<std::optional<JobHold>> hold_consultation(Database&, std::string_view);
  JobHold(std::unique_ptr<Database::Lease> lease, long long key) : lease_(std::move(lease)), key_(key) {}
  std::unique_ptr<Database::Lease> lease_;  // null on SQLite
  long long key_ = 0;
};

// The hold on `id`, taken before claim_consultation; nothing when another
// worker (of this server or another) holds it.
StoreResult<std::optional<JobHold>> hold_consultation(Database& db, std::string_view id);

// What a server finds of other runs' consultations. A consultation left
// running by a server that is gone is queued again unless it was claimed
// `max_attempts` times, then failed (a job that kills the server is not
// retried forever). On PostgreSQL "gone" is exact: no live hold (JobHold) on
// it, so a second server starting, or any server's periodic sweep, leaves the
// running work of the others alone. On SQLite only `at_start` (before this
// server's workers run) treats every running consultation as cut off; a
// sweep then only lists the queued. Either way, `queued` lists every queued one.
StoreResult<Recovery> recover_consultations(Database& db, int max_attempts, TimeMs now, bool at_start = true);

// The consultation's documents, by name.
StoreResult<std::vector<Document>> documents_of(Database& db, std::string_view consultation_id);

// Errors: not_found.
StoreResult<Document> find_document(Database& db, std::string_view consultation_id, std::string_view name);

}  // namespace stipple::store
