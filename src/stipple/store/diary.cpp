#include "stipple/store/diary.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <soci/soci.h>

#include "stipple/store/crypto.h"
#include "stipple/store/text.h"

namespace stipple::store {

namespace {

constexpr std::string_view kColumns =
    "id, client_id, practitioner_id, chair_id, kind, session_number, start_ms, end_ms, status, notes, overridden_gates,"
    " override_reason, created_by, created_at, updated_at, version";

// The database names the rule an overlap broke (the PostgreSQL constraint or
// the SQLite trigger's message): say which in our words.
template <class T>
StoreResult<T> named_overlap(StoreResult<T> r) {
  if (r || r.error().code != StoreError::Code::conflict) return r;
  const std::string& m = r.error().message;
  if (m.find("appointments_chair_free") != std::string::npos) return store_error(StoreError::Code::conflict, std::string(kChairBusy));
  if (m.find("appointments_practitioner_free") != std::string::npos)
    return store_error(StoreError::Code::conflict, std::string(kPractitionerBusy));
  if (m.find("appointments_client_free") != std::string::npos) return store_error(StoreError::Code::conflict, std::string(kClientBusy));
  return r;
}

// chair_id is NULL in the table for none (a foreign key, and outside the chair's rule).
struct Row {
  Appointment a;
  soci::indicator chair = soci::i_ok;
};

std::optional<Appointment> read_appointment(soci::session& sql, const std::string& id) {
  Row r;
  sql << "SELECT " + std::string(kColumns) + " FROM appointments WHERE id = :id", soci::into(r.a.id), soci::into(r.a.client_id),
      soci::into(r.a.practitioner_id), soci::into(r.a.chair_id, r.chair), soci::into(r.a.kind), soci::into(r.a.session_number),
      soci::into(r.a.start), soci::into(r.a.end), soci::into(r.a.status), soci::into(r.a.notes), soci::into(r.a.overridden_gates),
      soci::into(r.a.override_reason), soci::into(r.a.created_by),
      soci::into(r.a.created_at), soci::into(r.a.updated_at), soci::into(r.a.version), soci::use(id);
  if (!sql.got_data()) return std::nullopt;
  if (r.chair != soci::i_ok) r.a.chair_id.clear();
  return r.a;
}

// Runs a write transaction again while it fails transiently (a deadlock
// between racing inserts: exclusion constraints on PostgreSQL), up to five
// times, a few milliseconds apart.
template <class F>
auto retried(F&& attempt) -> decltype(attempt()) {
  for (int i = 0;; ++i) {
    auto r = attempt();
    if (r || !r.error().transient || i == 4) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + 3 * i));
  }
}

// PostgreSQL: racers for one practitioner's, chair's or client's time queue on
// transaction-scoped advisory locks, taken in one order (so they cannot
// deadlock), before the insert or update that the exclusion constraints then
// judge; without them concurrent checks of one constraint deadlock each other.
void queue_for(soci::session& sql, Backend backend, const std::string& practitioner_id, const std::string& chair_id,
               const std::string& client_id) {
  if (backend != Backend::postgresql) return;  // SQLite's one write lock already queues every writer
  std::vector<std::string> keys{"stipple practitioner " + practitioner_id, "stipple client " + client_id};
  if (!chair_id.empty()) keys.push_back("stipple chair " + chair_id);
  std::sort(keys.begin(), keys.end());
  for (const std::string& k : keys) sql << "SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))", soci::use(k);
}

// The booked appointments `a` would overlap, named in a fixed order (the
// practitioner, the chair, the client) so the refusal says the same on both
// backends whichever rule the database would meet first; run under the
// queue's locks (or SQLite's write lock), so the answer holds until the write,
// and the constraints stay the guarantee.
std::optional<std::string_view> first_overlap(soci::session& sql, const Appointment& a) {
  const std::string chair = a.chair_id;
  int practitioner_hit = 0, chair_hit = 0, client_hit = 0;
  sql << "SELECT COALESCE(MAX(CASE WHEN practitioner_id = :p THEN 1 ELSE 0 END), 0),"
         " COALESCE(MAX(CASE WHEN chair_id = :c THEN 1 ELSE 0 END), 0),"
         " COALESCE(MAX(CASE WHEN client_id = :cl THEN 1 ELSE 0 END), 0)"
         " FROM appointments WHERE status = 'booked' AND id <> :id AND start_ms < :e AND end_ms > :s"
         " AND (practitioner_id = :p2 OR chair_id = :c2 OR client_id = :cl2)",
      soci::into(practitioner_hit), soci::into(chair_hit), soci::into(client_hit), soci::use(a.practitioner_id), soci::use(chair),
      soci::use(a.client_id), soci::use(a.id), soci::use(a.end), soci::use(a.start), soci::use(a.practitioner_id), soci::use(chair),
      soci::use(a.client_id);
  if (practitioner_hit) return kPractitionerBusy;
  if (chair_hit && !a.chair_id.empty()) return kChairBusy;
  if (client_hit) return kClientBusy;
  return std::nullopt;
}

}  // namespace

StoreResult<Chair> create_chair(Database& db, std::string_view name, TimeMs now) {
  init_crypto();
  return guarded("create chair", [&]() -> StoreResult<Chair> {
    Chair c{random_id(), std::string(name), now};
    const std::string key = fold_case(c.name);
    Database::Lease lease(db);
    lease.sql() << "INSERT INTO chairs (id, name, name_key, created_at) VALUES (:id, :name, :key, :at)", soci::use(c.id),
        soci::use(c.name), soci::use(key), soci::use(c.created_at);
    return c;
  });
}

StoreResult<std::vector<Chair>> list_chairs(Database& db) {
  return guarded("list chairs", [&]() -> StoreResult<std::vector<Chair>> {
    Database::Lease lease(db);
    Chair c;
    soci::statement st = (lease.sql().prepare << "SELECT id, name, created_at FROM chairs ORDER BY name_key, id", soci::into(c.id),
                          soci::into(c.name), soci::into(c.created_at));
    st.execute();
    std::vector<Chair> out;
    while (st.fetch()) out.push_back(c);
    return out;
  });
}

StoreResult<Chair> find_chair(Database& db, std::string_view id_view) {
  return guarded("find chair", [&]() -> StoreResult<Chair> {
    const std::string id(id_view);
    Database::Lease lease(db);
    Chair c;
    lease.sql() << "SELECT id, name, created_at FROM chairs WHERE id = :id", soci::into(c.id), soci::into(c.name),
        soci::into(c.created_at), soci::use(id);
    if (!lease.sql().got_data()) return store_error(StoreError::Code::not_found, "no such chair");
    return c;
  });
}

StoreResult<Appointment> book_appointment(Database& db, const Appointment& in, TimeMs now) {
  init_crypto();
  return named_overlap(retried([&] { return guarded("book appointment", [&]() -> StoreResult<Appointment> {
    Appointment a = in;
    a.id = random_id();
    a.status = "booked";
    a.created_at = a.updated_at = now;
    a.version = 1;
    soci::indicator chair = a.chair_id.empty() ? soci::i_null : soci::i_ok;
    Database::Lease lease(db);
    Database::WriteTransaction tx(lease, db.backend());
    queue_for(lease.sql(), db.backend(), a.practitioner_id, a.chair_id, a.client_id);
    if (auto busy = first_overlap(lease.sql(), a)) return store_error(StoreError::Code::conflict, std::string(*busy));
    lease.sql() << "INSERT INTO appointments (id, client_id, practitioner_id, chair_id, kind, session_number, start_ms, end_ms,"
                   " status, notes, overridden_gates, override_reason, created_by, created_at, updated_at, version)"
                   " VALUES (:id, :client, :practitioner, :chair, :kind, :n, :s, :e, :status, :notes, :gates, :why, :by, :c, :u, :v)",
        soci::use(a.id), soci::use(a.client_id), soci::use(a.practitioner_id), soci::use(a.chair_id, chair), soci::use(a.kind),
        soci::use(a.session_number), soci::use(a.start), soci::use(a.end), soci::use(a.status), soci::use(a.notes),
        soci::use(a.overridden_gates), soci::use(a.override_reason), soci::use(a.created_by), soci::use(a.created_at),
        soci::use(a.updated_at), soci::use(a.version);
    tx.commit();
    return a;
  }); }));
}

StoreResult<Appointment> find_appointment(Database& db, std::string_view id) {
  return guarded("find appointment", [&]() -> StoreResult<Appointment> {
    Database::Lease lease(db);
    auto a = read_appointment(lease.sql(), std::string(id));
    if (!a) return store_error(StoreError::Code::not_found, "no such appointment");
    return *a;
  });
}

StoreResult<std::vector<Appointment>> appointments_between(Database& db, TimeMs from, TimeMs to,
                                                           std::string_view practitioner_view, std::string_view client_view,
                                                           int limit) {
  return guarded("list appointments", [&]() -> StoreResult<std::vector<Appointment>> {
    limit = std::clamp(limit, 1, 2000);
    const std::string practitioner(practitioner_view), client(client_view);
    // The text depends only on which filters are given; every value is bound.
    std::string text = "SELECT " + std::string(kColumns) + " FROM appointments WHERE start_ms < :to AND end_ms > :from";
    if (!practitioner.empty()) text += " AND practitioner_id = :p";
    if (!client.empty()) text += " AND client_id = :c";
    text += " ORDER BY start_ms, id LIMIT :limit";
    Database::Lease lease(db);
    Row r;
    soci::statement st(lease.sql());
    st.alloc();
    st.exchange(soci::into(r.a.id));
    st.exchange(soci::into(r.a.client_id));
    st.exchange(soci::into(r.a.practitioner_id));
    st.exchange(soci::into(r.a.chair_id, r.chair));
    st.exchange(soci::into(r.a.kind));
    st.exchange(soci::into(r.a.session_number));
    st.exchange(soci::into(r.a.start));
    st.exchange(soci::into(r.a.end));
    st.exchange(soci::into(r.a.status));
    st.exchange(soci::into(r.a.notes));
    st.exchange(soci::into(r.a.overridden_gates));
    st.exchange(soci::into(r.a.override_reason));
    st.exchange(soci::into(r.a.created_by));
    st.exchange(soci::into(r.a.created_at));
    st.exchange(soci::into(r.a.updated_at));
    st.exchange(soci::into(r.a.version));
    st.exchange(soci::use(to));
    st.exchange(soci::use(from));
    if (!practitioner.empty()) st.exchange(soci::use(practitioner));
    if (!client.empty()) st.exchange(soci::use(client));
    st.exchange(soci::use(limit));
    st.prepare(text);
    st.define_and_bind();
    st.execute();
    std::vector<Appointment> out;
    while (st.fetch()) {
      Appointment a = r.a;
      if (r.chair != soci::i_ok) a.chair_id.clear();
      out.push_back(std::move(a));
    }
    return out;
  });
}

StoreResult<Appointment> change_appointment(Database& db, std::string_view id_view, int expected_version,
                                            const AppointmentChanges& changes, TimeMs now) {
  return named_overlap(retried([&] { return guarded("change appointment", [&]() -> StoreResult<Appointment> {
    const std::string id(id_view);
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    auto current = read_appointment(sql, id);
    if (!current) return store_error(StoreError::Code::not_found, "no such appointment");
    if (current->version != expected_version)
      return store_error(StoreError::Code::stale, "the appointment is at version " + std::to_string(current->version));
    Appointment a = *current;
    if (changes.start) a.start = *changes.start;
    if (changes.end) a.end = *changes.end;
    if (changes.practitioner_id) a.practitioner_id = *changes.practitioner_id;
    if (changes.chair_id) a.chair_id = *changes.chair_id;
    if (changes.status) a.status = *changes.status;
    if (changes.notes) a.notes = *changes.notes;
    if (changes.overridden_gates) a.overridden_gates = *changes.overridden_gates;
    if (changes.override_reason) a.override_reason = *changes.override_reason;
    a.updated_at = now;
    a.version = current->version + 1;
    queue_for(sql, db.backend(), a.practitioner_id, a.chair_id, a.client_id);
    if (a.status == "booked")
      if (auto busy = first_overlap(sql, a)) return store_error(StoreError::Code::conflict, std::string(*busy));
    soci::indicator chair = a.chair_id.empty() ? soci::i_null : soci::i_ok;
    // The version in the WHERE clause holds the check between two connections
    // that both read the old row.
    soci::statement st = (sql.prepare << "UPDATE appointments SET start_ms = :s, end_ms = :e, practitioner_id = :p, chair_id = :chair,"
                                         " status = :status, notes = :notes, overridden_gates = :gates, override_reason = :why,"
                                         " updated_at = :u, version = :v WHERE id = :id AND version = :old",
                          soci::use(a.start), soci::use(a.end), soci::use(a.practitioner_id), soci::use(a.chair_id, chair),
                          soci::use(a.status), soci::use(a.notes), soci::use(a.overridden_gates), soci::use(a.override_reason),
                          soci::use(a.updated_at), soci::use(a.version), soci::use(a.id), soci::use(expected_version));
    st.execute(true);
    if (st.get_affected_rows() != 1) return store_error(StoreError::Code::stale, "the appointment changed while it was being changed");
    tx.commit();
    return a;
  }); }));
}

}  // namespace stipple::store
