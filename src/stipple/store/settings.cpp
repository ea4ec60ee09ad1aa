#include "stipple/store/settings.h"

#include <algorithm>

#include <soci/soci.h>

namespace stipple::store {

namespace {

int newest_version(soci::session& sql) {
  soci::indicator ind = soci::i_null;
  int v = 0;
  sql << "SELECT MAX(version) FROM clinic_settings", soci::into(v, ind);
  return ind == soci::i_ok ? v : 0;
}

std::optional<ClinicSettings> read_version(soci::session& sql, int version) {
  ClinicSettings s;
  sql << "SELECT version, clinic, pricing, care, saved_by, saved_at FROM clinic_settings WHERE version = :v", soci::use(version),
      soci::into(s.version), soci::into(s.clinic), soci::into(s.pricing), soci::into(s.care), soci::into(s.saved_by),
      soci::into(s.saved_at);
  if (!sql.got_data()) return std::nullopt;
  return s;
}

}  // namespace

StoreResult<std::optional<ClinicSettings>> latest_settings(Database& db) {
  return guarded("read clinic settings", [&]() -> StoreResult<std::optional<ClinicSettings>> {
    Database::Lease lease(db);
    const int v = newest_version(lease.sql());
    if (v == 0) return std::optional<ClinicSettings>{};
    return read_version(lease.sql(), v);
  });
}

StoreResult<ClinicSettings> find_settings(Database& db, int version) {
  return guarded("read clinic settings", [&]() -> StoreResult<ClinicSettings> {
    Database::Lease lease(db);
    auto s = read_version(lease.sql(), version);
    if (!s) return store_error(StoreError::Code::not_found, "no such version of the clinic's settings");
    return *s;
  });
}

StoreResult<ClinicSettings> save_settings(Database& db, int read_version, const ClinicSettings& next, TimeMs now) {
  auto saved = guarded("save clinic settings", [&]() -> StoreResult<ClinicSettings> {
    Database::Lease lease(db);
    Database::WriteTransaction tx(lease, db.backend());
    if (newest_version(lease.sql()) != read_version)
      return store_error(StoreError::Code::stale, "the clinic's settings have been saved again since this version was read");
    ClinicSettings s = next;
    s.version = read_version + 1;
    s.saved_at = now;
    lease.sql() << "INSERT INTO clinic_settings (version, clinic, pricing, care, saved_by, saved_at)"
                   " VALUES (:v, :c, :p, :k, :by, :at)",
        soci::use(s.version), soci::use(s.clinic), soci::use(s.pricing), soci::use(s.care), soci::use(s.saved_by),
        soci::use(s.saved_at);
    tx.commit();
    return s;
  });
  // Two writers that both read the same version: the second INSERT hits the primary key.
  if (!saved && saved.error().code == StoreError::Code::conflict)
    return store_error(StoreError::Code::stale, "the clinic's settings have been saved again since this version was read");
  return saved;
}

StoreResult<std::vector<ClinicSettings>> settings_history(Database& db, int limit) {
  return guarded("list clinic settings", [&]() -> StoreResult<std::vector<ClinicSettings>> {
    limit = std::clamp(limit, 1, 100);
    Database::Lease lease(db);
    ClinicSettings s;
    soci::statement st = (lease.sql().prepare << "SELECT version, saved_by, saved_at FROM clinic_settings"
                                                 " ORDER BY version DESC LIMIT :l",
                          soci::use(limit), soci::into(s.version), soci::into(s.saved_by), soci::into(s.saved_at));
    st.execute();
    std::vector<ClinicSettings> out;
    while (st.fetch()) out.push_back(s);
    return out;
  });
}

}  // namespace stipple::store
