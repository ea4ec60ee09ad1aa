// stipple/store/credentials.h: the credentials a clinic must hold to treat
// (brief section 9 "The clinic": a licensed body-art practitioner,
// bloodborne-pathogens certification, the clinic's health permit).
//
// A credential is a practitioner's (a licence, a training certificate) or the
// clinic's own (the health permit: no user), valid over the local days
// [valid_from, expires_on], both inclusive, YYYY-MM-DD on the clinic's clock.
// A row is never changed nor deleted (migration 9), so the record shows what
// was held on any past day; a renewal is a new credential, and one recorded in
// error is revoked (once, by whom, when, why), which keeps it visible.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::store {

// The kinds, as the US body-art model code names them (NEHA; brief section 9).
inline constexpr std::string_view kCredentialKinds[] = {"body_art_licence", "bloodborne_pathogens", "health_permit"};
// The kinds a practitioner holds; the health permit is the clinic's.
inline constexpr std::string_view kPractitionerCredentialKinds[] = {"body_art_licence", "bloodborne_pathogens"};

struct Credential {
  std::string id;
  std::string user_id;      // the practitioner's; "" for the clinic's health permit
  std::string kind;         // one of kCredentialKinds
  std::string reference;    // the licence or certificate number as printed
  std::string issuer;       // the authority or training body, "" when not said
  std::string valid_from;   // YYYY-MM-DD
  std::string expires_on;   // YYYY-MM-DD, the last day it is valid
  std::string created_by;   // a user
  TimeMs created_at = 0;
  std::optional<TimeMs> revoked_at;
  std::string revoked_by, revoke_reason;  // "" unless revoked
};

// Records `in` (id, created_at assigned; revocation cleared). Errors:
// conflict for a user that does not exist.
StoreResult<Credential> add_credential(Database& db, const Credential& in, TimeMs now);

// Errors: not_found.
StoreResult<Credential> find_credential(Database& db, std::string_view id);

// Every credential, revoked ones too, by expiry then kind; only the user's
// when `user_id` is not empty.
StoreResult<std::vector<Credential>> list_credentials(Database& db, std::string_view user_id);

// Revokes a credential recorded in error. Errors: not_found; stale when it
// was revoked already.
StoreResult<Credential> revoke_credential(Database& db, std::string_view id, std::string_view by, std::string_view reason, TimeMs now);

}  // namespace stipple::store
