#include "stipple/store/sign_in_attempts.h"

#include <algorithm>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "stipple/store/text.h"

namespace stipple::store {

namespace {

// The times of the failures in the window, oldest first, for one column's value.
std::vector<TimeMs> failures(soci::session& sql, const std::string& query, const std::string& value, TimeMs since) {
  std::vector<TimeMs> out;
  TimeMs at = 0;
  soci::statement st = (sql.prepare << query, soci::into(at), soci::use(value), soci::use(since));
  st.execute();
  while (st.fetch()) out.push_back(at);
  return out;
}

// When the failures drop below `max`: the (n - max + 1)-th oldest leaves the window.
long long wait_s(const std::vector<TimeMs>& times, int max, TimeMs now, TimeMs window) {
  if (max <= 0 || static_cast<long long>(times.size()) < max) return 0;
  const TimeMs leaves = times[times.size() - static_cast<std::size_t>(max)] + window;
  return std::max<long long>(1, (leaves - now + 999) / 1000);
}

}  // namespace

StoreResult<long long> sign_in_retry_after_s(Database& db, std::string_view email, std::string_view ip_view, TimeMs now,
                                             const SignInLimits& limits) {
  return guarded("sign-in rate limit", [&]() -> StoreResult<long long> {
    const std::string key = email_key(email), ip(ip_view);
    const TimeMs since = now - limits.window_ms;
    Database::Lease lease(db);
    const auto by_email = failures(lease.sql(),
                                   "SELECT at FROM sign_in_attempts WHERE email_key = :k AND at > :s AND succeeded = 0"
                                   " ORDER BY at",
                                   key, since);
    const auto by_ip = failures(lease.sql(),
                                "SELECT at FROM sign_in_attempts WHERE ip = :ip AND at > :s AND succeeded = 0 ORDER BY at",
                                ip, since);
    return std::max(wait_s(by_email, limits.max_failures_per_email, now, limits.window_ms),
                    wait_s(by_ip, limits.max_failures_per_ip, now, limits.window_ms));
  });
}

StoreResult<void> record_sign_in_attempt(Database& db, std::string_view email, std::string_view ip_view, bool succeeded,
                                         TimeMs now, const SignInLimits& limits) {
  return guarded("record sign-in attempt", [&]() -> StoreResult<void> {
    const std::string key = email_key(email), ip(ip_view);
    const int ok = succeeded ? 1 : 0;
    const TimeMs before = now - limits.window_ms;
    Database::Lease lease(db);
    lease.sql() << "INSERT INTO sign_in_attempts (email_key, ip, at, succeeded) VALUES (:k, :ip, :at, :ok)",
        soci::use(key), soci::use(ip), soci::use(now), soci::use(ok);
    lease.sql() << "DELETE FROM sign_in_attempts WHERE at <= :b", soci::use(before);
    return {};
  });
}

}  // namespace stipple::store
