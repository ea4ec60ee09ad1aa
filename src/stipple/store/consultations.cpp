#include "stipple/store/consultations.h"

#include <algorithm>

#include <soci/soci.h>

#include "stipple/store/crypto.h"

namespace stipple::store {

namespace {

constexpr std::string_view kColumns =
    "id, client_id, intake_id, start_date, override_reason, status, progress, step, error, assessment, planned,"
    " overridden, attempts, created_by, created_at, updated_at, settings_version, design_choices";
constexpr std::string_view kDocumentColumns =
    "id, consultation_id, name, content_type, size, sha256, path, created_by, created_at";

// A consultation row as SOCI reads it (flags as integers).
struct Row {
  Consultation c;
  int planned = 0, overridden = 0;
  Consultation get() const {
    Consultation out = c;
    out.planned = planned != 0;
    out.overridden = overridden != 0;
    return out;
  }
};

// A statement selecting kColumns into `r`; the caller adds uses, prepares and fetches.
soci::statement select_rows(soci::session& sql, Row& r) {
  soci::statement st(sql);
  st.alloc();
  st.exchange(soci::into(r.c.id));
  st.exchange(soci::into(r.c.client_id));
  st.exchange(soci::into(r.c.intake_id));
  st.exchange(soci::into(r.c.start_date));
  st.exchange(soci::into(r.c.override_reason));
  st.exchange(soci::into(r.c.status));
  st.exchange(soci::into(r.c.progress));
  st.exchange(soci::into(r.c.step));
  st.exchange(soci::into(r.c.error));
  st.exchange(soci::into(r.c.assessment));
  st.exchange(soci::into(r.planned));
  st.exchange(soci::into(r.overridden));
  st.exchange(soci::into(r.c.attempts));
  st.exchange(soci::into(r.c.created_by));
  st.exchange(soci::into(r.c.created_at));
  st.exchange(soci::into(r.c.updated_at));
  st.exchange(soci::into(r.c.settings_version));
  st.exchange(soci::into(r.c.design_choices));
  return st;
}

soci::statement select_documents(soci::session& sql, Document& d) {
  soci::statement st(sql);
  st.alloc();
  st.exchange(soci::into(d.id));
  st.exchange(soci::into(d.consultation_id));
  st.exchange(soci::into(d.name));
  st.exchange(soci::into(d.content_type));
  st.exchange(soci::into(d.size));
  st.exchange(soci::into(d.sha256));
  st.exchange(soci::into(d.path));
  st.exchange(soci::into(d.created_by));
  st.exchange(soci::into(d.created_at));
  return st;
}

std::optional<Consultation> read_one(soci::session& sql, const std::string& id) {
  Row r;
  soci::statement st = select_rows(sql, r);
  st.exchange(soci::use(id));
  st.prepare("SELECT " + std::string(kColumns) + " FROM consultations WHERE id = :id");
  st.define_and_bind();
  st.execute();
  if (!st.fetch()) return std::nullopt;
  return r.get();
}

// The advisory lock's key of a consultation (PostgreSQL's bigint): FNV-1a of its id.
long long job_lock_key(std::string_view id) {
  unsigned long long h = 14695981039346656037ull;
  for (unsigned char ch : id) h = (h ^ ch) * 1099511628211ull;
  return static_cast<long long>(h);
}

// Executes an UPDATE of one consultation; not_found when no row matched (no
// such consultation, or not in the state its WHERE clause names).
StoreResult<void> one_row(soci::statement& st) {
  st.execute(true);
  if (st.get_affected_rows() != 1) return store_error(StoreError::Code::not_found, "no such consultation in that state");
  return {};
}

}  // namespace

StoreResult<Consultation> create_consultation(Database& db, const NewConsultation& in, TimeMs now) {
  init_crypto();
  return guarded("create consultation", [&]() -> StoreResult<Consultation> {
    Consultation c;
    c.id = random_id();
    c.client_id = in.client_id;
    c.intake_id = in.intake_id;
    c.start_date = in.start_date;
    c.override_reason = in.override_reason;
    c.design_choices = in.design_choices;
    c.status = "queued";
    c.created_by = in.created_by;
    c.created_at = c.updated_at = now;
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    std::string owner;
    sql << "SELECT client_id FROM intakes WHERE id = :id", soci::use(c.intake_id), soci::into(owner);
    if (!sql.got_data() || owner != c.client_id)
      return store_error(StoreError::Code::not_found, "no such intake of this client");
    // Planned with the clinic's settings as they are now, whatever is saved while it waits.
    soci::indicator ind = soci::i_null;
    sql << "SELECT MAX(version) FROM clinic_settings", soci::into(c.settings_version, ind);
    if (ind != soci::i_ok) c.settings_version = 0;
    sql << "INSERT INTO consultations (id, client_id, intake_id, start_date, override_reason, status, progress, created_by,"
           " created_at, updated_at, settings_version, design_choices) VALUES (:id, :client, :intake, :start, :reason, 'queued', 0,"
           " :by, :c, :u, :sv, :dc)",
        soci::use(c.id), soci::use(c.client_id), soci::use(c.intake_id), soci::use(c.start_date),
        soci::use(c.override_reason), soci::use(c.created_by), soci::use(c.created_at), soci::use(c.updated_at),
        soci::use(c.settings_version), soci::use(c.design_choices);
    tx.commit();
    return c;
  });
}

StoreResult<Consultation> find_consultation(Database& db, std::string_view id) {
  return guarded("find consultation", [&]() -> StoreResult<Consultation> {
    Database::Lease lease(db);
    auto c = read_one(lease.sql(), std::string(id));
    if (!c) return store_error(StoreError::Code::not_found, "no such consultation");
    return *c;
  });
}

StoreResult<std::vector<Consultation>> consultations_of_client(Database& db, std::string_view client_view, int limit) {
  return guarded("list consultations", [&]() -> StoreResult<std::vector<Consultation>> {
    limit = std::clamp(limit, 1, 100);
    const std::string client_id(client_view);
    Database::Lease lease(db);
    Row r;
    soci::statement st = select_rows(lease.sql(), r);
    st.exchange(soci::use(client_id));
    st.exchange(soci::use(limit));
    st.prepare("SELECT " + std::string(kColumns) +
               " FROM consultations WHERE client_id = :c ORDER BY created_at DESC, id DESC LIMIT :l");
    st.define_and_bind();
    st.execute();
    std::vector<Consultation> out;
    while (st.fetch()) out.push_back(r.get());
    return out;
  });
}

StoreResult<bool> claim_consultation(Database& db, std::string_view id_view, TimeMs now) {
  return guarded("claim consultation", [&]() -> StoreResult<bool> {
    const std::string id(id_view);
    Database::Lease lease(db);
    // The status in the WHERE clause: of two workers (or servers) only one claims it.
    soci::statement st = (lease.sql().prepare << "UPDATE consultations SET status = 'running', progress = 0, step = '',"
                                                 " attempts = attempts + 1, updated_at = :u WHERE id = :id AND status = 'queued'",
                          soci::use(now), soci::use(id));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

StoreResult<void> set_consultation_progress(Database& db, std::string_view id, double progress, std::string_view step,
                                            TimeMs now) {
  const std::string i(id), s(step);
  const double p = std::clamp(progress, 0.0, 1.0);
  return guarded("set consultation progress", [&]() -> StoreResult<void> {
    Database::Lease lease(db);
    soci::statement st = (lease.sql().prepare << "UPDATE consultations SET progress = :p, step = :s, updated_at = :u WHERE id = :id AND status = 'running'",
                          soci::use(p), soci::use(s), soci::use(now), soci::use(i));
    return one_row(st);
  });
}

StoreResult<void> set_consultation_assessment(Database& db, std::string_view id, std::string_view assessment, bool planned,
                                              bool overridden, TimeMs now) {
  const std::string i(id), a(assessment);
  const int pl = planned ? 1 : 0, ov = overridden ? 1 : 0;
  return guarded("set consultation assessment", [&]() -> StoreResult<void> {
    Database::Lease lease(db);
    soci::statement st = (lease.sql().prepare << "UPDATE consultations SET assessment = :a, planned = :p, overridden = :o, updated_at = :u"
                    " WHERE id = :id AND status = 'running'",
                          soci::use(a), soci::use(pl), soci::use(ov), soci::use(now), soci::use(i));
    return one_row(st);
  });
}

StoreResult<std::vector<Document>> finish_consultation(Database& db, std::string_view id_view, std::vector<Document> docs,
                                                       TimeMs now) {
  init_crypto();
  return guarded("finish consultation", [&]() -> StoreResult<std::vector<Document>> {
    const std::string id(id_view);
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    soci::statement st = (sql.prepare << "UPDATE consultations SET status = 'done', progress = 1, updated_at = :u"
                                         " WHERE id = :id AND status = 'running'",
                          soci::use(now), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() != 1) return store_error(StoreError::Code::not_found, "no such running consultation");
    for (Document& d : docs) {
      d.id = random_id();
      d.consultation_id = id;
      d.created_at = now;
      sql << "INSERT INTO documents (" + std::string(kDocumentColumns) +
                 ") VALUES (:id, :c, :name, :type, :size, :sha, :path, :by, :at)",
          soci::use(d.id), soci::use(d.consultation_id), soci::use(d.name), soci::use(d.content_type), soci::use(d.size),
          soci::use(d.sha256), soci::use(d.path), soci::use(d.created_by), soci::use(d.created_at);
    }
    tx.commit();
    return docs;
  });
}

StoreResult<void> fail_consultation(Database& db, std::string_view id, std::string_view error, TimeMs now) {
  const std::string i(id), e(error);
  return guarded("fail consultation", [&]() -> StoreResult<void> {
    Database::Lease lease(db);
    soci::statement st = (lease.sql().prepare << "UPDATE consultations SET status = 'failed', error = :e, updated_at = :u"
                    " WHERE id = :id AND status IN ('queued', 'running')",
                          soci::use(e), soci::use(now), soci::use(i));
    return one_row(st);
  });
}

StoreResult<void> requeue_consultation(Database& db, std::string_view id, TimeMs now) {
  const std::string i(id);
  return guarded("requeue consultation", [&]() -> StoreResult<void> {
    Database::Lease lease(db);
    soci::statement st = (lease.sql().prepare << "UPDATE consultations SET status = 'queued', progress = 0, step = '', assessment = '', planned = 0,"
                    " overridden = 0, updated_at = :u WHERE id = :id AND status = 'running'",
                          soci::use(now), soci::use(i));
    return one_row(st);
  });
}

JobHold::JobHold(JobHold&& other) noexcept : lease_(std::move(other.lease_)), key_(other.key_) {}

JobHold::~JobHold() {
  if (!lease_) return;
  try {
    int released = 0;
    lease_->sql() << "SELECT CASE WHEN pg_advisory_unlock(:k) THEN 1 ELSE 0 END", soci::use(key_), soci::into(released);
  } catch (...) {
    // The connection is gone, and its lock with it.
  }
}

StoreResult<std::optional<JobHold>> hold_consultation(Database& db, std::string_view id) {
  if (db.backend() != Backend::postgresql) return std::optional<JobHold>(JobHold(nullptr, 0));
  return guarded("hold consultation", [&]() -> StoreResult<std::optional<JobHold>> {
    const long long key = job_lock_key(id);
    auto lease = std::make_unique<Database::Lease>(db);
    int got = 0;
    lease->sql() << "SELECT CASE WHEN pg_try_advisory_lock(:k) THEN 1 ELSE 0 END", soci::use(key), soci::into(got);
    if (got == 0) return std::optional<JobHold>{};
    return std::optional<JobHold>(JobHold(std::move(lease), key));
  });
}

StoreResult<Recovery> recover_consultations(Database& db, int max_attempts, TimeMs now, bool at_start) {
  return guarded("recover consultations", [&]() -> StoreResult<Recovery> {
    Recovery out;
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    const std::string error = "the server stopped while this consultation ran, " + std::to_string(max_attempts) +
                              " times; it is not tried again (start a new consultation)";
    // The running consultations no live worker holds: every one at start on SQLite; on
    // PostgreSQL those whose advisory lock this transaction can take (released at its end).
    std::vector<std::string> orphans;
    if (db.backend() == Backend::postgresql || at_start) {
      std::string id;
      soci::statement running = (sql.prepare << "SELECT id FROM consultations WHERE status = 'running' ORDER BY id", soci::into(id));
      running.execute();
      while (running.fetch()) orphans.push_back(id);
    }
    if (db.backend() == Backend::postgresql)
      std::erase_if(orphans, [&](const std::string& id) {
        const long long key = job_lock_key(id);
        int got = 0;
        sql << "SELECT CASE WHEN pg_try_advisory_xact_lock(:k) THEN 1 ELSE 0 END", soci::use(key), soci::into(got);
        return got == 0;
      });
    for (const std::string& id : orphans) {
      soci::statement failed = (sql.prepare << "UPDATE consultations SET status = 'failed', error = :e, updated_at = :u"
                                               " WHERE id = :id AND status = 'running' AND attempts >= :m",
                                soci::use(error), soci::use(now), soci::use(id), soci::use(max_attempts));
      failed.execute(true);
      out.failed += static_cast<int>(failed.get_affected_rows());
      soci::statement requeued = (sql.prepare << "UPDATE consultations SET status = 'queued', progress = 0, step = '',"
                                                 " assessment = '', planned = 0, overridden = 0, updated_at = :u"
                                                 " WHERE id = :id AND status = 'running'",
                                  soci::use(now), soci::use(id));
      requeued.execute(true);
      out.requeued += static_cast<int>(requeued.get_affected_rows());
    }
    std::string id;
    soci::statement queued = (sql.prepare << "SELECT id FROM consultations WHERE status = 'queued' ORDER BY created_at, id",
                              soci::into(id));
    queued.execute();
    while (queued.fetch()) out.queued.push_back(id);
    tx.commit();
    return out;
  });
}

StoreResult<std::vector<Document>> documents_of(Database& db, std::string_view consultation_view) {
  return guarded("list documents", [&]() -> StoreResult<std::vector<Document>> {
    const std::string cid(consultation_view);
    Database::Lease lease(db);
    Document d;
    soci::statement st = select_documents(lease.sql(), d);
    st.exchange(soci::use(cid));
    st.prepare("SELECT " + std::string(kDocumentColumns) + " FROM documents WHERE consultation_id = :c ORDER BY name");
    st.define_and_bind();
    st.execute();
    std::vector<Document> out;
    while (st.fetch()) out.push_back(d);
    return out;
  });
}

StoreResult<Document> find_document(Database& db, std::string_view consultation_view, std::string_view name_view) {
  return guarded("find document", [&]() -> StoreResult<Document> {
    const std::string cid(consultation_view), name(name_view);
    Database::Lease lease(db);
    Document d;
    soci::statement st = select_documents(lease.sql(), d);
    st.exchange(soci::use(cid));
    st.exchange(soci::use(name));
    st.prepare("SELECT " + std::string(kDocumentColumns) + " FROM documents WHERE consultation_id = :c AND name = :n");
    st.define_and_bind();
    st.execute();
    if (!st.fetch()) return store_error(StoreError::Code::not_found, "no such document");
    return d;
  });
}

}  // namespace stipple::store
