// stipple/store/users.h: the clinic's staff who sign in.
//
// A user has an opaque id, an email unique case-insensitively (by email_key()),
// a display name, one role and an Argon2id password hash (crypto.h). Users are
// disabled, never deleted, so the audit log keeps naming them. Every function is
// thread-safe (each leases its own connection).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/core/enum_names.h"
#include "stipple/store/database.h"

namespace stipple::store {

// The roles of shared/spec/STUDIO.md: what each may do is the studio's route table.
enum class Role { owner, practitioner, front_desk };

struct User {
  std::string id;
  std::string email;  // as given
  std::string name;
  Role role = Role::front_desk;
  TimeMs created_at = 0;
  bool disabled = false;
};

struct NewUser {
  std::string email;     // plausible_email() (text.h); checked by the caller
  std::string name;      // non-empty; checked by the caller
  Role role = Role::front_desk;
  std::string password;  // plain; only its hash is stored
};

// Creates a user with a new id. Errors: conflict when the email (case-insensitively)
// is taken; internal when the password could not be hashed.
StoreResult<User> create_user(Database& db, const NewUser& user);

// The user with this id. Errors: not_found.
StoreResult<User> find_user(Database& db, std::string_view id);

// Every user, disabled ones too, by name then id.
StoreResult<std::vector<User>> list_users(Database& db);

// Checks an email and password: the user when they match and the user is not
// disabled, nothing otherwise (unknown email, wrong password, disabled: the
// caller cannot tell which, and the time taken does not tell either).
StoreResult<std::optional<User>> authenticate(Database& db, std::string_view email, std::string_view password);

// The user with this email (compared case-insensitively), or nothing.
StoreResult<std::optional<User>> find_user_by_email(Database& db, std::string_view email);

// Replaces the user's password (only its Argon2id hash is stored) and ends every
// session of the user, in one transaction. Errors: not_found; internal when the
// password could not be hashed.
StoreResult<void> set_password(Database& db, std::string_view id, std::string_view password);

// Marks the user disabled (true) or enabled; a disabled user's sessions stop
// working at once. Errors: not_found.
StoreResult<void> set_user_disabled(Database& db, std::string_view id, bool disabled);

}  // namespace stipple::store

namespace stipple {
template <>
inline constexpr std::array<std::string_view, 3> enum_names<store::Role> = {"owner", "practitioner", "front_desk"};
}  // namespace stipple
