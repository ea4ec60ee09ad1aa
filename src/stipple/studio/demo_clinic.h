// stipple/studio/demo_clinic.h: the demo clinic `make demo` serves (`stipple admin demo`).
//
// Three staff accounts, one of each role, with known demo passwords, and the
// clients of docs/examples, each with a date of birth that gives the example's
// age today, at different stages: the bundled sample client (Daniel Reyes) with
// his intake, a consultation and his photo from above; a thinning woman and
// extensive loss with an intake taken; a FUT scar only registered; a referral
// and a decline with a consultation each. The consultations are queued here
// (sessions from two weeks on) and run by the studio's own job queue (the CLI
// runs them to the end before serving). Seeding again updates instead of
// duplicating: an account that exists gets its demo password back (its
// sessions end), a client found by name is left as it is. Everything written is
// in the audit log, from "stipple admin demo". Meant for a demo database only:
// the passwords are printed and public.
#pragma once

#include <string>
#include <vector>

#include "stipple/store/database.h"
#include "stipple/store/users.h"

namespace stipple::studio {

struct DemoLogin {
  store::Role role;
  std::string email;
  std::string password;
  std::string name;
};

struct DemoClinic {
  std::vector<DemoLogin> logins;  // owner, practitioner, front desk
  int clients_created = 0;
  int clients_kept = 0;           // already there (found by name)
  std::vector<std::string> consultations;  // queued, to run
  int appointments_booked = 0;  // the diary's week, for the clients added now
  int credentials_recorded = 0;  // the staff's and the clinic's, when none were recorded
  int consents_signed = 0;       // by the clients added now who gave an intake
  int lots_recorded = 0;         // pigment, needle and numbing lots, when none were recorded
  int charts_signed = 0;         // the treated client's sessions 1 and 2
};

// The bundled sample client's intake (docs/examples/sample-client.intake.json,
// built into the program): Daniel Reyes, 38, Norwood V, wants the shaved look.
std::string_view sample_client_intake_json();

// The demo accounts, in the order they are printed.
const std::vector<DemoLogin>& demo_logins();

// Creates or updates the demo clinic in a migrated database at `now`; the
// photo's files go into `data_dir` (the studio's --data).
store::StoreResult<DemoClinic> seed_demo_clinic(store::Database& db, store::TimeMs now, const std::string& data_dir);

}  // namespace stipple::studio
