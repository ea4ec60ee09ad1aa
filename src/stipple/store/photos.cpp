#include "stipple/store/photos.h"

#include <algorithm>

#include <soci/soci.h>

namespace stipple::store {

namespace {

constexpr std::string_view kColumns =
    "id, client_id, kind, camera_view, session_number, taken_on, content_type, width, height, size, sha256, path, thumbnail_path,"
    " source_type, created_by, created_at";

// Binds the columns of kColumns, in order, into `p`.
void into_photo(soci::details::prepare_temp_type& st, Photo& p) {
  st, soci::into(p.id), soci::into(p.client_id), soci::into(p.kind), soci::into(p.view), soci::into(p.session),
      soci::into(p.taken_on), soci::into(p.content_type), soci::into(p.width), soci::into(p.height), soci::into(p.size),
      soci::into(p.sha256), soci::into(p.path), soci::into(p.thumbnail_path), soci::into(p.source_type),
      soci::into(p.created_by), soci::into(p.created_at);
}

}  // namespace

StoreResult<Photo> create_photo(Database& db, const Photo& p) {
  return guarded("create photo", [&]() -> StoreResult<Photo> {
    Database::Lease lease(db);
    Database::WriteTransaction tx(lease, db.backend());
    long long clients = 0;
    lease.sql() << "SELECT COUNT(*) FROM clients WHERE id = :id", soci::use(p.client_id), soci::into(clients);
    if (clients == 0) return store_error(StoreError::Code::not_found, "no such client");
    lease.sql() << "INSERT INTO photos (" + std::string(kColumns) +
                       ") VALUES (:id, :c, :k, :v, :s, :t, :ct, :w, :h, :sz, :sha, :p, :tp, :st, :by, :at)",
        soci::use(p.id), soci::use(p.client_id), soci::use(p.kind), soci::use(p.view), soci::use(p.session),
        soci::use(p.taken_on), soci::use(p.content_type), soci::use(p.width), soci::use(p.height), soci::use(p.size),
        soci::use(p.sha256), soci::use(p.path), soci::use(p.thumbnail_path), soci::use(p.source_type),
        soci::use(p.created_by), soci::use(p.created_at);
    tx.commit();
    return p;
  });
}

StoreResult<Photo> find_photo(Database& db, std::string_view id_view) {
  return guarded("find photo", [&]() -> StoreResult<Photo> {
    const std::string id(id_view);
    Photo p;
    Database::Lease lease(db);
    soci::details::prepare_temp_type st = (lease.sql().prepare << "SELECT " + std::string(kColumns) + " FROM photos WHERE id = :id", soci::use(id));
    into_photo(st, p);
    soci::statement s(st);
    if (!s.execute(true)) return store_error(StoreError::Code::not_found, "no such photo");
    return p;
  });
}

StoreResult<std::vector<Photo>> photos_of_client(Database& db, std::string_view client_view, int limit) {
  return guarded("list photos", [&]() -> StoreResult<std::vector<Photo>> {
    limit = std::clamp(limit, 1, 500);
    const std::string client_id(client_view);
    Photo p;
    Database::Lease lease(db);
    soci::details::prepare_temp_type st =
        (lease.sql().prepare << "SELECT " + std::string(kColumns) +
                                    " FROM photos WHERE client_id = :c ORDER BY created_at DESC, id DESC LIMIT :l",
         soci::use(client_id), soci::use(limit));
    into_photo(st, p);
    soci::statement s(st);
    s.execute();
    std::vector<Photo> out;
    while (s.fetch()) out.push_back(p);
    return out;
  });
}

}  // namespace stipple::store
