// stipple/store/sign_in_attempts.h: the sign-in rate limit, kept in the database.
//
// Failed sign-ins are counted per email (against guessing one user's password)
// and per IP address (against trying many users' passwords), over a sliding
// window; the counts live in the database, so they hold across restarts and
// across several server processes. Thread-safe.
#pragma once

#include <string_view>

#include "stipple/store/database.h"

namespace stipple::store {

struct SignInLimits {
  int max_failures_per_email = 5;   // OWASP: lock out after a few failures, for a while
  int max_failures_per_ip = 20;
  TimeMs window_ms = 15LL * 60 * 1000;
};

// Seconds (rounded up, at least 1) until a sign-in for `email` from `ip` may be
// tried again, or 0 when it may be tried now.
StoreResult<long long> sign_in_retry_after_s(Database& db, std::string_view email, std::string_view ip, TimeMs now,
                                             const SignInLimits& limits);

// Records an attempt, and forgets those older than the window.
StoreResult<void> record_sign_in_attempt(Database& db, std::string_view email, std::string_view ip, bool succeeded,
                                         TimeMs now, const SignInLimits& limits);

}  // namespace stipple::store
