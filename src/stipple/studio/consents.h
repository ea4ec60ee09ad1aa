// stipple/studio/consents.h: a client's consent of one kind, as the diary's
// gate and the photos' upload read it (consents.cpp has the handlers).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "stipple/store/consents.h"

namespace stipple::studio {

struct ConsentState {
  std::optional<store::Consent> consent;  // the newest the client signed of the kind, withdrawn or not
  int latest_version = 0;                 // the clinic's newest text of the kind; 0: it has none
  // Signed, not withdrawn, on the newest text.
  bool current() const { return consent && !consent->withdrawn_at && consent->version == latest_version; }
  // Signed and not withdrawn, on any version.
  bool standing() const { return consent && !consent->withdrawn_at; }
};

// Stores a signature's PNG in the data folder (consents/CLIENT/ID.png, written
// whole or not at all), then the consent's row naming it (its size and SHA-256
// set here); the file is removed again when the row is refused. Errors as
// store::record_consent's; internal when the file cannot be written.
store::StoreResult<store::Consent> save_consent(store::Database& db, const std::string& data_dir, std::string_view png, store::Consent c);

// Nothing when the store cannot be read.
std::optional<ConsentState> current_consent(store::Database& db, std::string_view client_id, std::string_view kind);

}  // namespace stipple::studio
