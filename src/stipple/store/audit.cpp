#include "stipple/store/audit.h"

#include <algorithm>

#include <soci/soci.h>

#include "stipple/store/crypto.h"

namespace stipple::store {

namespace {

const std::string kGenesis(64, '0');
constexpr std::string_view kPgAuditLock = "SELECT pg_advisory_xact_lock(32199672297189478)";
constexpr std::string_view kColumns = "seq, id, at, user_id, action, resource, client_id, ip, prev_hash, hash, detail";

void field(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
  out += '\n';
}

}  // namespace

std::string audit_entry_hash(const AuditEntry& e) {
  std::string in = "stipple.audit/1\n";
  field(in, std::to_string(e.seq));
  field(in, e.id);
  field(in, std::to_string(e.at));
  field(in, e.user_id);
  field(in, e.action);
  field(in, e.resource);
  field(in, e.client_id);
  field(in, e.ip);
  field(in, e.prev_hash);
  // Added in migration 4: hashed only when there is one, so the entries
  // written before it keep the hashes they were chained with.
  if (!e.detail.empty()) field(in, e.detail);
  return sha256_hex(in);
}

StoreResult<AuditEntry> append_audit(Database& db, const NewAuditEntry& in, TimeMs now) {
  init_crypto();
  return guarded("append audit entry", [&]() -> StoreResult<AuditEntry> {
    Database::Lease lease(db);
    soci::session& sql = lease.sql();
    Database::WriteTransaction tx(lease, db.backend());
    if (db.backend() == Backend::postgresql) sql << kPgAuditLock;
    long long last_seq = 0;
    std::string last_hash;
    sql << "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", soci::into(last_seq), soci::into(last_hash);
    const bool first = !sql.got_data();
    AuditEntry e;
    e.seq = first ? 1 : last_seq + 1;
    e.id = random_id();
    e.at = now;
    e.user_id = in.user_id;
    e.action = in.action;
    e.resource = in.resource;
    e.client_id = in.client_id;
    e.ip = in.ip;
    e.detail = in.detail;
    e.prev_hash = first ? kGenesis : last_hash;
    e.hash = audit_entry_hash(e);
    sql << "INSERT INTO audit_log (" + std::string(kColumns) +
               ") VALUES (:seq, :id, :at, :user, :action, :resource, :client, :ip, :prev, :hash, :detail)",
        soci::use(e.seq), soci::use(e.id), soci::use(e.at), soci::use(e.user_id), soci::use(e.action),
        soci::use(e.resource), soci::use(e.client_id), soci::use(e.ip), soci::use(e.prev_hash), soci::use(e.hash), soci::use(e.detail);
    tx.commit();
    return e;
  });
}

namespace {

// A statement that selects kColumns into `e`; the caller adds uses, prepares and fetches.
soci::statement select_entries(soci::session& sql, AuditEntry& e) {
  soci::statement st(sql);
  st.alloc();
  st.exchange(soci::into(e.seq));
  st.exchange(soci::into(e.id));
  st.exchange(soci::into(e.at));
  st.exchange(soci::into(e.user_id));
  st.exchange(soci::into(e.action));
  st.exchange(soci::into(e.resource));
  st.exchange(soci::into(e.client_id));
  st.exchange(soci::into(e.ip));
  st.exchange(soci::into(e.prev_hash));
  st.exchange(soci::into(e.hash));
  st.exchange(soci::into(e.detail));
  return st;
}

}  // namespace

StoreResult<std::vector<AuditEntry>> audit_for_client(Database& db, std::string_view client_view, int limit) {
  return guarded("read audit log", [&]() -> StoreResult<std::vector<AuditEntry>> {
    limit = std::clamp(limit, 1, 1000);
    const std::string client_id(client_view);
    const std::string query =
        "SELECT " + std::string(kColumns) + " FROM audit_log WHERE client_id = :c ORDER BY seq DESC LIMIT :l";
    Database::Lease lease(db);
    AuditEntry e;
    soci::statement st = select_entries(lease.sql(), e);
    st.exchange(soci::use(client_id));
    st.exchange(soci::use(limit));
    st.prepare(query);
    st.define_and_bind();
    st.execute();
    std::vector<AuditEntry> out;
    while (st.fetch()) out.push_back(e);
    return out;
  });
}

StoreResult<AuditChainCheck> verify_audit_chain(Database& db) {
  return guarded("verify audit log", [&]() -> StoreResult<AuditChainCheck> {
    const std::string query = "SELECT " + std::string(kColumns) + " FROM audit_log ORDER BY seq";
    Database::Lease lease(db);
    AuditEntry e;
    soci::statement st = select_entries(lease.sql(), e);
    st.prepare(query);
    st.define_and_bind();
    st.execute();
    AuditChainCheck check;
    std::string prev = kGenesis;
    long long expected_seq = 1;
    while (st.fetch()) {
      ++check.entries;
      if (check.first_bad_seq == 0 && (e.seq != expected_seq || e.prev_hash != prev || audit_entry_hash(e) != e.hash))
        check.first_bad_seq = expected_seq;
      prev = e.hash;
      expected_seq = e.seq + 1;
    }
    return check;
  });
}

}  // namespace stipple::store
