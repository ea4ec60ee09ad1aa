#include "stipple/store/charts.h"

#include <algorithm>

#include <soci/soci.h>

#include "stipple/store/crypto.h"
#include "stipple/store/text.h"

namespace stipple::store {

namespace {

constexpr std::string_view kLotColumns = "id, kind, product, lot, expires_on, detail, created_by, created_at";
constexpr std::string_view kChartColumns =
    "id, client_id, appointment_id, practitioner_id, session_number, zones, started_at, ended_at, dilution, cartridges_opened,"
    " gloves, barrier_film, surfaces_disinfected, before_photo_id, after_photo_id, adverse_reaction, notes, status, signed_at,"
    " signed_by, created_by, created_at, updated_at, version";

void exchange(soci::statement& st, Lot& l) {
  st.exchange(soci::into(l.id));
  st.exchange(soci::into(l.kind));
  st.exchange(soci::into(l.product));
  st.exchange(soci::into(l.lot));
  st.exchange(soci::into(l.expires_on));
  st.exchange(soci::into(l.detail));
  st.exchange(soci::into(l.created_by));
  st.exchange(soci::into(l.created_at));
}

// NULL columns: the appointment and the photos (foreign keys), signed_at.
struct ChartRow {
  Chart c;
  int opened = 0, gloves = 0, film = 0, surfaces = 0;
  long long signed_at = 0;
  soci::indicator appointment = soci::i_ok, before = soci::i_ok, after = soci::i_ok, signed_ind = soci::i_ok;
  Chart done() const {
    Chart out = c;
    if (appointment != soci::i_ok) out.appointment_id.clear();
    if (before != soci::i_ok) out.before_photo_id.clear();
    if (after != soci::i_ok) out.after_photo_id.clear();
    out.cartridges_opened_in_front = opened != 0;
    out.gloves = gloves != 0;
    out.barrier_film = film != 0;
    out.surfaces_disinfected = surfaces != 0;
    if (signed_ind == soci::i_ok) out.signed_at = signed_at;
    return out;
  }
};

void exchange(soci::statement& st, ChartRow& r) {
  st.exchange(soci::into(r.c.id));
  st.exchange(soci::into(r.c.client_id));
  st.exchange(soci::into(r.c.appointment_id, r.appointment));
  st.exchange(soci::into(r.c.practitioner_id));
  st.exchange(soci::into(r.c.session_number));
  st.exchange(soci::into(r.c.zones));
  st.exchange(soci::into(r.c.started_at));
  st.exchange(soci::into(r.c.ended_at));
  st.exchange(soci::into(r.c.dilution));
  st.exchange(soci::into(r.opened));
  st.exchange(soci::into(r.gloves));
  st.exchange(soci::into(r.film));
  st.exchange(soci::into(r.surfaces));
  st.exchange(soci::into(r.c.before_photo_id, r.before));
  st.exchange(soci::into(r.c.after_photo_id, r.after));
  st.exchange(soci::into(r.c.adverse_reaction));
  st.exchange(soci::into(r.c.notes));
  st.exchange(soci::into(r.c.status));
  st.exchange(soci::into(r.signed_at, r.signed_ind));
  st.exchange(soci::into(r.c.signed_by));
  st.exchange(soci::into(r.c.created_by));
  st.exchange(soci::into(r.c.created_at));
  st.exchange(soci::into(r.c.updated_at));
  st.exchange(soci::into(r.c.version));
}

std::vector<ChartLot> lots_of(soci::session& sql, const std::string& chart_id) {
  std::vector<ChartLot> out;
  ChartLot l;
  soci::statement st = (sql.prepare << "SELECT lot_id, use_as FROM chart_lots WHERE chart_id = :c ORDER BY use_as, lot_id",
                        soci::into(l.lot_id), soci::into(l.use), soci::use(chart_id));
  st.execute();
  while (st.fetch()) out.push_back(l);
  return out;
}

std::optional<Chart> read_chart(soci::session& sql, const std::string& id) {
  ChartRow r;
  soci::statement st(sql);
  st.alloc();
  exchange(st, r);
  st.exchange(soci::use(id));
  st.prepare("SELECT " + std::string(kChartColumns) + " FROM session_charts WHERE id = :id");
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  Chart c = r.done();
  c.lots = lots_of(sql, c.id);
  return c;
}

// The chart's fields as bound values (NULL for an empty reference).
struct Bound {
  soci::indicator appointment, before, after;
  int opened, gloves, film, surfaces;
  explicit Bound(const Chart& c)
      : appointment(c.appointment_id.empty() ? soci::i_null : soci::i_ok),
        before(c.before_photo_id.empty() ? soci::i_null : soci::i_ok),
        after(c.after_photo_id.empty() ? soci::i_null : soci::i_ok),
        opened(c.cartridges_opened_in_front),
        gloves(c.gloves),
        film(c.barrier_film),
        surfaces(c.surfaces_disinfected) {}
};

void insert_lots(soci::session& sql, const Chart& c) {
  for (const ChartLot& l : c.lots)
    sql << "INSERT INTO chart_lots (chart_id, lot_id, use_as) VALUES (:c, :l, :u)", soci::use(c.id), soci::use(l.lot_id), soci::use(l.use);
}

}  // namespace

StoreResult<Lot> add_lot(Database& db, const Lot& in, TimeMs now) {
  init_crypto();
  return guarded("add lot", [&]() -> StoreResult<Lot> {
    Lot l = in;
    l.id = random_id();
    l.created_at = now;
    const std::string key = fold_case(l.product + " " + l.lot + " " + l.detail);
    Database::Lease lease(db);
    lease.sql() << "INSERT INTO lots (id, kind, product, lot, expires_on, detail, search_text, created_by, created_at)"
                   " VALUES (:id, :kind, :product, :lot, :exp, :detail, :key, :by, :at)",
        soci::use(l.id), soci::use(l.kind), soci::use(l.product), soci::use(l.lot), soci::use(l.expires_on), soci::use(l.detail),
        soci::use(key), soci::use(l.created_by), soci::use(l.created_at);
    return l;
  });
}

StoreResult<Lot> find_lot(Database& db, std::string_view id_view) {
  return guarded("find lot", [&]() -> StoreResult<Lot> {
    const std::string id(id_view);
    Database::Lease lease(db);
    Lot l;
    soci::statement st(lease.sql());
    st.alloc();
    exchange(st, l);
    st.exchange(soci::use(id));
    st.prepare("SELECT " + std::string(kLotColumns) + " FROM lots WHERE id = :id");
    st.define_and_bind();
    if (!st.execute(true)) return store_error(StoreError::Code::not_found, "no such lot");
    return l;
  });
}

StoreResult<std::vector<Lot>> search_lots(Database& db, std::string_view query, int limit) {
  return guarded("search lots", [&]() -> StoreResult<std::vector<Lot>> {
    limit = std::clamp(limit, 1, 500);
    const std::string pattern = "%" + escape_like(fold_case(query)) + "%";
    Database::Lease lease(db);
    Lot l;
    soci::statement st(lease.sql());
    st.alloc();
    exchange(st, l);
    st.exchange(soci::use(pattern));
    st.exchange(soci::use(limit));
    st.prepare("SELECT " + std::string(kLotColumns) +
               " FROM lots WHERE search_text LIKE :p ESCAPE '\\' ORDER BY expires_on DESC, product, lot, id LIMIT :limit");
    st.define_and_bind();
    st.execute();
    std::vector<Lot> out;
    while (st.fetch()) out.push_back(l);
    return out;
  });
}

StoreResult<Chart> create_chart(Database& db, const Chart& in, TimeMs now) {
  init_crypto();
  return guarded("create chart", [&]() -> StoreResult<Chart> {
    Chart c = in;
    c.id = random_id();
    c.status = "draft";
    c.signed_at.reset();
    c.signed_by.clear();
    c.created_at = c.updated_at = now;
    c.version = 1;
    Bound b(c);
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    sql << "INSERT INTO session_charts (id, client_id, appointment_id, practitioner_id, session_number, zones, started_at, ended_at,"
           " dilution, cartridges_opened, gloves, barrier_film, surfaces_disinfected, before_photo_id, after_photo_id,"
           " adverse_reaction, notes, status, signed_by, created_by, created_at, updated_at, version)"
           " VALUES (:id, :client, :appointment, :practitioner, :n, :zones, :s, :e, :dilution, :opened, :gloves, :film, :surfaces,"
           " :before, :after, :adverse, :notes, 'draft', '', :by, :c, :u, 1)",
        soci::use(c.id), soci::use(c.client_id), soci::use(c.appointment_id, b.appointment), soci::use(c.practitioner_id),
        soci::use(c.session_number), soci::use(c.zones), soci::use(c.started_at), soci::use(c.ended_at), soci::use(c.dilution),
        soci::use(b.opened), soci::use(b.gloves), soci::use(b.film), soci::use(b.surfaces), soci::use(c.before_photo_id, b.before),
        soci::use(c.after_photo_id, b.after), soci::use(c.adverse_reaction), soci::use(c.notes), soci::use(c.created_by),
        soci::use(c.created_at), soci::use(c.updated_at);
    insert_lots(sql, c);
    tx.commit();
    return c;
  });
}

StoreResult<Chart> find_chart(Database& db, std::string_view id) {
  return guarded("find chart", [&]() -> StoreResult<Chart> {
    Database::Lease lease(db);
    auto c = read_chart(lease.sql(), std::string(id));
    if (!c) return store_error(StoreError::Code::not_found, "no such chart");
    return *c;
  });
}

StoreResult<std::vector<Chart>> charts_of(Database& db, std::string_view client_view) {
  return guarded("list charts", [&]() -> StoreResult<std::vector<Chart>> {
    const std::string client(client_view);
    Database::Lease lease(db);
    std::vector<std::string> ids;
    std::string id;
    soci::statement st = (lease.sql().prepare << "SELECT id FROM session_charts WHERE client_id = :c ORDER BY started_at DESC, id",
                          soci::into(id), soci::use(client));
    st.execute();
    while (st.fetch()) ids.push_back(id);
    std::vector<Chart> out;
    for (const std::string& i : ids)
      if (auto c = read_chart(lease.sql(), i)) out.push_back(std::move(*c));
    return out;
  });
}

StoreResult<Chart> update_chart(Database& db, const Chart& in, int expected_version, TimeMs now) {
  return guarded("update chart", [&]() -> StoreResult<Chart> {
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    auto current = read_chart(sql, in.id);
    if (!current) return store_error(StoreError::Code::not_found, "no such chart");
    if (current->status != "draft") return store_error(StoreError::Code::conflict, "a signed chart is locked");
    if (current->version != expected_version)
      return store_error(StoreError::Code::stale, "the chart is at version " + std::to_string(current->version));
    Chart c = in;
    c.client_id = current->client_id;
    c.status = "draft";
    c.created_by = current->created_by;
    c.created_at = current->created_at;
    c.updated_at = now;
    c.version = current->version + 1;
    Bound b(c);
    soci::statement st =
        (sql.prepare << "UPDATE session_charts SET appointment_id = :appointment, practitioner_id = :practitioner, session_number = :n,"
                        " zones = :zones, started_at = :s, ended_at = :e, dilution = :dilution, cartridges_opened = :opened,"
                        " gloves = :gloves, barrier_film = :film, surfaces_disinfected = :surfaces, before_photo_id = :before,"
                        " after_photo_id = :after, adverse_reaction = :adverse, notes = :notes, updated_at = :u, version = :v"
                        " WHERE id = :id AND version = :old AND status = 'draft'",
         soci::use(c.appointment_id, b.appointment), soci::use(c.practitioner_id), soci::use(c.session_number), soci::use(c.zones),
         soci::use(c.started_at), soci::use(c.ended_at), soci::use(c.dilution), soci::use(b.opened), soci::use(b.gloves),
         soci::use(b.film), soci::use(b.surfaces), soci::use(c.before_photo_id, b.before), soci::use(c.after_photo_id, b.after),
         soci::use(c.adverse_reaction), soci::use(c.notes), soci::use(c.updated_at), soci::use(c.version), soci::use(c.id),
         soci::use(expected_version));
    st.execute(true);
    if (st.get_affected_rows() != 1) return store_error(StoreError::Code::stale, "the chart changed while it was being changed");
    sql << "DELETE FROM chart_lots WHERE chart_id = :c", soci::use(c.id);
    insert_lots(sql, c);
    tx.commit();
    return c;
  });
}

StoreResult<Chart> sign_chart(Database& db, std::string_view id_view, int expected_version, std::string_view user_view, TimeMs now) {
  return guarded("sign chart", [&]() -> StoreResult<Chart> {
    const std::string id(id_view), user(user_view);
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    auto current = read_chart(sql, id);
    if (!current) return store_error(StoreError::Code::not_found, "no such chart");
    if (current->status != "draft") return store_error(StoreError::Code::conflict, "the chart is signed already");
    if (current->version != expected_version)
      return store_error(StoreError::Code::stale, "the chart is at version " + std::to_string(current->version));
    const int next = current->version + 1;
    soci::statement st = (sql.prepare << "UPDATE session_charts SET status = 'signed', signed_at = :at, signed_by = :by, updated_at = :u,"
                                         " version = :v WHERE id = :id AND version = :old AND status = 'draft'",
                          soci::use(now), soci::use(user), soci::use(now), soci::use(next), soci::use(id), soci::use(expected_version));
    st.execute(true);
    if (st.get_affected_rows() != 1) return store_error(StoreError::Code::stale, "the chart changed while it was being signed");
    tx.commit();
    Chart c = *current;
    c.status = "signed";
    c.signed_at = now;
    c.signed_by = user;
    c.updated_at = now;
    c.version = next;
    return c;
  });
}

StoreResult<Amendment> amend_chart(Database& db, std::string_view chart_view, std::string_view text, std::string_view user_view,
                                   TimeMs now) {
  init_crypto();
  return guarded("amend chart", [&]() -> StoreResult<Amendment> {
    Amendment a{random_id(), std::string(chart_view), std::string(text), std::string(user_view), now};
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    std::string status;
    sql << "SELECT status FROM session_charts WHERE id = :id", soci::into(status), soci::use(a.chart_id);
    if (!sql.got_data()) return store_error(StoreError::Code::not_found, "no such chart");
    if (status != "signed") return store_error(StoreError::Code::conflict, "a draft is changed, not amended");
    sql << "INSERT INTO chart_amendments (id, chart_id, text, created_by, created_at) VALUES (:id, :c, :t, :by, :at)", soci::use(a.id),
        soci::use(a.chart_id), soci::use(a.text), soci::use(a.created_by), soci::use(a.created_at);
    tx.commit();
    return a;
  });
}

StoreResult<std::vector<Amendment>> amendments_of(Database& db, std::string_view chart_view) {
  return guarded("list amendments", [&]() -> StoreResult<std::vector<Amendment>> {
    const std::string chart(chart_view);
    Database::Lease lease(db);
    Amendment a;
    soci::statement st = (lease.sql().prepare << "SELECT id, chart_id, text, created_by, created_at FROM chart_amendments"
                                                 " WHERE chart_id = :c ORDER BY created_at, id",
                          soci::into(a.id), soci::into(a.chart_id), soci::into(a.text), soci::into(a.created_by), soci::into(a.created_at),
                          soci::use(chart));
    st.execute();
    std::vector<Amendment> out;
    while (st.fetch()) out.push_back(a);
    return out;
  });
}

StoreResult<std::vector<LastSession>> last_signed_sessions(Database& db) {
  return guarded("last signed sessions", [&]() -> StoreResult<std::vector<LastSession>> {
    Database::Lease lease(db);
    LastSession l;
    soci::statement st = (lease.sql().prepare << "SELECT client_id, MAX(started_at) FROM session_charts WHERE status = 'signed'"
                                                 " GROUP BY client_id ORDER BY client_id",
                          soci::into(l.client_id), soci::into(l.started_at));
    st.execute();
    std::vector<LastSession> out;
    while (st.fetch()) out.push_back(l);
    return out;
  });
}

StoreResult<std::vector<ChartedSession>> signed_sessions_between(Database& db, TimeMs from, TimeMs to) {
  return guarded("signed sessions", [&]() -> StoreResult<std::vector<ChartedSession>> {
    Database::Lease lease(db);
    ChartedSession c;
    soci::statement st = (lease.sql().prepare << "SELECT client_id, practitioner_id, session_number, started_at FROM session_charts"
                                                 " WHERE status = 'signed' AND started_at >= :f AND started_at < :t ORDER BY started_at, id",
                          soci::into(c.client_id), soci::into(c.practitioner_id), soci::into(c.session_number), soci::into(c.started_at),
                          soci::use(from), soci::use(to));
    st.execute();
    std::vector<ChartedSession> out;
    while (st.fetch()) out.push_back(c);
    return out;
  });
}

StoreResult<std::vector<Recipient>> recipients_of_lot(Database& db, std::string_view lot_view) {
  return guarded("recipients of lot", [&]() -> StoreResult<std::vector<Recipient>> {
    const std::string lot(lot_view);
    Database::Lease lease(db);
    Recipient r;
    soci::statement st =
        (lease.sql().prepare << "SELECT c.id, c.name, c.email, c.phone, s.id, s.session_number, s.started_at, u.id, u.name"
                                " FROM chart_lots l JOIN session_charts s ON s.id = l.chart_id JOIN clients c ON c.id = s.client_id"
                                " JOIN users u ON u.id = s.practitioner_id WHERE l.lot_id = :lot ORDER BY s.started_at DESC, s.id",
         soci::into(r.client_id), soci::into(r.client_name), soci::into(r.email), soci::into(r.phone), soci::into(r.chart_id),
         soci::into(r.session_number), soci::into(r.started_at), soci::into(r.practitioner_id), soci::into(r.practitioner_name),
         soci::use(lot));
    st.execute();
    std::vector<Recipient> out;
    while (st.fetch()) out.push_back(r);
    return out;
  });
}

}  // namespace stipple::store
