// stipple/store/consents.h: consent templates and the consents clients sign.
//
// A template is one version of the clinic's text for one kind of consent
// (kConsentKinds): saving a changed text makes the next version, and no
// version is ever changed or deleted (migration 10). A signed consent is an
// immutable snapshot of what was signed: the exact text with its SHA-256, the
// template's kind and version, when, the signer's typed name, the drawn
// signature (a PNG in the studio's data folder, its size and SHA-256 in the
// row, written before the row), the device's address and browser, and the
// staff member who was signed in. The only change a consent takes is its
// withdrawal, once (when, by whom, why), after which it is kept and shown
// withdrawn. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::store {

// The kinds (issue 21; brief section 11 "Records": each record holds the
// signed consent): the treatment itself, clinical photos kept in the record,
// and the marketing use of those photos.
inline constexpr std::string_view kConsentKinds[] = {"treatment", "clinical_photos", "marketing_photos"};

struct ConsentTemplate {
  std::string id;
  std::string kind;     // one of kConsentKinds
  int version = 0;      // 1, 2, ... within its kind
  std::string title;
  std::string body;     // the text as the client reads it (plain text, paragraphs by blank lines)
  std::string sha256;   // of `body`
  std::string created_by;
  TimeMs created_at = 0;
};

struct Consent {
  std::string id;
  std::string client_id;
  std::string template_id;
  std::string kind;
  int version = 0;
  std::string title, text;   // the template's, as signed
  std::string text_sha256;   // of `text`
  std::string signer_name;   // typed by the signer
  std::string signature_path;     // the drawn signature, relative to the data folder (a PNG)
  long long signature_size = 0;
  std::string signature_sha256;
  std::string ip, user_agent;     // the device it was signed on
  std::string witnessed_by;       // the signed-in staff member (a user)
  TimeMs signed_at = 0;
  std::optional<TimeMs> withdrawn_at;
  std::string withdrawn_by, withdraw_reason;  // "" unless withdrawn
};

// Saves `body` as the next version of `kind` (version, sha256, id and
// created_at assigned). Errors: stale when another save of the kind won the
// version number first (read again and retry).
StoreResult<ConsentTemplate> add_consent_template(Database& db, std::string_view kind, std::string_view title,
                                                  std::string_view body, std::string_view created_by, TimeMs now);

// Errors: not_found.
StoreResult<ConsentTemplate> find_consent_template(Database& db, std::string_view id);

// Every version, newest version first within each kind, kinds in kConsentKinds order.
StoreResult<std::vector<ConsentTemplate>> list_consent_templates(Database& db);

// The newest version of `kind`, nothing when the clinic has none.
StoreResult<std::optional<ConsentTemplate>> latest_consent_template(Database& db, std::string_view kind);

// Records a signed consent (id assigned; kind, version, title, text and its
// hash copied from the template; withdrawal cleared). Errors: not_found for a
// template or client that does not exist; stale when the template is not the
// newest version of its kind (a newer text is to be signed).
StoreResult<Consent> record_consent(Database& db, const Consent& in);

// Errors: not_found.
StoreResult<Consent> find_consent(Database& db, std::string_view id);

// The client's consents, newest signed first (by signed_at, then id, both descending).
StoreResult<std::vector<Consent>> consents_of(Database& db, std::string_view client_id);

// The consents of `kind` in force: for each client, the newest one they
// signed of that kind when it is not withdrawn, by client id.
StoreResult<std::vector<Consent>> consents_in_force(Database& db, std::string_view kind);

// Withdraws a consent. Errors: not_found; stale when withdrawn already.
StoreResult<Consent> withdraw_consent(Database& db, std::string_view id, std::string_view by, std::string_view reason, TimeMs now);

}  // namespace stipple::store
