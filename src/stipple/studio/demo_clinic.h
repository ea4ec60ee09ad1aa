// stipple/studio/demo_clinic.h: the demo clinic `make demo` serves (`stipple admin demo`).
//
// Three staff accounts, one of each role, with known demo passwords, and the
// clients of docs/examples (the bundled sample client, Daniel Reyes, and five
// others at other stages: a thinning woman, a FUT scar, extensive loss, a
// referral, a decline), each with a date of birth that gives the example's age
// today. Seeding again updates instead of duplicating: an account that exists
// gets its demo password back (its sessions end), a client found by name is
// left as it is. Every client written is in the audit log, written by the owner
// from "stipple admin demo". Meant for a demo database only: the passwords are
// printed and public.
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
};

// The demo accounts, in the order they are printed.
const std::vector<DemoLogin>& demo_logins();

// Creates or updates the demo clinic in a migrated database at `now`.
store::StoreResult<DemoClinic> seed_demo_clinic(store::Database& db, store::TimeMs now);

}  // namespace stipple::studio
