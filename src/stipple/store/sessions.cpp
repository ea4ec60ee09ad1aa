#include "stipple/store/sessions.h"

#include <soci/soci.h>

#include "stipple/store/crypto.h"

namespace stipple::store {

StoreResult<std::string> create_session(Database& db, std::string_view user_id_view, std::string_view ip_view,
                                        TimeMs now) {
  init_crypto();
  return guarded("create session", [&]() -> StoreResult<std::string> {
    std::string token = new_token();
    const std::string hash = sha256_hex(token), user_id(user_id_view), ip(ip_view);
    Database::Lease lease(db);
    lease.sql() << "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip)"
                   " VALUES (:h, :u, :c, :l, :ip)",
        soci::use(hash), soci::use(user_id), soci::use(now), soci::use(now), soci::use(ip);
    return token;
  });
}

StoreResult<SessionInfo> resume_session(Database& db, std::string_view token, TimeMs now, const SessionPolicy& policy) {
  return guarded("resume session", [&]() -> StoreResult<SessionInfo> {
    const std::string hash = sha256_hex(token);
    SessionInfo s;
    std::string role;
    int disabled = 0;
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    sql << "SELECT s.created_at, s.last_seen_at, u.id, u.email, u.name, u.role, u.created_at, u.disabled"
           " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = :h",
        soci::into(s.created_at), soci::into(s.last_seen_at), soci::into(s.user.id), soci::into(s.user.email),
        soci::into(s.user.name), soci::into(role), soci::into(s.user.created_at), soci::into(disabled), soci::use(hash);
    if (!sql.got_data()) return store_error(StoreError::Code::not_found, "no such session");
    const bool expired = now - s.last_seen_at > policy.idle_timeout_ms || now - s.created_at > policy.absolute_lifetime_ms;
    if (expired || disabled != 0) {
      sql << "DELETE FROM sessions WHERE token_hash = :h", soci::use(hash);
      return store_error(StoreError::Code::not_found, expired ? "session expired" : "user disabled");
    }
    s.user.role = enum_from_string<Role>(role).value_or(Role::front_desk);
    if (now - s.last_seen_at >= policy.touch_interval_ms) {
      sql << "UPDATE sessions SET last_seen_at = :n WHERE token_hash = :h", soci::use(now), soci::use(hash);
      s.last_seen_at = now;
    }
    return s;
  });
}

StoreResult<void> delete_session(Database& db, std::string_view token) {
  return guarded("delete session", [&]() -> StoreResult<void> {
    const std::string hash = sha256_hex(token);
    Database::Lease lease(db);
    lease.sql() << "DELETE FROM sessions WHERE token_hash = :h", soci::use(hash);
    return {};
  });
}

StoreResult<long long> delete_expired_sessions(Database& db, TimeMs now, const SessionPolicy& policy) {
  return guarded("delete expired sessions", [&]() -> StoreResult<long long> {
    const TimeMs idle_before = now - policy.idle_timeout_ms, created_before = now - policy.absolute_lifetime_ms;
    Database::Lease lease(db);
    soci::statement st = (lease.sql().prepare << "DELETE FROM sessions WHERE last_seen_at < :i OR created_at < :c",
                          soci::use(idle_before), soci::use(created_before));
    st.execute(true);
    return st.get_affected_rows();
  });
}

}  // namespace stipple::store
