// stipple/store/audit.h: the append-only audit log of access to client health data.
//
// Every entry records who (user_id) did what (action, e.g. "read") to which
// resource ("client") of which client, when and from where. Entries form a
// SHA-256 hash chain: each entry's hash covers its own fields and the previous
// entry's hash, so a changed, removed or reordered entry breaks the chain from
// there on (verify_audit_chain). The database refuses UPDATE and DELETE on the
// table (triggers, migration 3). Appends are serialised (a write transaction; on
// PostgreSQL also an advisory lock), so the chain has one order. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::store {

struct AuditEntry {
  long long seq = 0;       // the chain's order, 1, 2, 3, ...; internal (entries are named by id)
  std::string id;          // opaque
  TimeMs at = 0;
  std::string user_id;
  std::string action;      // read | create | update | override | export
  std::string resource;    // client | intake | consultation | document
  std::string client_id;   // "" when the entry names no client
  std::string ip;
  std::string prev_hash;   // the previous entry's hash; 64 zeros for the first
  std::string hash;        // audit_entry_hash(*this)
  std::string detail;      // "" or a few words the action needs, e.g. an override's reason (migration 4)
};

struct NewAuditEntry {
  std::string user_id, action, resource, client_id, ip;
  std::string detail = {};  // "" or, e.g., the reason of an override (at most a few KiB)
};

// The SHA-256 (hex) of an entry's fields other than `hash`, each length-prefixed
// so no two different entries hash the same input; `detail` only when it is
// not empty (entries from before migration 4 have none).
std::string audit_entry_hash(const AuditEntry& e);

// Appends an entry at `now`; returns it with its seq, id and hashes.
StoreResult<AuditEntry> append_audit(Database& db, const NewAuditEntry& entry, TimeMs now);

// The entries naming `client_id`, newest first, at most `limit` (1..1000).
StoreResult<std::vector<AuditEntry>> audit_for_client(Database& db, std::string_view client_id, int limit);

struct AuditChainCheck {
  long long entries = 0;      // how many were checked
  long long first_bad_seq = 0;  // 0 when the whole chain holds
};

// Recomputes the whole chain, in order.
StoreResult<AuditChainCheck> verify_audit_chain(Database& db);

}  // namespace stipple::store
