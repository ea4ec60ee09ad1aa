#include "stipple/store/patch_tests.h"

#include <soci/soci.h>

#include "stipple/store/crypto.h"

namespace stipple::store {

namespace {

constexpr std::string_view kColumns =
    "id, client_id, placed_at, placed_by, pigment, lot, site, result, read_at, read_by, notes, created_at";

struct Row {
  PatchTest t;
  long long read_at = 0;
  soci::indicator read = soci::i_ok;
  PatchTest done() const {
    PatchTest out = t;
    if (read == soci::i_ok) out.read_at = read_at;
    return out;
  }
};

void exchange(soci::statement& st, Row& r) {
  st.exchange(soci::into(r.t.id));
  st.exchange(soci::into(r.t.client_id));
  st.exchange(soci::into(r.t.placed_at));
  st.exchange(soci::into(r.t.placed_by));
  st.exchange(soci::into(r.t.pigment));
  st.exchange(soci::into(r.t.lot));
  st.exchange(soci::into(r.t.site));
  st.exchange(soci::into(r.t.result));
  st.exchange(soci::into(r.read_at, r.read));
  st.exchange(soci::into(r.t.read_by));
  st.exchange(soci::into(r.t.notes));
  st.exchange(soci::into(r.t.created_at));
}

std::optional<PatchTest> read_row(soci::session& sql, const std::string& id) {
  Row r;
  soci::statement st(sql);
  st.alloc();
  exchange(st, r);
  st.exchange(soci::use(id));
  st.prepare("SELECT " + std::string(kColumns) + " FROM patch_tests WHERE id = :id");
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  return r.done();
}

}  // namespace

StoreResult<PatchTest> place_patch_test(Database& db, const PatchTest& in, TimeMs now) {
  init_crypto();
  return guarded("place patch test", [&]() -> StoreResult<PatchTest> {
    PatchTest t = in;
    t.id = random_id();
    t.result = "pending";
    t.read_at.reset();
    t.read_by.clear();
    t.created_at = now;
    Database::Lease lease(db);
    lease.sql() << "INSERT INTO patch_tests (id, client_id, placed_at, placed_by, pigment, lot, site, result, read_by, notes, created_at)"
                   " VALUES (:id, :client, :placed, :by, :pigment, :lot, :site, :result, '', :notes, :c)",
        soci::use(t.id), soci::use(t.client_id), soci::use(t.placed_at), soci::use(t.placed_by), soci::use(t.pigment), soci::use(t.lot),
        soci::use(t.site), soci::use(t.result), soci::use(t.notes), soci::use(t.created_at);
    return t;
  });
}

StoreResult<PatchTest> find_patch_test(Database& db, std::string_view id) {
  return guarded("find patch test", [&]() -> StoreResult<PatchTest> {
    Database::Lease lease(db);
    auto t = read_row(lease.sql(), std::string(id));
    if (!t) return store_error(StoreError::Code::not_found, "no such patch test");
    return *t;
  });
}

StoreResult<std::vector<PatchTest>> patch_tests_of(Database& db, std::string_view client_view) {
  return guarded("list patch tests", [&]() -> StoreResult<std::vector<PatchTest>> {
    const std::string client(client_view);
    Database::Lease lease(db);
    Row r;
    soci::statement st(lease.sql());
    st.alloc();
    exchange(st, r);
    st.exchange(soci::use(client));
    st.prepare("SELECT " + std::string(kColumns) + " FROM patch_tests WHERE client_id = :c ORDER BY placed_at DESC, id");
    st.define_and_bind();
    st.execute();
    std::vector<PatchTest> out;
    while (st.fetch()) out.push_back(r.done());
    return out;
  });
}

StoreResult<PatchTest> read_patch_test(Database& db, std::string_view id_view, std::string_view result_view, TimeMs read_at,
                                       std::string_view by_view, std::string_view notes_view) {
  return guarded("read patch test", [&]() -> StoreResult<PatchTest> {
    const std::string id(id_view), result(result_view), by(by_view), notes(notes_view);
    Database::Lease lease(db);
    Database::WriteTransaction tx(lease, db.backend());
    soci::statement st = (lease.sql().prepare << "UPDATE patch_tests SET result = :r, read_at = :at, read_by = :by, notes = :notes"
                                                 " WHERE id = :id AND result = 'pending'",
                          soci::use(result), soci::use(read_at), soci::use(by), soci::use(notes), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      if (!read_row(lease.sql(), id)) return store_error(StoreError::Code::not_found, "no such patch test");
      return store_error(StoreError::Code::stale, "the patch test was read already");
    }
    auto t = read_row(lease.sql(), id);
    tx.commit();
    return *t;
  });
}

}  // namespace stipple::store
