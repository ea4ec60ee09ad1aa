#include "stipple/store/intakes.h"

#include <algorithm>

#include <soci/soci.h>

#include "stipple/store/crypto.h"

namespace stipple::store {

namespace {

bool client_exists(soci::session& sql, const std::string& id) {
  long long n = 0;
  sql << "SELECT COUNT(*) FROM clients WHERE id = :id", soci::use(id), soci::into(n);
  return n > 0;
}

}  // namespace

StoreResult<StoredIntake> create_intake(Database& db, std::string_view client_id, std::string_view document,
                                        std::string_view created_by, TimeMs now) {
  init_crypto();
  return guarded("create intake", [&]() -> StoreResult<StoredIntake> {
    StoredIntake in{random_id(), std::string(client_id), std::string(document), std::string(created_by), now};
    Database::Lease lease(db);
    Database::WriteTransaction tx(lease, db.backend());
    if (!client_exists(lease.sql(), in.client_id)) return store_error(StoreError::Code::not_found, "no such client");
    lease.sql() << "INSERT INTO intakes (id, client_id, document, created_by, created_at) VALUES (:id, :c, :d, :by, :at)",
        soci::use(in.id), soci::use(in.client_id), soci::use(in.document), soci::use(in.created_by), soci::use(in.created_at);
    tx.commit();
    return in;
  });
}

StoreResult<StoredIntake> find_intake(Database& db, std::string_view id_view) {
  return guarded("find intake", [&]() -> StoreResult<StoredIntake> {
    const std::string id(id_view);
    StoredIntake in;
    Database::Lease lease(db);
    lease.sql() << "SELECT id, client_id, document, created_by, created_at FROM intakes WHERE id = :id", soci::use(id),
        soci::into(in.id), soci::into(in.client_id), soci::into(in.document), soci::into(in.created_by),
        soci::into(in.created_at);
    if (!lease.sql().got_data()) return store_error(StoreError::Code::not_found, "no such intake");
    return in;
  });
}

StoreResult<std::vector<StoredIntake>> intakes_of_client(Database& db, std::string_view client_view, int limit) {
  return guarded("list intakes", [&]() -> StoreResult<std::vector<StoredIntake>> {
    limit = std::clamp(limit, 1, 100);
    const std::string client_id(client_view);
    Database::Lease lease(db);
    StoredIntake in;
    soci::statement st = (lease.sql().prepare << "SELECT id, client_id, created_by, created_at FROM intakes WHERE client_id = :c"
                                                 " ORDER BY created_at DESC, id DESC LIMIT :l",
                          soci::use(client_id), soci::use(limit), soci::into(in.id), soci::into(in.client_id),
                          soci::into(in.created_by), soci::into(in.created_at));
    st.execute();
    std::vector<StoredIntake> out;
    while (st.fetch()) out.push_back(in);
    return out;
  });
}

}  // namespace stipple::store
