#include "stipple/store/consents.h"

#include <algorithm>

#include <soci/soci.h>

#include "stipple/store/crypto.h"

namespace stipple::store {

namespace {

constexpr std::string_view kTemplateColumns = "id, kind, version, title, body, sha256, created_by, created_at";
constexpr std::string_view kConsentColumns =
    "id, client_id, template_id, kind, version, title, text, text_sha256, signer_name, signature_path, signature_size,"
    " signature_sha256, ip, user_agent, witnessed_by, signed_at, withdrawn_at, withdrawn_by, withdraw_reason";

void exchange(soci::statement& st, ConsentTemplate& t) {
  st.exchange(soci::into(t.id));
  st.exchange(soci::into(t.kind));
  st.exchange(soci::into(t.version));
  st.exchange(soci::into(t.title));
  st.exchange(soci::into(t.body));
  st.exchange(soci::into(t.sha256));
  st.exchange(soci::into(t.created_by));
  st.exchange(soci::into(t.created_at));
}

struct ConsentRow {
  Consent c;
  long long withdrawn_at = 0;
  soci::indicator withdrawn = soci::i_ok;
  Consent done() const {
    Consent out = c;
    if (withdrawn == soci::i_ok) out.withdrawn_at = withdrawn_at;
    return out;
  }
};

void exchange(soci::statement& st, ConsentRow& r) {
  st.exchange(soci::into(r.c.id));
  st.exchange(soci::into(r.c.client_id));
  st.exchange(soci::into(r.c.template_id));
  st.exchange(soci::into(r.c.kind));
  st.exchange(soci::into(r.c.version));
  st.exchange(soci::into(r.c.title));
  st.exchange(soci::into(r.c.text));
  st.exchange(soci::into(r.c.text_sha256));
  st.exchange(soci::into(r.c.signer_name));
  st.exchange(soci::into(r.c.signature_path));
  st.exchange(soci::into(r.c.signature_size));
  st.exchange(soci::into(r.c.signature_sha256));
  st.exchange(soci::into(r.c.ip));
  st.exchange(soci::into(r.c.user_agent));
  st.exchange(soci::into(r.c.witnessed_by));
  st.exchange(soci::into(r.c.signed_at));
  st.exchange(soci::into(r.withdrawn_at, r.withdrawn));
  st.exchange(soci::into(r.c.withdrawn_by));
  st.exchange(soci::into(r.c.withdraw_reason));
}

std::optional<ConsentTemplate> read_template(soci::session& sql, const std::string& id) {
  ConsentTemplate t;
  soci::statement st(sql);
  st.alloc();
  exchange(st, t);
  st.exchange(soci::use(id));
  st.prepare("SELECT " + std::string(kTemplateColumns) + " FROM consent_templates WHERE id = :id");
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  return t;
}

std::optional<Consent> read_consent(soci::session& sql, const std::string& id) {
  ConsentRow r;
  soci::statement st(sql);
  st.alloc();
  exchange(st, r);
  st.exchange(soci::use(id));
  st.prepare("SELECT " + std::string(kConsentColumns) + " FROM consents WHERE id = :id");
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  return r.done();
}

int newest_version(soci::session& sql, const std::string& kind) {
  int v = 0;
  soci::indicator ind = soci::i_ok;
  sql << "SELECT MAX(version) FROM consent_templates WHERE kind = :k", soci::into(v, ind), soci::use(kind);
  return ind == soci::i_ok ? v : 0;
}

std::size_t kind_order(const std::string& kind) {
  const auto* it = std::find(std::begin(kConsentKinds), std::end(kConsentKinds), kind);
  return static_cast<std::size_t>(it - std::begin(kConsentKinds));
}

}  // namespace

StoreResult<ConsentTemplate> add_consent_template(Database& db, std::string_view kind, std::string_view title,
                                                  std::string_view body, std::string_view created_by, TimeMs now) {
  init_crypto();
  return guarded("add consent template", [&]() -> StoreResult<ConsentTemplate> {
    ConsentTemplate t{random_id(), std::string(kind), 0, std::string(title), std::string(body), sha256_hex(body),
                      std::string(created_by), now};
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    t.version = newest_version(sql, t.kind) + 1;
    sql << "INSERT INTO consent_templates (id, kind, version, title, body, sha256, created_by, created_at)"
           " VALUES (:id, :kind, :v, :title, :body, :sha, :by, :at)",
        soci::use(t.id), soci::use(t.kind), soci::use(t.version), soci::use(t.title), soci::use(t.body), soci::use(t.sha256),
        soci::use(t.created_by), soci::use(t.created_at);
    tx.commit();
    return t;
  });
}

StoreResult<ConsentTemplate> find_consent_template(Database& db, std::string_view id) {
  return guarded("find consent template", [&]() -> StoreResult<ConsentTemplate> {
    Database::Lease lease(db);
    auto t = read_template(lease.sql(), std::string(id));
    if (!t) return store_error(StoreError::Code::not_found, "no such consent template");
    return *t;
  });
}

StoreResult<std::vector<ConsentTemplate>> list_consent_templates(Database& db) {
  return guarded("list consent templates", [&]() -> StoreResult<std::vector<ConsentTemplate>> {
    Database::Lease lease(db);
    ConsentTemplate t;
    soci::statement st(lease.sql());
    st.alloc();
    exchange(st, t);
    st.prepare("SELECT " + std::string(kTemplateColumns) + " FROM consent_templates ORDER BY kind, version DESC");
    st.define_and_bind();
    st.execute();
    std::vector<ConsentTemplate> out;
    while (st.fetch()) out.push_back(t);
    std::stable_sort(out.begin(), out.end(), [](const ConsentTemplate& a, const ConsentTemplate& b) { return kind_order(a.kind) < kind_order(b.kind); });
    return out;
  });
}

StoreResult<std::optional<ConsentTemplate>> latest_consent_template(Database& db, std::string_view kind_view) {
  return guarded("latest consent template", [&]() -> StoreResult<std::optional<ConsentTemplate>> {
    const std::string kind(kind_view);
    Database::Lease lease(db);
    std::string id;
    soci::indicator ind = soci::i_ok;
    lease.sql() << "SELECT id FROM consent_templates WHERE kind = :k ORDER BY version DESC LIMIT 1", soci::into(id, ind), soci::use(kind);
    if (!lease.sql().got_data() || ind != soci::i_ok) return std::optional<ConsentTemplate>{};
    return read_template(lease.sql(), id);
  });
}

StoreResult<Consent> record_consent(Database& db, const Consent& in) {
  init_crypto();
  return guarded("record consent", [&]() -> StoreResult<Consent> {
    Consent c = in;
    c.id = random_id();
    c.withdrawn_at.reset();
    c.withdrawn_by.clear();
    c.withdraw_reason.clear();
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    auto t = read_template(sql, c.template_id);
    if (!t) return store_error(StoreError::Code::not_found, "no such consent template");
    if (newest_version(sql, t->kind) != t->version)
      return store_error(StoreError::Code::stale, "a newer version of the consent's text is to be signed");
    c.kind = t->kind;
    c.version = t->version;
    c.title = t->title;
    c.text = t->body;
    c.text_sha256 = t->sha256;
    sql << "INSERT INTO consents (id, client_id, template_id, kind, version, title, text, text_sha256, signer_name, signature_path,"
           " signature_size, signature_sha256, ip, user_agent, witnessed_by, signed_at, withdrawn_by, withdraw_reason)"
           " VALUES (:id, :client, :template, :kind, :v, :title, :text, :sha, :signer, :path, :size, :sigsha, :ip, :ua, :by, :at, '', '')",
        soci::use(c.id), soci::use(c.client_id), soci::use(c.template_id), soci::use(c.kind), soci::use(c.version), soci::use(c.title),
        soci::use(c.text), soci::use(c.text_sha256), soci::use(c.signer_name), soci::use(c.signature_path), soci::use(c.signature_size),
        soci::use(c.signature_sha256), soci::use(c.ip), soci::use(c.user_agent), soci::use(c.witnessed_by), soci::use(c.signed_at);
    tx.commit();
    return c;
  });
}

StoreResult<Consent> find_consent(Database& db, std::string_view id) {
  return guarded("find consent", [&]() -> StoreResult<Consent> {
    Database::Lease lease(db);
    auto c = read_consent(lease.sql(), std::string(id));
    if (!c) return store_error(StoreError::Code::not_found, "no such consent");
    return *c;
  });
}

StoreResult<std::vector<Consent>> consents_of(Database& db, std::string_view client_view) {
  return guarded("list consents", [&]() -> StoreResult<std::vector<Consent>> {
    const std::string client(client_view);
    Database::Lease lease(db);
    ConsentRow r;
    soci::statement st(lease.sql());
    st.alloc();
    exchange(st, r);
    st.exchange(soci::use(client));
    st.prepare("SELECT " + std::string(kConsentColumns) + " FROM consents WHERE client_id = :c ORDER BY signed_at DESC, id DESC");
    st.define_and_bind();
    st.execute();
    std::vector<Consent> out;
    while (st.fetch()) out.push_back(r.done());
    return out;
  });
}

StoreResult<std::vector<Consent>> consents_in_force(Database& db, std::string_view kind_view) {
  return guarded("consents in force", [&]() -> StoreResult<std::vector<Consent>> {
    const std::string kind(kind_view);
    Database::Lease lease(db);
    ConsentRow r;
    soci::statement st(lease.sql());
    st.alloc();
    exchange(st, r);
    st.exchange(soci::use(kind));
    std::string columns(kConsentColumns);
    std::string prefixed;
    for (std::size_t i = 0; i < columns.size();) {  // "c." before each column
      const std::size_t j = std::min(columns.find(',', i), columns.size());
      std::string name = columns.substr(i, j - i);
      name.erase(0, name.find_first_not_of(' '));
      prefixed += (prefixed.empty() ? "c." : ", c.") + name;
      i = j + 1;
    }
    st.prepare("SELECT " + prefixed + " FROM consents c WHERE c.kind = :k AND c.withdrawn_at IS NULL AND NOT EXISTS"
               " (SELECT 1 FROM consents n WHERE n.client_id = c.client_id AND n.kind = c.kind"
               " AND (n.signed_at > c.signed_at OR (n.signed_at = c.signed_at AND n.id > c.id)))"
               " ORDER BY c.client_id");
    st.define_and_bind();
    st.execute();
    std::vector<Consent> out;
    while (st.fetch()) out.push_back(r.done());
    return out;
  });
}

StoreResult<Consent> withdraw_consent(Database& db, std::string_view id_view, std::string_view by_view, std::string_view reason_view,
                                      TimeMs now) {
  return guarded("withdraw consent", [&]() -> StoreResult<Consent> {
    const std::string id(id_view), by(by_view), reason(reason_view);
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    auto c = read_consent(sql, id);
    if (!c) return store_error(StoreError::Code::not_found, "no such consent");
    if (c->withdrawn_at) return store_error(StoreError::Code::stale, "the consent was withdrawn already");
    soci::statement st = (sql.prepare << "UPDATE consents SET withdrawn_at = :at, withdrawn_by = :by, withdraw_reason = :why"
                                         " WHERE id = :id AND withdrawn_at IS NULL",
                          soci::use(now), soci::use(by), soci::use(reason), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() != 1) return store_error(StoreError::Code::stale, "the consent was withdrawn already");
    tx.commit();
    c->withdrawn_at = now;
    c->withdrawn_by = by;
    c->withdraw_reason = reason;
    return *c;
  });
}

}  // namespace stipple::store
