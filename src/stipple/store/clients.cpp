#include "stipple/store/clients.h"

#include <algorithm>

#include <fmt/format.h>
#include <soci/soci.h>

#include "stipple/store/crypto.h"
#include "stipple/store/text.h"

namespace stipple::store {

namespace {

constexpr int kMaxLimit = 100;
constexpr std::size_t kMaxTerms = 8;
constexpr std::string_view kColumns =
    "id, name, email, phone, date_of_birth, sex, notes, created_at, updated_at, version";

std::string search_text(const Client& c) { return fold_case(c.name) + "\n" + fold_case(c.email) + "\n" + digits_of(c.phone); }

bool phone_like(std::string_view q) {
  return !digits_of(q).empty() && std::all_of(q.begin(), q.end(), [](char ch) {
           return (ch >= '0' && ch <= '9') || ch == ' ' || ch == '+' || ch == '-' || ch == '(' || ch == ')' || ch == '.';
         });
}

std::vector<std::string> terms(std::string_view q) {
  if (phone_like(q)) return {digits_of(q)};
  std::vector<std::string> out;
  const std::string folded = fold_case(q);
  std::size_t i = 0;
  while (i < folded.size() && out.size() < kMaxTerms) {
    while (i < folded.size() && (folded[i] == ' ' || folded[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < folded.size() && folded[j] != ' ' && folded[j] != '\t') ++j;
    if (j > i) out.push_back(folded.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<Client> read_client(soci::session& sql, const std::string& id) {
  Client c;
  sql << "SELECT " + std::string(kColumns) + " FROM clients WHERE id = :id", soci::into(c.id), soci::into(c.name),
      soci::into(c.email), soci::into(c.phone), soci::into(c.date_of_birth), soci::into(c.sex), soci::into(c.notes),
      soci::into(c.created_at), soci::into(c.updated_at), soci::into(c.version), soci::use(id);
  if (!sql.got_data()) return std::nullopt;
  return c;
}

}  // namespace

StoreResult<Client> create_client(Database& db, const Client& in, TimeMs now) {
  init_crypto();
  return guarded("create client", [&]() -> StoreResult<Client> {
    Client c = in;
    c.id = random_id();
    c.created_at = c.updated_at = now;
    c.version = 1;
    const std::string text = search_text(c), sort = fold_case(c.name);
    Database::Lease lease(db);
    lease.sql() << "INSERT INTO clients (id, name, email, phone, date_of_birth, sex, notes, search_text, sort_key,"
                   " created_at, updated_at, version)"
                   " VALUES (:id, :name, :email, :phone, :dob, :sex, :notes, :text, :sort, :c, :u, :v)",
        soci::use(c.id), soci::use(c.name), soci::use(c.email), soci::use(c.phone), soci::use(c.date_of_birth),
        soci::use(c.sex), soci::use(c.notes), soci::use(text), soci::use(sort), soci::use(c.created_at),
        soci::use(c.updated_at), soci::use(c.version);
    return c;
  });
}

StoreResult<Client> find_client(Database& db, std::string_view id_view) {
  return guarded("find client", [&]() -> StoreResult<Client> {
    Database::Lease lease(db);
    auto c = read_client(lease.sql(), std::string(id_view));
    if (!c) return store_error(StoreError::Code::not_found, "no such client");
    return *c;
  });
}

StoreResult<std::vector<Client>> search_clients(Database& db, std::string_view query, int limit) {
  return guarded("search clients", [&]() -> StoreResult<std::vector<Client>> {
    limit = std::clamp(limit, 1, kMaxLimit);
    std::vector<std::string> patterns;
    for (const std::string& t : terms(query)) patterns.push_back(fmt::format("%{}%", escape_like(t)));
    // The statement's text depends only on how many terms there are; every value is bound.
    std::string sql_text = "SELECT " + std::string(kColumns) + " FROM clients";
    for (std::size_t i = 0; i < patterns.size(); ++i)
      sql_text += (i == 0 ? " WHERE" : " AND") + std::string(" search_text LIKE :p") + std::to_string(i) + " ESCAPE '\\'";
    sql_text += " ORDER BY sort_key, id LIMIT :limit";
    Database::Lease lease(db);
    Client c;
    soci::statement st(lease.sql());
    st.alloc();
    st.exchange(soci::into(c.id));
    st.exchange(soci::into(c.name));
    st.exchange(soci::into(c.email));
    st.exchange(soci::into(c.phone));
    st.exchange(soci::into(c.date_of_birth));
    st.exchange(soci::into(c.sex));
    st.exchange(soci::into(c.notes));
    st.exchange(soci::into(c.created_at));
    st.exchange(soci::into(c.updated_at));
    st.exchange(soci::into(c.version));
    for (const std::string& p : patterns) st.exchange(soci::use(p));
    st.exchange(soci::use(limit));
    st.prepare(sql_text);
    st.define_and_bind();
    st.execute();
    std::vector<Client> out;
    while (st.fetch()) out.push_back(c);
    return out;
  });
}

StoreResult<Client> update_client(Database& db, std::string_view id_view, int expected_version,
                                  const ClientChanges& changes, TimeMs now) {
  return guarded("update client", [&]() -> StoreResult<Client> {
    const std::string id(id_view);
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    auto current = read_client(sql, id);
    if (!current) return store_error(StoreError::Code::not_found, "no such client");
    if (current->version != expected_version)
      return store_error(StoreError::Code::stale, "the client is at version " + std::to_string(current->version));
    Client c = *current;
    if (changes.name) c.name = *changes.name;
    if (changes.email) c.email = *changes.email;
    if (changes.phone) c.phone = *changes.phone;
    if (changes.date_of_birth) c.date_of_birth = *changes.date_of_birth;
    if (changes.sex) c.sex = *changes.sex;
    if (changes.notes) c.notes = *changes.notes;
    c.updated_at = now;
    c.version = current->version + 1;
    const std::string text = search_text(c), sort = fold_case(c.name);
    // The version in the WHERE clause makes the check hold even between two
    // connections that both read the old row (PostgreSQL's read committed).
    soci::statement st =
        (sql.prepare << "UPDATE clients SET name = :name, email = :email, phone = :phone, date_of_birth = :dob,"
                        " sex = :sex, notes = :notes, search_text = :text, sort_key = :sort, updated_at = :u,"
                        " version = :v WHERE id = :id AND version = :old",
         soci::use(c.name), soci::use(c.email), soci::use(c.phone), soci::use(c.date_of_birth), soci::use(c.sex),
         soci::use(c.notes), soci::use(text), soci::use(sort), soci::use(c.updated_at), soci::use(c.version),
         soci::use(c.id), soci::use(expected_version));
    st.execute(true);
    if (st.get_affected_rows() != 1)
      return store_error(StoreError::Code::stale, "the client changed while it was being updated");
    tx.commit();
    return c;
  });
}

}  // namespace stipple::store
