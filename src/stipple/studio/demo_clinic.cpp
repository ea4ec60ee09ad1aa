#include "stipple/studio/demo_clinic.h"

#include <array>
#include <chrono>
#include <map>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "stipple/photo/codec.h"

#include "stipple/store/audit.h"
#include "stipple/store/clients.h"
#include "stipple/store/consents.h"
#include "stipple/store/charts.h"
#include "stipple/store/consultations.h"
#include "stipple/store/credentials.h"
#include "stipple/store/diary.h"
#include "stipple/store/patch_tests.h"
#include "stipple/store/intakes.h"
#include "stipple/plan/plan.h"
#include "stipple/plan/time_zone.h"
#include "stipple/studio/consents.h"
#include "stipple/studio/photos.h"
#include "stipple/studio/settings.h"

namespace stipple {
// Embedded from docs/examples (CMakeLists.txt).
std::string_view embedded_sample_intake_json();
std::string_view embedded_demo_diffuse_female_json();
std::string_view embedded_demo_fut_scar_json();
std::string_view embedded_demo_extensive_loss_json();
std::string_view embedded_demo_red_flag_patches_json();
std::string_view embedded_demo_keloid_decline_json();
std::string_view embedded_demo_client_jpg();
}  // namespace stipple

namespace stipple::studio {

namespace {

// How far each client has come: registered only, an intake taken, a
// consultation run, or in treatment (sessions 1 and 2 charted weeks ago).
enum class Stage { registered, intake, consultation, treated };

struct DemoClient {
  const char* name;
  const char* sex;
  int age;  // the age of the client's example intake (docs/examples)
  const char* email;
  const char* phone;
  const char* notes;
  std::string_view (*intake)();  // the example intake
  Stage stage;
};

// The clients of docs/examples/*.intake.json, with what a front desk would have written.
const DemoClient kClients[] = {
    {"Daniel Reyes", "male", 38, "daniel.reyes@example.com", "+1 555 0101",
     "Norwood V, wants the shaved look; Fitzpatrick III, dark brown hair. The bundled sample client.",
     embedded_sample_intake_json, Stage::consultation},
    {"Helen Morris", "female", 47, "helen.morris@example.com", "+1 555 0102",
     "Diffuse thinning over the crown (Ludwig II); keeps her hair long: density look.", embedded_demo_diffuse_female_json,
     Stage::intake},
    {"Owen Clarke", "male", 44, "owen.clarke@example.com", "+1 555 0103",
     "FUT strip scar from a 2019 transplant; asks about scar camouflage.", embedded_demo_fut_scar_json, Stage::registered},
    {"Martin Keller", "male", 57, "martin.keller@example.com", "+1 555 0104",
     "Extensive loss (Norwood VII); grey at the sides.", embedded_demo_extensive_loss_json, Stage::intake},
    {"Priya Nair", "female", 35, "priya.nair@example.com", "+1 555 0105",
     "Sudden round patches this year: seen by her GP, not yet by a dermatologist.", embedded_demo_red_flag_patches_json,
     Stage::consultation},
    {"Samuel Okafor", "male", 50, "samuel.okafor@example.com", "+1 555 0106",
     "Keloid scars on the chest and ears; came for a consultation about the crown.", embedded_demo_keloid_decline_json,
     Stage::consultation},
    {"Tomas Novak", "male", 38, "tomas.novak@example.com", "+1 555 0107",
     "Norwood V, shaved look; sessions 1 and 2 done, session 3 to book.", embedded_sample_intake_json, Stage::treated},
};

// The day `days_later` days after `now`, YYYY-MM-DD (UTC).
std::string date_after(store::TimeMs now, int days_later) {
  using namespace std::chrono;
  const year_month_day d{floor<days>(sys_time<milliseconds>(milliseconds(now))) + days(days_later)};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

// A date of birth that makes `age` today: the day `age` years and 100 days ago.
std::string date_of_birth(int age, store::TimeMs now) {
  using namespace std::chrono;
  const sys_days today = floor<days>(sys_time<milliseconds>(milliseconds(now)));
  const year_month_day d{today - days(100)};
  const year_month_day born{d.year() - years(age), d.month(), d.day() == day(29) && d.month() == February ? day(28) : d.day()};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(born.year()), static_cast<unsigned>(born.month()),
                     static_cast<unsigned>(born.day()));
}

// The demo diary's week: from the clinic's next Monday, who comes when (the
// clinic's wall clock), for what, with whom and in which chair.
struct DemoBooking {
  const char* client;
  int weekday;  // 0 Monday
  int start_min, minutes;
  const char* kind;
  int session;
  bool owner;  // with the owner, else the practitioner
  int chair;   // 1 or 2
};
constexpr DemoBooking kWeek[] = {
    {"Daniel Reyes", 0, 10 * 60, 60, "consultation", 0, false, 1},
    {"Helen Morris", 0, 11 * 60 + 30, 15, "patch_test", 0, false, 2},
    {"Daniel Reyes", 1, 10 * 60, 240, "session", 1, false, 1},
    {"Owen Clarke", 2, 14 * 60, 60, "consultation", 0, true, 2},
    {"Martin Keller", 3, 12 * 60, 60, "consultation", 0, false, 1},
    {"Helen Morris", 3, 14 * 60, 45, "consultation", 0, true, 2},
    {"Martin Keller", 4, 10 * 60, 15, "patch_test", 0, false, 2},
};

// The clinic's settings in force and its time zone; nothing when they cannot place a time.
store::StoreResult<std::optional<std::pair<plan::Clinic, plan::TimeZone>>> demo_clock(store::Database& db) {
  auto settings = current_clinic_settings(db);
  if (!settings) return std::unexpected(settings.error());
  auto clinic = plan::parse_clinic(settings->clinic, "clinic");
  auto zone = clinic ? plan::TimeZone::locate(clinic->time_zone) : std::nullopt;
  if (!clinic || !zone) return std::optional<std::pair<plan::Clinic, plan::TimeZone>>{};
  return std::optional{std::pair{std::move(*clinic), std::move(*zone)}};
}

// Chairs "Room 1" and "Room 2" (made when missing), then the week's bookings of
// the clients just added, each on an open day within the hours; returns how many.
store::StoreResult<int> book_demo_week(store::Database& db, store::TimeMs now, const std::map<std::string, std::string>& added,
                                       const std::string& owner_id, const std::string& practitioner_id) {
  auto clock = demo_clock(db);
  if (!clock) return std::unexpected(clock.error());
  if (!*clock) return 0;  // settings that cannot place a time: no diary
  const plan::Clinic* clinic = &(*clock)->first;
  const plan::TimeZone* zone = &(*clock)->second;
  std::array<std::string, 2> chairs;
  auto existing = store::list_chairs(db);
  if (!existing) return std::unexpected(existing.error());
  for (int k = 0; k < 2; ++k) {
    const std::string name = fmt::format("Room {}", k + 1);
    for (const store::Chair& c : *existing)
      if (c.name == name) chairs[static_cast<std::size_t>(k)] = c.id;
    if (chairs[static_cast<std::size_t>(k)].empty()) {
      auto made = store::create_chair(db, name, now);
      if (!made) return std::unexpected(made.error());
      chairs[static_cast<std::size_t>(k)] = made->id;
    }
  }
  using namespace std::chrono;
  const sys_days today = zone->local_day(sys_seconds{seconds{now / 1000}});
  const sys_days monday = today + days{7 - static_cast<int>(weekday{today}.iso_encoding() - 1)};
  // Daniel Reyes's first session needs his patch test: placed four days ago,
  // read passed 30 hours later (the session's gate, studio/diary.cpp).
  if (const auto daniel = added.find("Daniel Reyes"); daniel != added.end()) {
    store::PatchTest t;
    t.client_id = daniel->second;
    t.placed_at = now - 4 * 86'400'000LL;
    t.placed_by = practitioner_id;
    t.pigment = "Carbon black SMP pigment, 25% dilution (demo)";
    t.lot = "DEMO-LOT-0001";
    t.site = "behind the left ear";
    auto placed = store::place_patch_test(db, t, now);
    if (!placed) return std::unexpected(placed.error());
    auto read = store::read_patch_test(db, placed->id, "passed", t.placed_at + 30 * 3'600'000LL, practitioner_id,
                                       "no redness, itching or swelling");
    if (!read) return std::unexpected(read.error());
  }
  int booked = 0;
  for (const DemoBooking& b : kWeek) {
    const auto who = added.find(b.client);
    if (who == added.end()) continue;
    const sys_days day = monday + days{b.weekday};
    const auto& hours = clinic->hours[static_cast<std::size_t>(b.weekday)];
    if (!clinic->open_on(day) || !hours || b.start_min < (*hours)[0] || b.start_min + b.minutes > (*hours)[1]) continue;
    store::Appointment a;
    a.client_id = who->second;
    a.practitioner_id = b.owner ? owner_id : practitioner_id;
    a.chair_id = chairs[static_cast<std::size_t>(b.chair - 1)];
    a.kind = b.kind;
    a.session_number = b.session;
    a.start = static_cast<store::TimeMs>(zone->instant(day, b.start_min).time_since_epoch().count()) * 1000;
    a.end = a.start + b.minutes * 60'000LL;
    a.created_by = owner_id;
    auto r = store::book_appointment(db, a, now);
    if (r) ++booked;
    else if (r.error().code != store::StoreError::Code::conflict) return std::unexpected(r.error());
  }
  return booked;
}

// The credentials to treat (brief section 9), when the clinic has none: the
// owner's licence expires in 45 days (the credentials page lists it), the rest
// are valid for months; numbers marked DEMO.
store::StoreResult<int> record_demo_credentials(store::Database& db, store::TimeMs now, const std::string& owner_id,
                                                const std::string& practitioner_id) {
  auto existing = store::list_credentials(db, "");
  if (!existing) return std::unexpected(existing.error());
  if (!existing->empty()) return 0;
  struct Held {
    const std::string* user;
    const char* kind;
    const char* reference;
    const char* issuer;
    int from_days, to_days;  // from today
  };
  const std::string clinic;
  const Held held[] = {
      {&owner_id, "body_art_licence", "DEMO-BA-0142", "County health department (demo)", -320, 45},
      {&owner_id, "bloodborne_pathogens", "DEMO-BBP-7781", "Red Cross training (demo)", -200, 165},
      {&practitioner_id, "body_art_licence", "DEMO-BA-0377", "County health department (demo)", -300, 430},
      {&practitioner_id, "bloodborne_pathogens", "DEMO-BBP-9024", "Red Cross training (demo)", -100, 265},
      {&clinic, "health_permit", "DEMO-HP-2026-18", "County health department (demo)", -30, 335},
  };
  int recorded = 0;
  for (const Held& h : held) {
    store::Credential c{"", *h.user, h.kind, h.reference, h.issuer, date_after(now, h.from_days), date_after(now, h.to_days), owner_id};
    auto added = store::add_credential(db, c, now);
    if (!added) return std::unexpected(added.error());
    ++recorded;
  }
  return recorded;
}

// The demo clinic's consent texts (a clinic writes its own; these say what
// the brief's sections 7 and 11 give a client to weigh), made when it has none.
struct DemoText {
  const char* kind;
  const char* title;
  const char* body;
};
constexpr DemoText kDemoTexts[] = {
    {"treatment", "Consent to scalp micropigmentation (demo clinic text)",
     "I ask the clinic to treat my scalp with micropigmentation: many small dots of diluted carbon pigment placed in the "
     "upper skin, over two to four sessions some weeks apart.\n\n"
     "I was told what to expect: redness and tenderness for a day or two (up to a week), some swelling and itching; rarely an "
     "infection or an allergic reaction to the pigment. A patch test is read before my first session.\n\n"
     "I was told the pigment fades and that a touch-up is usually needed after three to eight years, sooner with strong sun.\n\n"
     "I told the clinic of my health, my medicines and any allergies truthfully, and I will tell it of any change before a "
     "session. I will follow the care I am given before and after each session.\n\n"
     "I may withdraw this consent at any time before a session."},
    {"clinical_photos", "Consent to clinical photos (demo clinic text)",
     "I agree that the clinic photographs my scalp before, during and after treatment and keeps the photos in my record, to "
     "plan and check the treatment. They are not shown outside the clinic without my separate consent.\n\n"
     "I may withdraw this consent at any time; photos already in my record stay there as part of it."},
    {"marketing_photos", "Consent to photos in the clinic's marketing (demo clinic text)",
     "I agree that the clinic may show photos of my scalp, without my name or face, on its website, in social media and in "
     "printed material.\n\n"
     "I may withdraw this consent at any time; from then on the clinic stops using my photos in new material."},
};

// A signature drawn on a pad: a dark, looping stroke on white.
std::string demo_signature_png(int seed) {
  cv::Mat pad(140, 420, CV_8UC3, cv::Scalar(255, 255, 255));
  cv::Point last{30, 80};
  for (int x = 30; x < 390; x += 3) {
    const double t = x / 22.0 + seed;
    const cv::Point p{x + static_cast<int>(10 * std::cos(t * 1.7)), 75 + static_cast<int>(28 * std::sin(t) + 10 * std::sin(t * 2.3))};
    cv::line(pad, last, p, cv::Scalar(40, 30, 25), 3, cv::LINE_AA);
    last = p;
  }
  return photo::encode_png(pad);
}

// The demo texts (when the clinic has none) and the signatures of the clients
// just added who have come far enough: every client with an intake signs the
// treatment and clinical-photo texts, the sample client the marketing one too.
store::StoreResult<int> sign_demo_consents(store::Database& db, const std::string& data_dir, store::TimeMs now,
                                           const std::map<std::string, std::string>& signers, const std::string& owner_id,
                                           const std::string& desk_id) {
  for (const DemoText& t : kDemoTexts) {
    auto latest = store::latest_consent_template(db, t.kind);
    if (!latest) return std::unexpected(latest.error());
    if (!*latest)
      if (auto added = store::add_consent_template(db, t.kind, t.title, t.body, owner_id, now); !added) return std::unexpected(added.error());
  }
  int signed_count = 0;
  for (const auto& [name, id] : signers) {
    unsigned seed_hash = 0;  // each signer's own hand
    for (char ch : name) seed_hash = seed_hash * 31u + static_cast<unsigned char>(ch);
    const int seed = static_cast<int>(seed_hash % 97u);
    for (const DemoText& t : kDemoTexts) {
      if (std::string_view(t.kind) == "marketing_photos" && name != "Daniel Reyes") continue;
      auto latest = store::latest_consent_template(db, t.kind);
      if (!latest) return std::unexpected(latest.error());
      store::Consent c;
      c.client_id = id;
      c.template_id = (*latest)->id;
      c.signer_name = name;
      c.ip = "stipple admin demo";
      c.user_agent = "stipple admin demo";
      c.witnessed_by = desk_id;
      c.signed_at = now;
      auto saved = save_consent(db, data_dir, demo_signature_png(seed), c);
      if (!saved) return std::unexpected(saved.error());
      if (auto a = store::append_audit(db, {desk_id, "create", "consent", id, "stipple admin demo", fmt::format("{} version 1", t.kind)}, now); !a)
        return std::unexpected(a.error());
      ++signed_count;
    }
  }
  return signed_count;
}

// The clinic's lots (when it has none) and a treated client's two sessions,
// charted and signed by the practitioner: session 1 six weeks ago, session 2
// twelve days later (brief section 11: 10-14 days before session 2), after a
// passed patch test; the pigment's lot then lists the client as its recipient.
struct DemoCharts {
  int lots = 0, charts = 0;
};
store::StoreResult<DemoCharts> chart_demo_sessions(store::Database& db, store::TimeMs now, const std::string& client_id,
                                                   const std::string& practitioner_id, const plan::TimeZone& zone) {
  DemoCharts out;
  auto existing = store::search_lots(db, "", 500);
  if (!existing) return std::unexpected(existing.error());
  const auto find_or_add = [&](store::Lot l) -> store::StoreResult<std::string> {
    for (const store::Lot& e : *existing)
      if (e.kind == l.kind && e.product == l.product && e.lot == l.lot) return e.id;
    auto added = store::add_lot(db, l, now);
    if (!added) return std::unexpected(added.error());
    ++out.lots;
    return added->id;
  };
  auto pigment = find_or_add({"", "pigment", "Carbon black SMP pigment (demo)", "DEMO-CB-2611", date_after(now, 420), "dark brown, 25% dilution", practitioner_id});
  auto needle = find_or_add({"", "needle", "Single-use cartridge 1RL (demo)", "DEMO-NC-0884", date_after(now, 730), "1RL 0.30 mm", practitioner_id});
  auto numbing = find_or_add({"", "numbing", "Lidocaine 5% cream (demo)", "DEMO-LC-0019", date_after(now, 200), "", practitioner_id});
  auto expired = find_or_add({"", "pigment", "Carbon black SMP pigment (demo)", "DEMO-CB-2403", date_after(now, -20), "dark brown, 25% dilution", practitioner_id});
  for (const auto* r : {&pigment, &needle, &numbing, &expired})
    if (!*r) return std::unexpected(r->error());
  store::PatchTest t;
  t.client_id = client_id;
  t.placed_at = now - 45 * 86'400'000LL;
  t.placed_by = practitioner_id;
  t.pigment = "Carbon black SMP pigment (demo), 25% dilution";
  t.lot = "DEMO-CB-2611";
  t.site = "behind the left ear";
  auto placed = store::place_patch_test(db, t, now);
  if (!placed) return std::unexpected(placed.error());
  if (auto read = store::read_patch_test(db, placed->id, "passed", t.placed_at + 30 * 3'600'000LL, practitioner_id, "no reaction"); !read)
    return std::unexpected(read.error());
  using namespace std::chrono;
  const sys_days today = zone.local_day(sys_seconds{seconds{now / 1000}});
  for (const auto& [number, days_ago, zones] : {std::tuple{1, 42, "hairline, temples, crown: a sparse first layer"},
                                               std::tuple{2, 30, "hairline, temples, crown: density and definition"}}) {
    store::Chart c;
    c.client_id = client_id;
    c.practitioner_id = c.created_by = practitioner_id;
    c.session_number = number;
    c.zones = zones;
    c.started_at = static_cast<store::TimeMs>(zone.instant(today - days{days_ago}, 10 * 60).time_since_epoch().count()) * 1000;
    c.ended_at = c.started_at + (number == 1 ? 240 : 210) * 60'000LL;
    c.dilution = number == 1 ? "25%" : "30%";
    c.cartridges_opened_in_front = c.gloves = c.barrier_film = c.surfaces_disinfected = true;
    c.lots = {{*pigment, "pigment"}, {*needle, "needle"}, {*numbing, "numbing"}};
    c.adverse_reaction = "";
    c.notes = number == 1 ? "Redness settled within a day, as expected." : "Client pleased with the shade; session 3 to refine the crown.";
    auto made = store::create_chart(db, c, c.ended_at);
    if (!made) return std::unexpected(made.error());
    auto signed_chart = store::sign_chart(db, made->id, 1, practitioner_id, c.ended_at + 10 * 60'000LL);
    if (!signed_chart) return std::unexpected(signed_chart.error());
    ++out.charts;
  }
  return out;
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

store::StoreResult<DemoClinic> seed_demo_clinic(store::Database& db, store::TimeMs now, const std::string& data_dir) {
  DemoClinic out;
  std::string owner_id, practitioner_id, desk_id;
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
    if (login.role == store::Role::practitioner) practitioner_id = id;
    if (login.role == store::Role::front_desk) desk_id = id;
    out.logins.push_back(login);
  }
  auto credentials = record_demo_credentials(db, now, owner_id, practitioner_id);
  if (!credentials) return std::unexpected(credentials.error());
  out.credentials_recorded = *credentials;
  std::map<std::string, std::string> added;  // name -> id of the clients added now
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
    added[c.name] = made->id;
    if (auto a = store::append_audit(db, {owner_id, "create", "client", made->id, "stipple admin demo"}, now); !a)
      return std::unexpected(a.error());
    ++out.clients_created;
    if (c.stage == Stage::registered) continue;
    auto intake = store::create_intake(db, made->id, c.intake(), practitioner_id, now);
    if (!intake) return std::unexpected(intake.error());
    if (auto a = store::append_audit(db, {practitioner_id, "create", "intake", made->id, "stipple admin demo"}, now); !a)
      return std::unexpected(a.error());
    // Every client with an intake signs before a patch test or a session is booked.
    auto consents = sign_demo_consents(db, data_dir, now, {{c.name, made->id}}, owner_id, desk_id);
    if (!consents) return std::unexpected(consents.error());
    out.consents_signed += *consents;
    if (c.stage == Stage::treated) {
      auto clock = demo_clock(db);
      if (!clock) return std::unexpected(clock.error());
      if (!*clock) continue;  // settings that cannot place a time: no charts
      auto charted = chart_demo_sessions(db, now, made->id, practitioner_id, (*clock)->second);
      if (!charted) return std::unexpected(charted.error());
      out.lots_recorded += charted->lots;
      out.charts_signed += charted->charts;
      continue;
    }
    if (c.stage != Stage::consultation) continue;
    auto queued = store::create_consultation(db, {made->id, intake->id, date_after(now, 14), "", practitioner_id}, now);
    if (!queued) return std::unexpected(queued.error());
    if (auto a = store::append_audit(db, {practitioner_id, "create", "consultation", made->id, "stipple admin demo"}, now); !a)
      return std::unexpected(a.error());
    out.consultations.push_back(queued->id);
    if (c.intake == embedded_sample_intake_json) {
      // The sample client's photo from above (docs/examples/client.jpg, rendered before treatment).
      const PhotoUpload photo{made->id, "consultation", "top", 0, date_after(now, 0), practitioner_id, now};
      auto saved = save_photo(db, data_dir, embedded_demo_client_jpg(), photo);
      if (!saved)
        return std::unexpected(saved.error().store.value_or(store::StoreError{store::StoreError::Code::internal, saved.error().message}));
      if (auto a = store::append_audit(db, {practitioner_id, "create", "photo", made->id, "stipple admin demo"}, now); !a)
        return std::unexpected(a.error());
    }
  }
  auto week = book_demo_week(db, now, added, owner_id, practitioner_id);
  if (!week) return std::unexpected(week.error());
  out.appointments_booked = *week;
  return out;
}

std::string_view sample_client_intake_json() { return embedded_sample_intake_json(); }

}  // namespace stipple::studio
