#include "stipple/store/migrations.h"

#include <algorithm>
#include <set>
#include <string>

#include <soci/soci.h>

namespace stipple::store {

namespace {

// The key of the advisory lock that serialises migrators on PostgreSQL ("stipple" in ASCII, as a number).
constexpr std::string_view kPgMigrationLock = "SELECT pg_advisory_xact_lock(32199672297189477)";

constexpr std::string_view kUsers =
    "CREATE TABLE users ("
    " id TEXT PRIMARY KEY,"
    " email TEXT NOT NULL,"
    " email_key TEXT NOT NULL UNIQUE,"  // the email lower-cased: unique case-insensitively, the same on both backends
    " name TEXT NOT NULL,"
    " role TEXT NOT NULL CHECK (role IN ('owner', 'practitioner', 'front_desk')),"
    " password_hash TEXT NOT NULL,"
    " created_at BIGINT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)))";
constexpr std::string_view kSessions =
    "CREATE TABLE sessions ("
    " token_hash TEXT PRIMARY KEY,"  // SHA-256 of the token: the token itself is never stored
    " user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
    " created_at BIGINT NOT NULL,"
    " last_seen_at BIGINT NOT NULL,"
    " ip TEXT NOT NULL)";
constexpr std::string_view kSessionsIndex = "CREATE INDEX sessions_user ON sessions (user_id)";
constexpr std::string_view kAttempts =
    "CREATE TABLE sign_in_attempts ("
    " email_key TEXT NOT NULL,"
    " ip TEXT NOT NULL,"
    " at BIGINT NOT NULL,"
    " succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1)))";
constexpr std::string_view kAttemptsEmail = "CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email_key, at)";
constexpr std::string_view kAttemptsIp = "CREATE INDEX sign_in_attempts_ip ON sign_in_attempts (ip, at)";

// sort_key and id order the search results; PostgreSQL compares them bytewise
// (COLLATE "C"), as SQLite does, whatever the database's locale.
#define STIPPLE_CLIENTS_TABLE(COLLATE)                                                      \
  "CREATE TABLE clients ("                                                                  \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                       \
  " name TEXT NOT NULL,"                                                                    \
  " email TEXT NOT NULL DEFAULT '',"                                                        \
  " phone TEXT NOT NULL DEFAULT '',"                                                        \
  " date_of_birth TEXT NOT NULL DEFAULT '',"                                                \
  " sex TEXT NOT NULL CHECK (sex IN ('male', 'female', 'other')),"                          \
  " notes TEXT NOT NULL DEFAULT '',"                                                        \
  " search_text TEXT NOT NULL,"                                                             \
  " sort_key TEXT " COLLATE " NOT NULL,"                                                    \
  " created_at BIGINT NOT NULL,"                                                            \
  " updated_at BIGINT NOT NULL,"                                                            \
  " version INTEGER NOT NULL CHECK (version >= 1))"
constexpr std::string_view kClientsSqlite = STIPPLE_CLIENTS_TABLE("");
constexpr std::string_view kClientsPg = STIPPLE_CLIENTS_TABLE("COLLATE \"C\"");
#undef STIPPLE_CLIENTS_TABLE
constexpr std::string_view kClientsIndex = "CREATE INDEX clients_sort ON clients (sort_key, id)";

constexpr std::string_view kAudit =
    "CREATE TABLE audit_log ("
    " seq BIGINT PRIMARY KEY,"  // the chain's order; never shown (entries are named by id)
    " id TEXT NOT NULL UNIQUE,"
    " at BIGINT NOT NULL,"
    " user_id TEXT NOT NULL,"    // no foreign key: the log outlives what it names
    " action TEXT NOT NULL,"
    " resource TEXT NOT NULL,"
    " client_id TEXT NOT NULL,"  // '' when the entry names no client
    " ip TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL)";
constexpr std::string_view kAuditIndex = "CREATE INDEX audit_log_client ON audit_log (client_id, seq)";

// Intakes, consultations and their documents (migration 4). A consultation is
// a job of the studio's queue (studio/jobs.h): queued -> running -> done | failed.
// Lists are ordered by created_at, then id: bytewise on PostgreSQL too.
#define STIPPLE_CONSULTATION_TABLES(REAL, COLLATE)                                                           \
  "CREATE TABLE intakes ("                                                                          \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                                         \
  " client_id TEXT NOT NULL REFERENCES clients (id),"                                               \
  " document TEXT NOT NULL,"                                                                        \
  " created_by TEXT NOT NULL REFERENCES users (id),"                                                \
  " created_at BIGINT NOT NULL)",                                                                   \
  "CREATE TABLE consultations ("                                                                    \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                                         \
  " client_id TEXT NOT NULL REFERENCES clients (id),"                                               \
  " intake_id TEXT NOT NULL REFERENCES intakes (id),"                                               \
  " start_date TEXT NOT NULL,"                                                                      \
  " override_reason TEXT NOT NULL DEFAULT '',"                                                      \
  " status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),"                \
  " progress " REAL " NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),"                  \
  " step TEXT NOT NULL DEFAULT '',"                                                                 \
  " error TEXT NOT NULL DEFAULT '',"                                                                \
  " assessment TEXT NOT NULL DEFAULT '',"                                                           \
  " planned INTEGER NOT NULL DEFAULT 0 CHECK (planned IN (0, 1)),"                                  \
  " overridden INTEGER NOT NULL DEFAULT 0 CHECK (overridden IN (0, 1)),"                            \
  " attempts INTEGER NOT NULL DEFAULT 0,"                                                           \
  " created_by TEXT NOT NULL REFERENCES users (id),"                                                \
  " created_at BIGINT NOT NULL,"                                                                    \
  " updated_at BIGINT NOT NULL)",                                                                   \
  "CREATE TABLE documents ("                                                                        \
  " id TEXT PRIMARY KEY,"                                                                           \
  " consultation_id TEXT NOT NULL REFERENCES consultations (id),"                                   \
  " name TEXT NOT NULL,"                                                                            \
  " content_type TEXT NOT NULL,"                                                                    \
  " size BIGINT NOT NULL,"                                                                          \
  " sha256 TEXT NOT NULL,"                                                                          \
  " path TEXT NOT NULL,"                                                                            \
  " created_by TEXT NOT NULL REFERENCES users (id),"                                                \
  " created_at BIGINT NOT NULL,"                                                                    \
  " UNIQUE (consultation_id, name))",                                                               \
  "CREATE INDEX intakes_client ON intakes (client_id, created_at)",                                 \
  "CREATE INDEX consultations_client ON consultations (client_id, created_at)",                     \
  "CREATE INDEX consultations_status ON consultations (status, created_at)",                        \
  "ALTER TABLE audit_log ADD COLUMN detail TEXT NOT NULL DEFAULT ''"

// Photos (store/photos.h): the normalised picture and its thumbnail are files in
// the data folder; the row names them with their size and hash.
#define STIPPLE_PHOTOS_TABLE(COLLATE)                                                                   \
  "CREATE TABLE photos ("                                                                               \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                                   \
  " client_id TEXT NOT NULL REFERENCES clients (id),"                                                   \
  " kind TEXT NOT NULL CHECK (kind IN ('consultation', 'before', 'after', 'session', 'touch_up')),"      \
  " camera_view TEXT NOT NULL CHECK (camera_view IN ('top', 'front', 'left', 'right', 'back')),"        \
  " session_number INTEGER NOT NULL DEFAULT 0 CHECK (session_number >= 0),"                             \
  " taken_on TEXT NOT NULL DEFAULT '',"                                                                 \
  " content_type TEXT NOT NULL,"                                                                        \
  " width INTEGER NOT NULL CHECK (width > 0),"                                                          \
  " height INTEGER NOT NULL CHECK (height > 0),"                                                        \
  " size BIGINT NOT NULL,"                                                                              \
  " sha256 TEXT NOT NULL,"                                                                              \
  " path TEXT NOT NULL,"                                                                                \
  " thumbnail_path TEXT NOT NULL,"                                                                      \
  " source_type TEXT NOT NULL,"                                                                         \
  " created_by TEXT NOT NULL,"                                                                          \
  " created_at BIGINT NOT NULL)"
constexpr std::string_view kPhotosSqlite = STIPPLE_PHOTOS_TABLE("");
constexpr std::string_view kPhotosPg = STIPPLE_PHOTOS_TABLE("COLLATE \"C\"");
#undef STIPPLE_PHOTOS_TABLE
constexpr std::string_view kPhotosIndex = "CREATE INDEX photos_client ON photos (client_id, created_at)";

// The clinic's settings (store/settings.h): one row per save, never changed.
constexpr std::string_view kSettings =
    "CREATE TABLE clinic_settings ("
    " version INTEGER PRIMARY KEY CHECK (version >= 1),"
    " clinic TEXT NOT NULL,"
    " pricing TEXT NOT NULL,"
    " care TEXT NOT NULL,"
    " saved_by TEXT NOT NULL REFERENCES users (id),"
    " saved_at BIGINT NOT NULL)";
// The settings a consultation is planned with (0: the bundled defaults), and the
// practitioner's design choices over the intake's (JSON, "" for none).
constexpr std::string_view kConsultationSettings =
    "ALTER TABLE consultations ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 0";
constexpr std::string_view kConsultationDesign =
    "ALTER TABLE consultations ADD COLUMN design_choices TEXT NOT NULL DEFAULT ''";

// The diary (store/diary.h): chairs and appointments. No two booked
// appointments of one practitioner or one chair overlap, held by the database:
// exclusion constraints on PostgreSQL, triggers on SQLite (whose single write
// lock makes each check and its write one step).
#define STIPPLE_DIARY_TABLES(COLLATE)                                                                            \
  "CREATE TABLE chairs ("                                                                                        \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                                            \
  " name TEXT NOT NULL,"                                                                                         \
  " name_key TEXT " COLLATE " NOT NULL UNIQUE,"                                                                  \
  " created_at BIGINT NOT NULL)"
#define STIPPLE_APPOINTMENTS_COLUMNS(COLLATE)                                                                   \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                                            \
  " client_id TEXT NOT NULL REFERENCES clients (id),"                                                            \
  " practitioner_id TEXT NOT NULL REFERENCES users (id),"                                                        \
  " chair_id TEXT REFERENCES chairs (id),"                                                                       \
  " kind TEXT NOT NULL CHECK (kind IN ('consultation', 'patch_test', 'session', 'touch_up')),"                   \
  " session_number INTEGER NOT NULL DEFAULT 0 CHECK (session_number BETWEEN 0 AND 4),"                           \
  " start_ms BIGINT NOT NULL,"                                                                                   \
  " end_ms BIGINT NOT NULL,"                                                                                     \
  " status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),"                                             \
  " notes TEXT NOT NULL DEFAULT '',"                                                                             \
  " created_by TEXT NOT NULL REFERENCES users (id),"                                                             \
  " created_at BIGINT NOT NULL,"                                                                                 \
  " updated_at BIGINT NOT NULL,"                                                                                 \
  " version INTEGER NOT NULL CHECK (version >= 1),"                                                              \
  " CHECK (end_ms > start_ms)"
constexpr std::string_view kChairsSqlite = STIPPLE_DIARY_TABLES("");
constexpr std::string_view kChairsPg = STIPPLE_DIARY_TABLES("COLLATE \"C\"");
constexpr std::string_view kAppointmentsSqlite = "CREATE TABLE appointments (" STIPPLE_APPOINTMENTS_COLUMNS("") ")";
constexpr std::string_view kAppointmentsPg =
    "CREATE TABLE appointments (" STIPPLE_APPOINTMENTS_COLUMNS("COLLATE \"C\"") ","
    " CONSTRAINT appointments_practitioner_free EXCLUDE USING gist"
    " (practitioner_id WITH =, int8range(start_ms, end_ms) WITH &&) WHERE (status = 'booked'),"
    " CONSTRAINT appointments_chair_free EXCLUDE USING gist"
    " (chair_id WITH =, int8range(start_ms, end_ms) WITH &&) WHERE (status = 'booked' AND chair_id IS NOT NULL))";
#undef STIPPLE_DIARY_TABLES
#undef STIPPLE_APPOINTMENTS_COLUMNS
constexpr std::string_view kAppointmentsStart = "CREATE INDEX appointments_start ON appointments (start_ms)";
constexpr std::string_view kAppointmentsPractitioner = "CREATE INDEX appointments_practitioner ON appointments (practitioner_id, start_ms)";
constexpr std::string_view kAppointmentsClient = "CREATE INDEX appointments_client ON appointments (client_id, start_ms)";
// SQLite: the same rules as triggers, for a new booked row and for a change of
// a row's time, practitioner, chair or status.
#define STIPPLE_OVERLAP_TRIGGER(NAME, WHEN, COLUMN, RULE)                                                        \
  "CREATE TRIGGER " NAME " BEFORE " WHEN " ON appointments"                                                      \
  " WHEN NEW.status = 'booked' AND NEW." COLUMN " IS NOT NULL AND EXISTS (SELECT 1 FROM appointments o"          \
  " WHERE o.status = 'booked' AND o." COLUMN " = NEW." COLUMN " AND o.id <> NEW.id"                               \
  " AND o.start_ms < NEW.end_ms AND NEW.start_ms < o.end_ms)"                                                    \
  " BEGIN SELECT RAISE(ABORT, '" RULE "'); END"
constexpr std::string_view kPractitionerFreeInsert =
    STIPPLE_OVERLAP_TRIGGER("appointments_practitioner_free_insert", "INSERT", "practitioner_id", "appointments_practitioner_free");
constexpr std::string_view kPractitionerFreeUpdate =
    STIPPLE_OVERLAP_TRIGGER("appointments_practitioner_free_update", "UPDATE OF start_ms, end_ms, practitioner_id, status",
                            "practitioner_id", "appointments_practitioner_free");
constexpr std::string_view kChairFreeInsert =
    STIPPLE_OVERLAP_TRIGGER("appointments_chair_free_insert", "INSERT", "chair_id", "appointments_chair_free");
constexpr std::string_view kChairFreeUpdate = STIPPLE_OVERLAP_TRIGGER(
    "appointments_chair_free_update", "UPDATE OF start_ms, end_ms, chair_id, status", "chair_id", "appointments_chair_free");
#undef STIPPLE_OVERLAP_TRIGGER

// Patch tests (store/patch_tests.h), read once; a booking's override of its gates.
#define STIPPLE_PATCH_TESTS_TABLE(COLLATE)                                                                       \
  "CREATE TABLE patch_tests ("                                                                                   \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                                            \
  " client_id TEXT NOT NULL REFERENCES clients (id),"                                                            \
  " placed_at BIGINT NOT NULL,"                                                                                  \
  " placed_by TEXT NOT NULL REFERENCES users (id),"                                                              \
  " pigment TEXT NOT NULL,"                                                                                      \
  " lot TEXT NOT NULL,"                                                                                          \
  " site TEXT NOT NULL DEFAULT '',"                                                                              \
  " result TEXT NOT NULL CHECK (result IN ('pending', 'passed', 'failed')),"                                     \
  " read_at BIGINT,"                                                                                             \
  " read_by TEXT NOT NULL DEFAULT '',"                                                                           \
  " notes TEXT NOT NULL DEFAULT '',"                                                                             \
  " created_at BIGINT NOT NULL,"                                                                                 \
  " CHECK ((result = 'pending') = (read_at IS NULL)))"
constexpr std::string_view kPatchTestsSqlite = STIPPLE_PATCH_TESTS_TABLE("");
constexpr std::string_view kPatchTestsPg = STIPPLE_PATCH_TESTS_TABLE("COLLATE \"C\"");
#undef STIPPLE_PATCH_TESTS_TABLE
constexpr std::string_view kPatchTestsClient = "CREATE INDEX patch_tests_client ON patch_tests (client_id, placed_at)";
constexpr std::string_view kAppointmentOverride = "ALTER TABLE appointments ADD COLUMN override_reason TEXT NOT NULL DEFAULT ''";
constexpr std::string_view kAppointmentOverridden = "ALTER TABLE appointments ADD COLUMN overridden_gates TEXT NOT NULL DEFAULT ''";

// The credentials to treat (store/credentials.h), never changed but for a
// revocation, never deleted; a client's booked appointments never overlap.
#define STIPPLE_CREDENTIALS_TABLE(COLLATE)                                                                       \
  "CREATE TABLE credentials ("                                                                                   \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                                            \
  " user_id TEXT REFERENCES users (id),"                                                                         \
  " kind TEXT NOT NULL CHECK (kind IN ('body_art_licence', 'bloodborne_pathogens', 'health_permit')),"           \
  " reference TEXT NOT NULL,"                                                                                    \
  " issuer TEXT NOT NULL DEFAULT '',"                                                                            \
  " valid_from TEXT NOT NULL,"                                                                                   \
  " expires_on TEXT NOT NULL,"                                                                                   \
  " created_by TEXT NOT NULL REFERENCES users (id),"                                                             \
  " created_at BIGINT NOT NULL,"                                                                                 \
  " revoked_at BIGINT,"                                                                                          \
  " revoked_by TEXT NOT NULL DEFAULT '',"                                                                        \
  " revoke_reason TEXT NOT NULL DEFAULT '',"                                                                     \
  " CHECK (expires_on >= valid_from),"                                                                           \
  " CHECK ((kind = 'health_permit') = (user_id IS NULL)))"
constexpr std::string_view kCredentialsSqlite = STIPPLE_CREDENTIALS_TABLE("");
constexpr std::string_view kCredentialsPg = STIPPLE_CREDENTIALS_TABLE("COLLATE \"C\"");
#undef STIPPLE_CREDENTIALS_TABLE
constexpr std::string_view kCredentialsUser = "CREATE INDEX credentials_user ON credentials (user_id, expires_on)";
constexpr std::string_view kClientFreePg =
    "ALTER TABLE appointments ADD CONSTRAINT appointments_client_free EXCLUDE USING gist"
    " (client_id WITH =, int8range(start_ms, end_ms) WITH &&) WHERE (status = 'booked')";
#define STIPPLE_CLIENT_TRIGGER(NAME, WHEN)                                                                       \
  "CREATE TRIGGER " NAME " BEFORE " WHEN " ON appointments"                                                      \
  " WHEN NEW.status = 'booked' AND EXISTS (SELECT 1 FROM appointments o"                                         \
  " WHERE o.status = 'booked' AND o.client_id = NEW.client_id AND o.id <> NEW.id"                                 \
  " AND o.start_ms < NEW.end_ms AND NEW.start_ms < o.end_ms)"                                                    \
  " BEGIN SELECT RAISE(ABORT, 'appointments_client_free'); END"
constexpr std::string_view kClientFreeInsert = STIPPLE_CLIENT_TRIGGER("appointments_client_free_insert", "INSERT");
constexpr std::string_view kClientFreeUpdate =
    STIPPLE_CLIENT_TRIGGER("appointments_client_free_update", "UPDATE OF start_ms, end_ms, client_id, status");
#undef STIPPLE_CLIENT_TRIGGER

// Consent templates, a version per save, and the consents signed on them
// (store/consents.h): never changed but for a withdrawal (once), never deleted.
#define STIPPLE_CONSENT_TABLES(COLLATE)                                                                          \
  "CREATE TABLE consent_templates ("                                                                             \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                                            \
  " kind TEXT NOT NULL CHECK (kind IN ('treatment', 'clinical_photos', 'marketing_photos')),"                    \
  " version INTEGER NOT NULL CHECK (version >= 1),"                                                              \
  " title TEXT NOT NULL,"                                                                                        \
  " body TEXT NOT NULL,"                                                                                         \
  " sha256 TEXT NOT NULL,"                                                                                       \
  " created_by TEXT NOT NULL REFERENCES users (id),"                                                             \
  " created_at BIGINT NOT NULL,"                                                                                 \
  " UNIQUE (kind, version))",                                                                                    \
  "CREATE TABLE consents ("                                                                                      \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                                            \
  " client_id TEXT NOT NULL REFERENCES clients (id),"                                                            \
  " template_id TEXT NOT NULL REFERENCES consent_templates (id),"                                                \
  " kind TEXT NOT NULL,"                                                                                         \
  " version INTEGER NOT NULL,"                                                                                   \
  " title TEXT NOT NULL,"                                                                                        \
  " text TEXT NOT NULL,"                                                                                         \
  " text_sha256 TEXT NOT NULL,"                                                                                  \
  " signer_name TEXT NOT NULL,"                                                                                  \
  " signature_path TEXT NOT NULL,"                                                                               \
  " signature_size BIGINT NOT NULL,"                                                                             \
  " signature_sha256 TEXT NOT NULL,"                                                                             \
  " ip TEXT NOT NULL,"                                                                                           \
  " user_agent TEXT NOT NULL,"                                                                                   \
  " witnessed_by TEXT NOT NULL REFERENCES users (id),"                                                           \
  " signed_at BIGINT NOT NULL,"                                                                                  \
  " withdrawn_at BIGINT,"                                                                                        \
  " withdrawn_by TEXT NOT NULL DEFAULT '',"                                                                      \
  " withdraw_reason TEXT NOT NULL DEFAULT '')",                                                                  \
  "CREATE INDEX consents_client ON consents (client_id, signed_at)"

// Lots and session charts (store/charts.h): a signed chart and its lots are
// never changed, an amendment never; nothing of a chart is deleted.
#define STIPPLE_CHART_TABLES(COLLATE)                                                                            \
  "CREATE TABLE lots ("                                                                                          \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                                            \
  " kind TEXT NOT NULL CHECK (kind IN ('pigment', 'needle', 'numbing')),"                                        \
  " product TEXT NOT NULL,"                                                                                      \
  " lot TEXT NOT NULL,"                                                                                          \
  " expires_on TEXT NOT NULL,"                                                                                   \
  " detail TEXT NOT NULL DEFAULT '',"                                                                            \
  " search_text TEXT NOT NULL,"                                                                                  \
  " created_by TEXT NOT NULL REFERENCES users (id),"                                                             \
  " created_at BIGINT NOT NULL,"                                                                                 \
  " UNIQUE (kind, product, lot))",                                                                               \
  "CREATE TABLE session_charts ("                                                                                \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                                            \
  " client_id TEXT NOT NULL REFERENCES clients (id),"                                                            \
  " appointment_id TEXT UNIQUE REFERENCES appointments (id),"                                                    \
  " practitioner_id TEXT NOT NULL REFERENCES users (id),"                                                        \
  " session_number INTEGER NOT NULL CHECK (session_number BETWEEN 0 AND 4),"                                    \
  " zones TEXT NOT NULL,"                                                                                        \
  " started_at BIGINT NOT NULL,"                                                                                 \
  " ended_at BIGINT NOT NULL,"                                                                                   \
  " dilution TEXT NOT NULL DEFAULT '',"                                                                          \
  " cartridges_opened INTEGER NOT NULL,"                                                                         \
  " gloves INTEGER NOT NULL,"                                                                                    \
  " barrier_film INTEGER NOT NULL,"                                                                              \
  " surfaces_disinfected INTEGER NOT NULL,"                                                                      \
  " before_photo_id TEXT REFERENCES photos (id),"                                                                \
  " after_photo_id TEXT REFERENCES photos (id),"                                                                 \
  " adverse_reaction TEXT NOT NULL DEFAULT '',"                                                                  \
  " notes TEXT NOT NULL DEFAULT '',"                                                                             \
  " status TEXT NOT NULL CHECK (status IN ('draft', 'signed')),"                                                 \
  " signed_at BIGINT,"                                                                                           \
  " signed_by TEXT NOT NULL DEFAULT '',"                                                                         \
  " created_by TEXT NOT NULL REFERENCES users (id),"                                                             \
  " created_at BIGINT NOT NULL,"                                                                                 \
  " updated_at BIGINT NOT NULL,"                                                                                 \
  " version INTEGER NOT NULL CHECK (version >= 1),"                                                              \
  " CHECK (ended_at > started_at),"                                                                              \
  " CHECK ((status = 'signed') = (signed_at IS NOT NULL)))",                                                     \
  "CREATE TABLE chart_lots ("                                                                                    \
  " chart_id TEXT NOT NULL REFERENCES session_charts (id),"                                                      \
  " lot_id TEXT NOT NULL REFERENCES lots (id),"                                                                  \
  " use_as TEXT NOT NULL CHECK (use_as IN ('pigment', 'needle', 'numbing')),"                                    \
  " PRIMARY KEY (chart_id, lot_id))",                                                                            \
  "CREATE TABLE chart_amendments ("                                                                              \
  " id TEXT " COLLATE " PRIMARY KEY,"                                                                            \
  " chart_id TEXT NOT NULL REFERENCES session_charts (id),"                                                      \
  " text TEXT NOT NULL,"                                                                                         \
  " created_by TEXT NOT NULL REFERENCES users (id),"                                                             \
  " created_at BIGINT NOT NULL)",                                                                                \
  "CREATE INDEX chart_lots_lot ON chart_lots (lot_id, chart_id)",                                                \
  "CREATE INDEX session_charts_client ON session_charts (client_id, started_at)",                               \
  "CREATE INDEX chart_amendments_chart ON chart_amendments (chart_id, created_at)"

const std::vector<Migration>& all() {
  static const std::vector<Migration> list = {
      {1, "users, sessions and sign-in attempts",
       {kUsers, kSessions, kSessionsIndex, kAttempts, kAttemptsEmail, kAttemptsIp},
       {kUsers, kSessions, kSessionsIndex, kAttempts, kAttemptsEmail, kAttemptsIp}},
      {2, "clients", {kClientsSqlite, kClientsIndex}, {kClientsPg, kClientsIndex}},
      {3, "the audit log, append-only",
       {kAudit, kAuditIndex,
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
        " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
        " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"},
       {kAudit, kAuditIndex,
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log"
        " FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
        " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"}},
      {4, "intakes, consultations and their documents (immutable); the audit log's detail",
       {STIPPLE_CONSULTATION_TABLES("REAL", ""),
        "CREATE TRIGGER documents_immutable BEFORE UPDATE ON documents"
        " BEGIN SELECT RAISE(ABORT, 'a document is immutable'); END",
        "CREATE TRIGGER intakes_immutable BEFORE UPDATE ON intakes"
        " BEGIN SELECT RAISE(ABORT, 'an intake is immutable'); END"},
       {STIPPLE_CONSULTATION_TABLES("DOUBLE PRECISION", "COLLATE \"C\""),
        "CREATE FUNCTION stipple_immutable() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN RAISE EXCEPTION '% is immutable', TG_TABLE_NAME; END $$",
        "CREATE TRIGGER documents_immutable BEFORE UPDATE ON documents"
        " FOR EACH ROW EXECUTE FUNCTION stipple_immutable()",
        "CREATE TRIGGER intakes_immutable BEFORE UPDATE ON intakes"
        " FOR EACH ROW EXECUTE FUNCTION stipple_immutable()"}},
      {5, "photos", {kPhotosSqlite, kPhotosIndex}, {kPhotosPg, kPhotosIndex}},
      {6, "the clinic's settings, a version per save (immutable); the version and design choices of a consultation",
       {kSettings, kConsultationSettings, kConsultationDesign,
        "CREATE TRIGGER clinic_settings_no_update BEFORE UPDATE ON clinic_settings"
        " BEGIN SELECT RAISE(ABORT, 'clinic_settings is immutable'); END",
        "CREATE TRIGGER clinic_settings_no_delete BEFORE DELETE ON clinic_settings"
        " BEGIN SELECT RAISE(ABORT, 'clinic_settings is immutable'); END"},
       {kSettings, kConsultationSettings, kConsultationDesign,
        "CREATE TRIGGER clinic_settings_immutable BEFORE UPDATE OR DELETE ON clinic_settings"
        " FOR EACH ROW EXECUTE FUNCTION stipple_immutable()"}},
      {7, "the diary: chairs and appointments, no two booked ones of a practitioner or a chair overlapping",
       {kChairsSqlite, kAppointmentsSqlite, kAppointmentsStart, kAppointmentsPractitioner, kAppointmentsClient,
        kPractitionerFreeInsert, kPractitionerFreeUpdate, kChairFreeInsert, kChairFreeUpdate},
       {"CREATE EXTENSION IF NOT EXISTS btree_gist", kChairsPg, kAppointmentsPg, kAppointmentsStart, kAppointmentsPractitioner,
        kAppointmentsClient}},
      {8, "patch tests, read once; the gates a booking overrode and why",
       {kPatchTestsSqlite, kPatchTestsClient, kAppointmentOverride, kAppointmentOverridden,
        "CREATE TRIGGER patch_tests_read_once BEFORE UPDATE ON patch_tests WHEN OLD.result <> 'pending'"
        " BEGIN SELECT RAISE(ABORT, 'a patch test is read once'); END",
        "CREATE TRIGGER patch_tests_no_delete BEFORE DELETE ON patch_tests BEGIN SELECT RAISE(ABORT, 'a patch test is kept'); END"},
       {kPatchTestsPg, kPatchTestsClient, kAppointmentOverride, kAppointmentOverridden,
        "CREATE FUNCTION patch_tests_read_once() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'a patch test is kept'; END IF;"
        " IF OLD.result <> 'pending' THEN RAISE EXCEPTION 'a patch test is read once'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER patch_tests_read_once BEFORE UPDATE OR DELETE ON patch_tests"
        " FOR EACH ROW EXECUTE FUNCTION patch_tests_read_once()"}},
      {9, "the credentials to treat, revoked but never changed; no two booked appointments of a client overlapping",
       {kCredentialsSqlite, kCredentialsUser, kClientFreeInsert, kClientFreeUpdate,
        "CREATE TRIGGER credentials_kept BEFORE UPDATE ON credentials WHEN OLD.revoked_at IS NOT NULL"
        " OR NEW.id <> OLD.id OR NEW.user_id IS NOT OLD.user_id OR NEW.kind <> OLD.kind OR NEW.reference <> OLD.reference"
        " OR NEW.issuer <> OLD.issuer OR NEW.valid_from <> OLD.valid_from OR NEW.expires_on <> OLD.expires_on"
        " BEGIN SELECT RAISE(ABORT, 'a credential is revoked, never changed'); END",
        "CREATE TRIGGER credentials_no_delete BEFORE DELETE ON credentials BEGIN SELECT RAISE(ABORT, 'a credential is kept'); END"},
       {kCredentialsPg, kCredentialsUser, kClientFreePg,
        "CREATE FUNCTION credentials_kept() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'a credential is kept'; END IF;"
        " IF OLD.revoked_at IS NOT NULL OR NEW.id <> OLD.id OR NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.kind <> OLD.kind"
        " OR NEW.reference <> OLD.reference OR NEW.issuer <> OLD.issuer OR NEW.valid_from <> OLD.valid_from"
        " OR NEW.expires_on <> OLD.expires_on THEN RAISE EXCEPTION 'a credential is revoked, never changed'; END IF;"
        " RETURN NEW; END $$",
        "CREATE TRIGGER credentials_kept BEFORE UPDATE OR DELETE ON credentials"
        " FOR EACH ROW EXECUTE FUNCTION credentials_kept()"}},
      {10, "consent templates, a version per save (immutable), and signed consents, withdrawn but never changed",
       {STIPPLE_CONSENT_TABLES(""),
        "CREATE TRIGGER consent_templates_no_update BEFORE UPDATE ON consent_templates"
        " BEGIN SELECT RAISE(ABORT, 'consent_templates is immutable'); END",
        "CREATE TRIGGER consent_templates_no_delete BEFORE DELETE ON consent_templates"
        " BEGIN SELECT RAISE(ABORT, 'consent_templates is immutable'); END",
        "CREATE TRIGGER consents_kept BEFORE UPDATE ON consents WHEN OLD.withdrawn_at IS NOT NULL"
        " OR NEW.id <> OLD.id OR NEW.client_id <> OLD.client_id OR NEW.template_id <> OLD.template_id OR NEW.kind <> OLD.kind"
        " OR NEW.version <> OLD.version OR NEW.title <> OLD.title OR NEW.text <> OLD.text OR NEW.text_sha256 <> OLD.text_sha256"
        " OR NEW.signer_name <> OLD.signer_name OR NEW.signature_path <> OLD.signature_path"
        " OR NEW.signature_size <> OLD.signature_size OR NEW.signature_sha256 <> OLD.signature_sha256 OR NEW.ip <> OLD.ip"
        " OR NEW.user_agent <> OLD.user_agent OR NEW.witnessed_by <> OLD.witnessed_by OR NEW.signed_at <> OLD.signed_at"
        " BEGIN SELECT RAISE(ABORT, 'a consent is withdrawn, never changed'); END",
        "CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents BEGIN SELECT RAISE(ABORT, 'a consent is kept'); END"},
       {STIPPLE_CONSENT_TABLES("COLLATE \"C\""),
        "CREATE TRIGGER consent_templates_immutable BEFORE UPDATE OR DELETE ON consent_templates"
        " FOR EACH ROW EXECUTE FUNCTION stipple_immutable()",
        "CREATE FUNCTION consents_kept() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'a consent is kept'; END IF;"
        " IF OLD.withdrawn_at IS NOT NULL OR (NEW.id, NEW.client_id, NEW.template_id, NEW.kind, NEW.version, NEW.title, NEW.text,"
        " NEW.text_sha256, NEW.signer_name, NEW.signature_path, NEW.signature_size, NEW.signature_sha256, NEW.ip, NEW.user_agent,"
        " NEW.witnessed_by, NEW.signed_at) IS DISTINCT FROM (OLD.id, OLD.client_id, OLD.template_id, OLD.kind, OLD.version, OLD.title,"
        " OLD.text, OLD.text_sha256, OLD.signer_name, OLD.signature_path, OLD.signature_size, OLD.signature_sha256, OLD.ip,"
        " OLD.user_agent, OLD.witnessed_by, OLD.signed_at)"
        " THEN RAISE EXCEPTION 'a consent is withdrawn, never changed'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER consents_kept BEFORE UPDATE OR DELETE ON consents FOR EACH ROW EXECUTE FUNCTION consents_kept()"}},
      {11, "lots and session charts, locked once signed, with their amendments",
       {STIPPLE_CHART_TABLES(""),
        "CREATE TRIGGER session_charts_locked BEFORE UPDATE ON session_charts WHEN OLD.status = 'signed'"
        " BEGIN SELECT RAISE(ABORT, 'a signed chart is locked'); END",
        "CREATE TRIGGER session_charts_kept BEFORE DELETE ON session_charts BEGIN SELECT RAISE(ABORT, 'a chart is kept'); END",
        "CREATE TRIGGER chart_lots_locked_insert BEFORE INSERT ON chart_lots"
        " WHEN (SELECT status FROM session_charts WHERE id = NEW.chart_id) = 'signed'"
        " BEGIN SELECT RAISE(ABORT, 'a signed chart is locked'); END",
        "CREATE TRIGGER chart_lots_locked_update BEFORE UPDATE ON chart_lots BEGIN SELECT RAISE(ABORT, 'a chart lot is replaced, not changed'); END",
        "CREATE TRIGGER chart_lots_locked_delete BEFORE DELETE ON chart_lots"
        " WHEN (SELECT status FROM session_charts WHERE id = OLD.chart_id) = 'signed'"
        " BEGIN SELECT RAISE(ABORT, 'a signed chart is locked'); END",
        "CREATE TRIGGER chart_amendments_no_update BEFORE UPDATE ON chart_amendments"
        " BEGIN SELECT RAISE(ABORT, 'chart_amendments is immutable'); END",
        "CREATE TRIGGER chart_amendments_no_delete BEFORE DELETE ON chart_amendments"
        " BEGIN SELECT RAISE(ABORT, 'chart_amendments is immutable'); END"},
       {STIPPLE_CHART_TABLES("COLLATE \"C\""),
        "CREATE FUNCTION session_charts_locked() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'a chart is kept'; END IF;"
        " IF OLD.status = 'signed' THEN RAISE EXCEPTION 'a signed chart is locked'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER session_charts_locked BEFORE UPDATE OR DELETE ON session_charts"
        " FOR EACH ROW EXECUTE FUNCTION session_charts_locked()",
        "CREATE FUNCTION chart_lots_locked() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'a chart lot is replaced, not changed'; END IF;"
        " IF (SELECT status FROM session_charts WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.chart_id ELSE NEW.chart_id END) = 'signed'"
        " THEN RAISE EXCEPTION 'a signed chart is locked'; END IF;"
        " IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER chart_lots_locked BEFORE INSERT OR UPDATE OR DELETE ON chart_lots"
        " FOR EACH ROW EXECUTE FUNCTION chart_lots_locked()",
        "CREATE TRIGGER chart_amendments_immutable BEFORE UPDATE OR DELETE ON chart_amendments"
        " FOR EACH ROW EXECUTE FUNCTION stipple_immutable()"}},
  };
  return list;
}
#undef STIPPLE_CONSULTATION_TABLES
#undef STIPPLE_CONSENT_TABLES
#undef STIPPLE_CHART_TABLES

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

std::set<int> applied_versions(soci::session& sql) {
  std::set<int> out;
  int v = 0;
  soci::statement st = (sql.prepare << "SELECT version FROM schema_migrations", soci::into(v));
  st.execute();
  while (st.fetch()) out.insert(v);
  return out;
}

}  // namespace

std::span<const Migration> migrations() { return all(); }

StoreResult<std::vector<int>> migrate(Database& db) {
  return guarded("migrate", [&]() -> StoreResult<std::vector<int>> {
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    if (db.backend() == Backend::postgresql) sql << kPgMigrationLock;
    sql << kCreateTable;
    const std::set<int> done = applied_versions(sql);
    const int newest = all().back().version;
    if (!done.empty() && *done.rbegin() > newest)
      return store_error(StoreError::Code::internal,
                         "the database's schema is at version " + std::to_string(*done.rbegin()) +
                             ", newer than this program's " + std::to_string(newest));
    std::vector<int> applied;
    for (const Migration& m : all()) {
      if (done.contains(m.version)) continue;
      for (std::string_view s : db.backend() == Backend::sqlite ? m.sqlite_statements : m.postgresql_statements)
        sql << s;
      const int version = m.version;
      const std::string name(m.name);
      const TimeMs at = now_ms();
      sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)", soci::use(version),
          soci::use(name), soci::use(at);
      applied.push_back(m.version);
    }
    tx.commit();
    return applied;
  });
}

StoreResult<int> schema_version(Database& db) {
  return guarded("schema version", [&]() -> StoreResult<int> {
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    long long tables = 0;
    if (db.backend() == Backend::sqlite)
      sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", soci::into(tables);
    else
      sql << "SELECT COUNT(*) FROM information_schema.tables"
             " WHERE table_schema = current_schema() AND table_name = 'schema_migrations'",
          soci::into(tables);
    if (tables == 0) return 0;
    const std::set<int> done = applied_versions(sql);
    return done.empty() ? 0 : *done.rbegin();
  });
}

}  // namespace stipple::store
