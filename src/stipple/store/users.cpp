#include "stipple/store/users.h"

#include <soci/soci.h>

#include "stipple/store/crypto.h"
#include "stipple/store/text.h"

namespace stipple::store {

namespace {

constexpr std::string_view kColumns = "id, email, name, role, created_at, disabled";

struct UserRow {
  std::string id, email, name, role, password_hash;
  long long created_at = 0;
  int disabled = 0;

  User user() const {
    return User{id, email, name, enum_from_string<Role>(role).value_or(Role::front_desk), created_at, disabled != 0};
  }
};

}  // namespace

StoreResult<User> create_user(Database& db, const NewUser& in) {
  init_crypto();
  const std::string hash = hash_password(in.password);
  if (hash.empty()) return store_error(StoreError::Code::internal, "create user: the password could not be hashed");
  return guarded("create user", [&]() -> StoreResult<User> {
    User u{random_id(), in.email, in.name, in.role, now_ms(), false};
    const std::string key = email_key(in.email);
    const std::string role(to_string(in.role));
    Database::Lease lease(db);
    lease.sql() << "INSERT INTO users (id, email, email_key, name, role, password_hash, created_at, disabled)"
                   " VALUES (:id, :email, :key, :name, :role, :hash, :at, 0)",
        soci::use(u.id), soci::use(u.email), soci::use(key), soci::use(u.name), soci::use(role), soci::use(hash),
        soci::use(u.created_at);
    return u;
  });
}

StoreResult<User> find_user(Database& db, std::string_view id_view) {
  return guarded("find user", [&]() -> StoreResult<User> {
    const std::string id(id_view);
    UserRow r;
    Database::Lease lease(db);
    lease.sql() << "SELECT " + std::string(kColumns) + " FROM users WHERE id = :id", soci::into(r.id),
        soci::into(r.email), soci::into(r.name), soci::into(r.role), soci::into(r.created_at), soci::into(r.disabled),
        soci::use(id);
    if (!lease.sql().got_data()) return store_error(StoreError::Code::not_found, "no such user");
    return r.user();
  });
}

StoreResult<std::vector<User>> list_users(Database& db) {
  return guarded("list users", [&]() -> StoreResult<std::vector<User>> {
    UserRow r;
    Database::Lease lease(db);
    soci::statement st = (lease.sql().prepare << "SELECT " + std::string(kColumns) + " FROM users ORDER BY name, id", soci::into(r.id),
                          soci::into(r.email), soci::into(r.name), soci::into(r.role), soci::into(r.created_at), soci::into(r.disabled));
    st.execute();
    std::vector<User> out;
    while (st.fetch()) out.push_back(r.user());
    return out;
  });
}

StoreResult<std::optional<User>> authenticate(Database& db, std::string_view email, std::string_view password) {
  init_crypto();
  auto row = guarded("authenticate", [&]() -> StoreResult<std::optional<UserRow>> {
    const std::string key = email_key(email);
    UserRow r;
    Database::Lease lease(db);
    lease.sql() << "SELECT " + std::string(kColumns) + ", password_hash FROM users WHERE email_key = :key",
        soci::into(r.id), soci::into(r.email), soci::into(r.name), soci::into(r.role), soci::into(r.created_at),
        soci::into(r.disabled), soci::into(r.password_hash), soci::use(key);
    if (!lease.sql().got_data()) return std::nullopt;
    return r;
  });
  if (!row) return std::unexpected(row.error());
  // Verified outside the lease: hashing takes a while and needs no connection.
  const bool match = verify_password(password, *row ? (*row)->password_hash : decoy_password_hash());
  if (!*row || !match || (*row)->disabled != 0) return std::nullopt;
  return (*row)->user();
}

StoreResult<void> set_user_disabled(Database& db, std::string_view id_view, bool disabled) {
  return guarded("disable user", [&]() -> StoreResult<void> {
    const std::string id(id_view);
    const int flag = disabled ? 1 : 0;
    Database::Lease lease(db);
    soci::statement st = (lease.sql().prepare << "UPDATE users SET disabled = :d WHERE id = :id", soci::use(flag),
                          soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return store_error(StoreError::Code::not_found, "no such user");
    return {};
  });
}

StoreResult<std::optional<User>> find_user_by_email(Database& db, std::string_view email) {
  return guarded("find user by email", [&]() -> StoreResult<std::optional<User>> {
    const std::string key = email_key(email);
    UserRow r;
    Database::Lease lease(db);
    lease.sql() << "SELECT " + std::string(kColumns) + " FROM users WHERE email_key = :key", soci::into(r.id),
        soci::into(r.email), soci::into(r.name), soci::into(r.role), soci::into(r.created_at), soci::into(r.disabled),
        soci::use(key);
    if (!lease.sql().got_data()) return std::nullopt;
    return r.user();
  });
}

StoreResult<void> set_password(Database& db, std::string_view id_view, std::string_view password) {
  init_crypto();
  const std::string hash = hash_password(password);
  if (hash.empty()) return store_error(StoreError::Code::internal, "set password: the password could not be hashed");
  return guarded("set password", [&]() -> StoreResult<void> {
    const std::string id(id_view);
    Database::Lease lease(db);
    Database::WriteTransaction tx(lease, db.backend());
    soci::statement st = (lease.sql().prepare << "UPDATE users SET password_hash = :h WHERE id = :id", soci::use(hash),
                          soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return store_error(StoreError::Code::not_found, "no such user");
    lease.sql() << "DELETE FROM sessions WHERE user_id = :id", soci::use(id);
    tx.commit();
    return {};
  });
}

}  // namespace stipple::store
