// stipple/store/sessions.h: signed-in sessions, named by a random token.
//
// The token (crypto.h: 256 random bits) goes to the browser in a cookie; the
// database keeps only its SHA-256, so a copy of the database signs no one in. A
// session ends when it has been idle longer than the policy's idle timeout, when
// it is older than its absolute lifetime, when its user is disabled, or when it
// is deleted (sign out). Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "stipple/store/database.h"
#include "stipple/store/users.h"

namespace stipple::store {

struct SessionPolicy {
  TimeMs idle_timeout_ms = 30LL * 60 * 1000;         // OWASP: 15-30 minutes for sensitive data
  TimeMs absolute_lifetime_ms = 12LL * 3600 * 1000;  // a working day, then sign in again
  TimeMs touch_interval_ms = 60LL * 1000;            // last_seen_at is written at most this often
};

struct SessionInfo {
  User user;
  TimeMs created_at = 0;
  TimeMs last_seen_at = 0;
};

// Starts a session for `user_id` from `ip` at `now`; returns the new token (the
// only time it exists outside the browser). Errors: conflict when the user is gone.
StoreResult<std::string> create_session(Database& db, std::string_view user_id, std::string_view ip, TimeMs now);

// The session of `token` at `now`, its last_seen_at moved to `now` (at most once
// per touch_interval). Errors: not_found when the token names no live session
// (unknown, expired, or its user disabled); an expired session is deleted.
StoreResult<SessionInfo> resume_session(Database& db, std::string_view token, TimeMs now, const SessionPolicy& policy);

// Ends the session of `token`; nothing when there is none.
StoreResult<void> delete_session(Database& db, std::string_view token);

// Deletes every session expired at `now`; returns how many.
StoreResult<long long> delete_expired_sessions(Database& db, TimeMs now, const SessionPolicy& policy);

}  // namespace stipple::store
