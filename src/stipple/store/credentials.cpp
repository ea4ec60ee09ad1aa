#include "stipple/store/credentials.h"

#include <soci/soci.h>

#include "stipple/store/crypto.h"

namespace stipple::store {

namespace {

constexpr std::string_view kColumns =
    "id, user_id, kind, reference, issuer, valid_from, expires_on, created_by, created_at, revoked_at, revoked_by, revoke_reason";

// user_id is NULL for the clinic's own (a foreign key to users otherwise).
struct Row {
  Credential c;
  soci::indicator user = soci::i_ok, revoked = soci::i_ok;
  long long revoked_at = 0;
  Credential done() const {
    Credential out = c;
    if (user != soci::i_ok) out.user_id.clear();
    if (revoked == soci::i_ok) out.revoked_at = revoked_at;
    return out;
  }
};

void exchange(soci::statement& st, Row& r) {
  st.exchange(soci::into(r.c.id));
  st.exchange(soci::into(r.c.user_id, r.user));
  st.exchange(soci::into(r.c.kind));
  st.exchange(soci::into(r.c.reference));
  st.exchange(soci::into(r.c.issuer));
  st.exchange(soci::into(r.c.valid_from));
  st.exchange(soci::into(r.c.expires_on));
  st.exchange(soci::into(r.c.created_by));
  st.exchange(soci::into(r.c.created_at));
  st.exchange(soci::into(r.revoked_at, r.revoked));
  st.exchange(soci::into(r.c.revoked_by));
  st.exchange(soci::into(r.c.revoke_reason));
}

std::optional<Credential> read_row(soci::session& sql, const std::string& id) {
  Row r;
  soci::statement st(sql);
  st.alloc();
  exchange(st, r);
  st.exchange(soci::use(id));
  st.prepare("SELECT " + std::string(kColumns) + " FROM credentials WHERE id = :id");
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  return r.done();
}

}  // namespace

StoreResult<Credential> add_credential(Database& db, const Credential& in, TimeMs now) {
  init_crypto();
  return guarded("add credential", [&]() -> StoreResult<Credential> {
    Credential c = in;
    c.id = random_id();
    c.created_at = now;
    c.revoked_at.reset();
    c.revoked_by.clear();
    c.revoke_reason.clear();
    soci::indicator user = c.user_id.empty() ? soci::i_null : soci::i_ok;
    Database::Lease lease(db);
    lease.sql() << "INSERT INTO credentials (id, user_id, kind, reference, issuer, valid_from, expires_on, created_by, created_at,"
                   " revoked_by, revoke_reason) VALUES (:id, :user, :kind, :ref, :issuer, :from, :to, :by, :at, '', '')",
        soci::use(c.id), soci::use(c.user_id, user), soci::use(c.kind), soci::use(c.reference), soci::use(c.issuer),
        soci::use(c.valid_from), soci::use(c.expires_on), soci::use(c.created_by), soci::use(c.created_at);
    return c;
  });
}

StoreResult<Credential> find_credential(Database& db, std::string_view id) {
  return guarded("find credential", [&]() -> StoreResult<Credential> {
    Database::Lease lease(db);
    auto c = read_row(lease.sql(), std::string(id));
    if (!c) return store_error(StoreError::Code::not_found, "no such credential");
    return *c;
  });
}

StoreResult<std::vector<Credential>> list_credentials(Database& db, std::string_view user_view) {
  return guarded("list credentials", [&]() -> StoreResult<std::vector<Credential>> {
    const std::string user(user_view);
    Database::Lease lease(db);
    Row r;
    soci::statement st(lease.sql());
    st.alloc();
    exchange(st, r);
    std::string text = "SELECT " + std::string(kColumns) + " FROM credentials";
    if (!user.empty()) {
      text += " WHERE user_id = :user";
      st.exchange(soci::use(user));
    }
    st.prepare(text + " ORDER BY expires_on, kind, id");
    st.define_and_bind();
    st.execute();
    std::vector<Credential> out;
    while (st.fetch()) out.push_back(r.done());
    return out;
  });
}

StoreResult<Credential> revoke_credential(Database& db, std::string_view id_view, std::string_view by_view,
                                          std::string_view reason_view, TimeMs now) {
  return guarded("revoke credential", [&]() -> StoreResult<Credential> {
    const std::string id(id_view), by(by_view), reason(reason_view);
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    auto c = read_row(sql, id);
    if (!c) return store_error(StoreError::Code::not_found, "no such credential");
    if (c->revoked_at) return store_error(StoreError::Code::stale, "the credential was revoked already");
    soci::statement st = (sql.prepare << "UPDATE credentials SET revoked_at = :at, revoked_by = :by, revoke_reason = :why"
                                         " WHERE id = :id AND revoked_at IS NULL",
                          soci::use(now), soci::use(by), soci::use(reason), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() != 1) return store_error(StoreError::Code::stale, "the credential was revoked already");
    tx.commit();
    c->revoked_at = now;
    c->revoked_by = by;
    c->revoke_reason = reason;
    return *c;
  });
}

}  // namespace stipple::store
