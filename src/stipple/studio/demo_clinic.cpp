#include "stipple/studio/demo_clinic.h"

#include <chrono>

#include <fmt/format.h>

#include "stipple/store/audit.h"
#include "stipple/store/clients.h"

namespace stipple::studio {

namespace {

struct DemoClient {
  const char* name;
  const char* sex;
  int age;  // the age of the client's example intake (docs/examples)
  const char* email;
  const char* phone;
  const char* notes;
};

// The clients of docs/examples/*.intake.json, with what a front desk would have written.
constexpr DemoClient kClients[] = {
    {"Daniel Reyes", "male", 38, "daniel.reyes@example.com", "+44 20 7946 0101",
     "Norwood IV, wants the shaved look; Fitzpatrick III, dark brown hair. The bundled sample client."},
    {"Helen Morris", "female", 47, "helen.morris@example.com", "+44 20 7946 0102",
     "Diffuse thinning over the crown (Ludwig II); keeps her hair long: density look."},
    {"Owen Clarke", "male", 44, "owen.clarke@example.com", "+44 20 7946 0103",
     "FUT strip scar from a 2019 transplant; asks about scar camouflage."},
    {"Martin Keller", "male", 57, "martin.keller@example.com", "+44 20 7946 0104",
     "Extensive loss (Norwood VI); grey at the sides."},
    {"Priya Nair", "female", 35, "priya.nair@example.com", "+44 20 7946 0105",
     "Sudden round patches this year: seen by her GP, not yet by a dermatologist."},
    {"Samuel Okafor", "male", 50, "samuel.okafor@example.com", "+44 20 7946 0106",
     "Keloid scars on the chest and ears; came for a consultation about the crown."},
};

// A date of birth that makes `age` today: the day `age` years and 100 days ago.
std::string date_of_birth(int age, store::TimeMs now) {
  using namespace std::chrono;
  const sys_days today = floor<days>(sys_time<milliseconds>(milliseconds(now)));
  const year_month_day d{today - days(100)};
  const year_month_day born{d.year() - years(age), d.month(), d.day() == day(29) && d.month() == February ? day(28) : d.day()};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(born.year()), static_cast<unsigned>(born.month()),
                     static_cast<unsigned>(born.day()));
}

}  // namespace

const std::vector<DemoLogin>& demo_logins() {
  static const std::vector<DemoLogin> logins = {
      {store::Role::owner, "owner@demo.example", "demo-owner-2026", "Maya Lindqvist"},
      {store::Role::practitioner, "practitioner@demo.example", "demo-practitioner-2026", "Theo Marsh"},
      {store::Role::front_desk, "desk@demo.example", "demo-desk-2026", "Rosa Delgado"},
  };
  return logins;
}

store::StoreResult<DemoClinic> seed_demo_clinic(store::Database& db, store::TimeMs now) {
  DemoClinic out;
  std::string owner_id;
  for (const DemoLogin& login : demo_logins()) {
    auto existing = store::find_user_by_email(db, login.email);
    if (!existing) return std::unexpected(existing.error());
    std::string id;
    if (*existing) {
      id = (*existing)->id;
      if (auto p = store::set_password(db, id, login.password); !p) return std::unexpected(p.error());
      if (auto e = store::set_user_disabled(db, id, false); !e) return std::unexpected(e.error());
    } else {
      auto u = store::create_user(db, {login.email, login.name, login.role, login.password});
      if (!u) return std::unexpected(u.error());
      id = u->id;
    }
    if (login.role == store::Role::owner) owner_id = id;
    out.logins.push_back(login);
  }
  for (const DemoClient& c : kClients) {
    auto found = store::search_clients(db, c.name, 100);
    if (!found) return std::unexpected(found.error());
    bool there = false;
    for (const store::Client& f : *found) there = there || f.name == c.name;
    if (there) {
      ++out.clients_kept;
      continue;
    }
    store::Client in;
    in.name = c.name;
    in.sex = c.sex;
    in.email = c.email;
    in.phone = c.phone;
    in.notes = c.notes;
    in.date_of_birth = date_of_birth(c.age, now);
    auto made = store::create_client(db, in, now);
    if (!made) return std::unexpected(made.error());
    if (auto a = store::append_audit(db, {owner_id, "create", "client", made->id, "stipple admin demo"}, now); !a)
      return std::unexpected(a.error());
    ++out.clients_created;
  }
  return out;
}

}  // namespace stipple::studio
