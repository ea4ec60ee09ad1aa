// The diary: GET/POST /api/v1/chairs, GET /api/v1/practitioners,
// GET/POST /api/v1/appointments, GET/PATCH /api/v1/appointments/{id}.
//
// Times travel as RFC 3339 with an offset ("2027-03-29T10:00:00+01:00"; any
// offset or Z on the way in) and are stored as instants; every time the
// studio sends is written in the clinic's IANA time zone (its settings), so a
// 10:00 appointment reads 10:00 on both sides of a daylight-saving change.
// A booking keeps to the clinic's opening hours on the clinic's wall clock
// (the day open, not a holiday, start and end within its hours): otherwise a
// 422 naming the gate. An overlap with another booked appointment of the
// practitioner or the chair is a 409 naming practitioner_id or chair_id (the
// database's own rule, store/diary.h).
#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <map>

#include <fmt/format.h>

#include "stipple/plan/plan.h"
#include "stipple/plan/time_zone.h"
#include "stipple/store/audit.h"
#include "stipple/store/clients.h"
#include "stipple/store/consultations.h"
#include "stipple/store/credentials.h"
#include "stipple/store/diary.h"
#include "stipple/store/patch_tests.h"
#include "stipple/store/users.h"
#include "stipple/studio/body.h"
#include "stipple/studio/consents.h"
#include "stipple/studio/diary.h"
#include "stipple/studio/documents.h"
#include "stipple/studio/handlers.h"
#include "stipple/studio/server.h"
#include "stipple/studio/settings.h"

namespace stipple::studio {

namespace {

using Json = io::Json;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

constexpr int kMinDuration = 5, kMaxDuration = 600;  // minutes: a patch test's 15 to a long scar session's 8 h and more
constexpr int kMaxDays = 62;                         // a list covers at most two months
constexpr std::array<std::string_view, 7> kWeekdays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// The clinic's wall clock: its settings in force.
struct Clock {
  plan::Clinic clinic;
  plan::TimeZone zone;
};

std::expected<Clock, Reply> clinic_clock(store::Database& db) {
  auto settings = current_clinic_settings(db);
  if (!settings) return std::unexpected(store_problem(settings.error()));
  auto clinic = plan::parse_clinic(settings->clinic, "clinic");
  if (!clinic) return std::unexpected(problem(500, "", "the clinic's settings cannot be read; the error is logged"));
  auto zone = plan::TimeZone::locate(clinic->time_zone);
  if (!zone) return std::unexpected(problem(500, "", "the clinic's time zone is not in the tz database"));
  return Clock{std::move(*clinic), std::move(*zone)};
}

}  // namespace

std::expected<plan::TimeZone, Reply> clinic_time_zone(store::Database& db) {
  auto clock = clinic_clock(db);
  if (!clock) return std::unexpected(clock.error());
  return std::move(clock->zone);
}

namespace {

std::string hhmm(int minutes) { return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60); }

// Why [start, end) is outside the clinic's opening hours on its wall clock, or nothing.
std::optional<std::string> outside_hours(const Clock& c, store::TimeMs start, store::TimeMs end) {
  const sys_seconds s{std::chrono::seconds{start / 1000}}, e{std::chrono::seconds{end / 1000}};
  const sys_days day = c.zone.local_day(s);
  const auto minute_of = [&](sys_seconds t) {
    return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(t + c.zone.offset(t) - day).count());
  };
  const int from = minute_of(s), to = minute_of(e);
  const unsigned wd = std::chrono::weekday{day}.iso_encoding() - 1;
  const std::string when = fmt::format("{} {} {}-{} ({})", kWeekdays[wd], plan::format_date(day), hhmm(from), hhmm(std::min(to, 24 * 60)),
                                       c.zone.name());
  if (std::binary_search(c.clinic.holidays.begin(), c.clinic.holidays.end(), day))
    return fmt::format("expected a day the clinic is open, found a holiday: {}", when);
  const auto& hours = c.clinic.hours[wd];
  if (!hours) return fmt::format("expected a day the clinic is open, found a {} (closed): {}", kWeekdays[wd], when);
  if (from < (*hours)[0] || to > (*hours)[1])
    return fmt::format("expected a time within the clinic's opening hours, {} {}-{}, found {}", kWeekdays[wd], hhmm((*hours)[0]),
                       hhmm((*hours)[1]), when);
  return std::nullopt;
}

// A booking rule the appointment breaks: its name and the message at its field.
struct GateRefusal {
  std::string gate, field, message;
  // The message for the front desk when `message` holds clinical findings
  // (rule ids, a referral's reasons): "" when `message` is fit for every role.
  std::string desk_message = {};
  const std::string& for_role(store::Role role) const { return desk_message.empty() || sees_clinical_data(role) ? message : desk_message; }
};

plan::Day local_day_of(const Clock& c, store::TimeMs t) { return c.zone.local_day(sys_seconds{std::chrono::seconds{t / 1000}}); }

bool treats_skin(const store::Appointment& a) { return a.kind != "consultation"; }

// The assessment gate of a session or touch-up (assess/gate.h, the engine's
// booking gate): the client's latest assessed consultation decides. One that
// blocks (a referral, a decline, an open-ended deferral, no SMP option) refuses
// unless the consultation itself was planned with an override; a hold (CI-72H,
// CI-ISOTRETINOIN, CI-SCAR-IMMATURE) keeps session 1 to its day or later.
std::optional<GateRefusal> assessment_gate(Context& ctx, const Clock& clock, const store::Appointment& a) {
  if (a.kind != "session" && a.kind != "touch_up") return std::nullopt;
  auto list = store::consultations_of_client(ctx.db, a.client_id, 100);
  if (!list) return GateRefusal{"assessment", "client_id", "expected the client's consultations to be readable, found an error"};
  const store::Consultation* latest = nullptr;
  for (const store::Consultation& c : *list)
    if (!c.assessment.empty()) {
      latest = &c;
      break;
    }
  if (!latest)
    return GateRefusal{"assessment", "client_id",
                       fmt::format("expected a consultation whose assessment allows SMP before a {}, found none assessed",
                                   a.kind == "session" ? "session" : "touch-up")};
  const Json summary = Json::parse(latest->assessment, nullptr, false);
  if (!summary.is_object()) return GateRefusal{"assessment", "client_id", "expected the consultation's assessment to be readable"};
  if (summary.value("blocked", false) && !latest->overridden)
    return GateRefusal{"assessment", "client_id",
                       fmt::format("expected an assessment that allows SMP, found the latest one blocking it: {}",
                                   summary.value("summary", std::string("see the consultation"))),
                       "expected a client the assessment clears for treatment, found one it does not: the practitioner has the details"};
  if (a.kind != "session" || a.session_number != 1 || !summary.contains("holds") || !summary["holds"].is_array()) return std::nullopt;
  const plan::Day day = local_day_of(clock, a.start);
  for (const Json& h : summary["holds"]) {
    const auto until = plan::parse_date(h.value("until", std::string()));
    if (until && day < *until)
      return GateRefusal{"assessment", "start",
                         fmt::format("expected session 1 on {} or later (held by {}: {}), found {}", plan::format_date(*until),
                                     h.value("rule", std::string()), h.value("text", std::string()), plan::format_date(day)),
                         fmt::format("expected session 1 on {} or later, found {}: the practitioner has the reason", plan::format_date(*until),
                                     plan::format_date(day))};
  }
  return std::nullopt;
}

// The patch-test gate of a session or touch-up (brief section 11 "Patch test";
// CI-ALLERGY): the client's latest reading before it decides. A failed one
// blocks; a passed one lets it be booked after its reading and within 365
// days of its placing (repeat after 12 months); none read is no patch test yet.
std::optional<GateRefusal> patch_test_gate(Context& ctx, const store::Appointment& a) {
  if (a.kind != "session" && a.kind != "touch_up") return std::nullopt;
  auto tests = store::patch_tests_of(ctx.db, a.client_id);
  if (!tests) return GateRefusal{"patch_test", "client_id", "expected the client's patch tests to be readable, found an error"};
  const store::PatchTest* latest = nullptr;
  for (const store::PatchTest& t : *tests)
    if (t.read_at && *t.read_at <= a.start && (!latest || *t.read_at > *latest->read_at)) latest = &t;
  if (!latest)
    return GateRefusal{"patch_test", "start",
                       "expected a patch test read before the appointment (placed most often 24-48 hours before the first "
                       "session), found none read"};
  if (latest->result == "failed")
    return GateRefusal{"patch_test", "client_id",
                       fmt::format("expected a passed patch test, found a failed one (read {}, lot {}): SMP is not advised (CI-ALLERGY)",
                                   rfc3339(*latest->read_at).substr(0, 10), latest->lot),
                       "expected a passed patch test, found none that passed: the practitioner has the details"};
  if (a.start > latest->placed_at + kPatchTestValidMs)
    return GateRefusal{"patch_test", "start",
                       fmt::format("expected a patch test placed within 12 months, found the last passed one placed {}",
                                   rfc3339(latest->placed_at).substr(0, 10))};
  return std::nullopt;
}

// The consent gate (issue 21, "Consent"): pigment in the skin (a patch test,
// a session, a touch-up) needs the client's treatment consent signed on the
// clinic's newest treatment text and not withdrawn; a new version of the text
// needs signing again before the next one.
std::optional<GateRefusal> consent_gate(Context& ctx, const store::Appointment& a) {
  if (!treats_skin(a)) return std::nullopt;
  const auto s = current_consent(ctx.db, a.client_id, "treatment");
  if (!s) return GateRefusal{"consent", "client_id", "expected the client's consents to be readable, found an error"};
  if (s->current()) return std::nullopt;
  if (s->latest_version == 0)
    return GateRefusal{"consent", "client_id",
                       "expected the client's signed treatment consent, found the clinic has no treatment consent text yet (the owner "
                       "writes it under Consents)"};
  if (!s->consent) return GateRefusal{"consent", "client_id", "expected the client's signed treatment consent, found none signed"};
  if (s->consent->withdrawn_at)
    return GateRefusal{"consent", "client_id",
                       fmt::format("expected the client's treatment consent, found it withdrawn on {}", rfc3339(*s->consent->withdrawn_at).substr(0, 10))};
  return GateRefusal{"consent", "client_id",
                     fmt::format("expected the treatment consent signed on the clinic's text version {}, found version {} signed: sign "
                                 "the new text",
                                 s->latest_version, s->consent->version)};
}

// Whether the client's latest finished consultation designs a scar camouflage
// (its design.json's look), whose sessions keep the scar spacing.
bool scar_look(Context& ctx, const std::string& client_id) {
  auto list = store::consultations_of_client(ctx.db, client_id, 100);
  if (!list) return false;
  for (const store::Consultation& c : *list) {
    if (c.status != "done" || !c.planned) continue;
    auto doc = store::find_document(ctx.db, c.id, "design.json");
    if (!doc) return false;
    auto bytes = read_document(ctx.config.data_dir, *doc);
    if (!bytes) return false;
    const Json design = Json::parse(*bytes, nullptr, false);
    return design.is_object() && design.value("look", std::string()) == "scar_camouflage";
  }
  return false;
}

// The spacing gate of a session (brief sections 7 and 11 "Spacing"; the
// clinic's session.spacing_days, later_spacing_days and scar_spacing_days, as
// the plan spaces them, plan/plan.h): one booked session of each number; session
// N after session N-1 by the range between them, and before session N+1 by
// the next range, in days on the clinic's calendar.
std::optional<GateRefusal> spacing_gate(Context& ctx, const Clock& clock, const store::Appointment& a) {
  if (a.kind != "session") return std::nullopt;
  auto all = store::appointments_between(ctx.db, 0, std::numeric_limits<store::TimeMs>::max(), "", a.client_id, 2000);
  if (!all) return GateRefusal{"spacing", "session_number", "expected the client's appointments to be readable, found an error"};
  const store::Appointment *previous = nullptr, *next = nullptr;
  for (const store::Appointment& o : *all) {
    if (o.id == a.id || o.status != "booked" || o.kind != "session") continue;
    if (o.session_number == a.session_number)
      return GateRefusal{"spacing", "session_number",
                         fmt::format("expected one session {} for the client, found one booked on {}", a.session_number,
                                     plan::format_date(local_day_of(clock, o.start)))};
    if (o.session_number == a.session_number - 1) previous = &o;
    if (o.session_number == a.session_number + 1) next = &o;
  }
  const bool scar = (a.session_number > 1 || next) && scar_look(ctx, a.client_id);
  const auto range = [&](int number) { return scar ? clock.clinic.scar_spacing : number == 2 ? clock.clinic.spacing : clock.clinic.later_spacing; };
  const auto check = [&](const store::Appointment& before, const store::Appointment& after, int number) -> std::optional<GateRefusal> {
    const plan::Spacing r = range(number);
    const int days = static_cast<int>((local_day_of(clock, after.start) - local_day_of(clock, before.start)).count());
    if (days >= r.min_days && days <= r.max_days) return std::nullopt;
    return GateRefusal{"spacing", "start",
                       fmt::format("expected session {} {}-{} days after session {} ({}{}), found {} day{}", number, r.min_days, r.max_days,
                                   number - 1, plan::format_date(local_day_of(clock, before.start)),
                                   scar ? ", scar tissue" : "", days, days == 1 || days == -1 ? "" : "s")};
  };
  if (a.session_number > 1 && !previous)
    return GateRefusal{"spacing", "session_number",
                       fmt::format("expected session {} booked before session {}, found none", a.session_number - 1, a.session_number)};
  if (previous)
    if (auto g = check(*previous, a, a.session_number)) return g;
  if (next)
    if (auto g = check(a, *next, a.session_number + 1)) return g;
  return std::nullopt;
}

// The credentials gate (brief section 9 "The clinic"): whoever puts pigment in
// the skin (a patch test, a session, a touch-up) holds a body-art licence and
// bloodborne-pathogens training, and the clinic its health permit, each valid
// (recorded, not revoked, valid_from <= day <= expires_on) on the appointment's day.
std::optional<GateRefusal> credentials_gate(Context& ctx, const Clock& clock, const store::Appointment& a) {
  if (!treats_skin(a)) return std::nullopt;
  auto list = store::list_credentials(ctx.db, "");
  if (!list) return GateRefusal{"credentials", "practitioner_id", "expected the credentials to be readable, found an error"};
  const std::string day = plan::format_date(local_day_of(clock, a.start));
  const auto check = [&](std::string_view kind, const std::string& holder) -> std::optional<GateRefusal> {
    const store::Credential* last = nullptr;
    for (const store::Credential& c : *list) {
      if (c.kind != kind || c.user_id != holder || c.revoked_at) continue;
      if (c.valid_from <= day && day <= c.expires_on) return std::nullopt;
      if (!last || c.expires_on > last->expires_on) last = &c;
    }
    const std::string words = credential_words(kind);
    const std::string whose = holder.empty() ? "the clinic's" : "the practitioner's";
    if (!last) return GateRefusal{"credentials", "practitioner_id", fmt::format("expected {} {} valid on {}, found none recorded", whose, words, day)};
    return GateRefusal{"credentials", "practitioner_id",
                       last->expires_on < day ? fmt::format("expected {} {} valid on {}, found it expired {}", whose, words, day, last->expires_on)
                                              : fmt::format("expected {} {} valid on {}, found it valid from {}", whose, words, day, last->valid_from)};
  };
  for (std::string_view kind : store::kPractitionerCredentialKinds)
    if (auto g = check(kind, a.practitioner_id)) return g;
  return check("health_permit", "");
}

Reply gate_refused(std::string_view gate, std::string field, std::string message) {
  Reply r = problem(422, problem_type::unprocessable, fmt::format("the booking is refused by the {} rule", gate),
                    {{std::move(field), std::move(message)}});
  r.body["gate"] = std::string(gate);
  return r;
}

Reply overlap_refused(const store::StoreError& e) {
  if (e.message == store::kChairBusy)
    return problem(409, problem_type::conflict, "the chair is taken then",
                   {{"chair_id", "expected a time the chair is free, found another appointment in it then"}});
  if (e.message == store::kClientBusy)
    return problem(409, problem_type::conflict, "the client has another appointment then",
                   {{"client_id", "expected a time the client is free, found another appointment of theirs then"}});
  return problem(409, problem_type::conflict, "the practitioner has another appointment then",
                 {{"practitioner_id", "expected a time the practitioner is free, found another appointment then"}});
}

bool is_overlap(const store::StoreError& e) {
  return e.code == store::StoreError::Code::conflict &&
         (e.message == store::kChairBusy || e.message == store::kPractitionerBusy || e.message == store::kClientBusy);
}

bool treats(const store::User& u) { return !u.disabled && (u.role == store::Role::practitioner || u.role == store::Role::owner); }

// A booking or a move starts from now on (a quarter of an hour's grace for one
// entered as the client sits down): the diary is not a record of the past,
// which the session chart is.
void check_not_past(FieldReader& r, Context& ctx, store::TimeMs at) {
  if (at >= ctx.now - kPastGraceMs) return;
  auto zone = clinic_time_zone(ctx.db);
  const std::string when = zone ? local_rfc3339(at, *zone) : rfc3339(at);
  const std::string now = zone ? local_rfc3339(ctx.now, *zone) : rfc3339(ctx.now);
  r.error("start", fmt::format("expected a time from now on ({} {} on the clinic's clock), found {} {}", now.substr(0, 10), now.substr(11, 5),
                               when.substr(0, 10), when.substr(11, 5)));
}

// The references of a booking: each must exist (422 naming the field otherwise).
void check_references(Context& ctx, FieldReader& r, const std::optional<std::string>& client_id,
                      const std::optional<std::string>& practitioner_id, const std::optional<std::string>& chair_id) {
  if (client_id && !store::find_client(ctx.db, *client_id))
    r.error("client_id", fmt::format("expected the id of a client, found '{}'", client_id->substr(0, 40)));
  if (practitioner_id) {
    auto u = store::find_user(ctx.db, *practitioner_id);
    if (!u || !treats(*u))
      r.error("practitioner_id",
              fmt::format("expected the id of a practitioner or owner who can treat, found '{}'", practitioner_id->substr(0, 40)));
  }
  if (chair_id && !chair_id->empty() && !store::find_chair(ctx.db, *chair_id))
    r.error("chair_id", fmt::format("expected the id of a chair, found '{}'", chair_id->substr(0, 40)));
}

Reply unprocessable_reply(const FieldReader& r) {
  Reply reply = r.problem_reply();
  reply.status = 422;
  reply.body["status"] = 422;
  reply.body["type"] = std::string(problem_type::unprocessable);
  reply.body["title"] = std::string(status_title(422));
  reply.body["detail"] = "the booking names something that does not exist";
  return reply;
}

Json split_gates(const std::string& list) {
  Json out = Json::array();
  std::size_t i = 0;
  while (i <= list.size()) {
    const std::size_t j = std::min(list.find(',', i), list.size());
    if (j > i) out.push_back(list.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// The names the diary shows beside the ids, looked up once a request.
struct Names {
  Context& ctx;
  std::map<std::string, std::string> clients, users, chairs;
  const std::string& of(std::map<std::string, std::string>& cache, const std::string& id, int which) {
    auto it = cache.find(id);
    if (it != cache.end()) return it->second;
    std::string name;
    if (which == 0) {
      if (auto c = store::find_client(ctx.db, id)) name = c->name;
    } else if (which == 1) {
      if (auto u = store::find_user(ctx.db, id)) name = u->name;
    } else if (auto ch = store::find_chair(ctx.db, id)) {
      name = ch->name;
    }
    return cache.emplace(id, std::move(name)).first->second;
  }
};

// An override: owners and practitioners only, naming the gates it waives
// (override_gates, each one of kGates) and why, in words someone reading the
// record later can weigh (at least 20 letters, as a consultation's). Either
// without the other is an error.
struct Override {
  std::vector<std::string> gates;
  std::string reason;
};

Override read_override(FieldReader& r, const Json& body, const TextField& reason, store::Role role) {
  Override o;
  const bool has_reason = reason.state == TextField::State::value;
  const auto it = body.find("override_gates");
  const bool has_gates = it != body.end() && !it->is_null();
  if (!has_reason && !has_gates) return o;
  if (!sees_clinical_data(role)) {
    r.error(has_reason ? "override_reason" : "override_gates",
            "expected no override from the front desk: an owner or practitioner overrides a gate");
    return o;
  }
  if (has_gates) {
    if (!it->is_array() || it->empty() || it->size() > std::size(kGates)) {
      r.error("override_gates", fmt::format("expected a list of the gates to book against (of {}), found {}", gate_list(), it->dump().substr(0, 60)));
    } else {
      for (const Json& g : *it) {
        const std::string name = g.is_string() ? g.get<std::string>() : g.dump();
        if (!g.is_string() || std::find(std::begin(kGates), std::end(kGates), name) == std::end(kGates)) {
          r.error("override_gates", fmt::format("expected gates of {}, found '{}'", gate_list(), name.substr(0, 40)));
          break;
        }
        if (hard_gate(name)) {
          r.error("override_gates", fmt::format("expected gates that may be booked against, found {}: {}", name,
                                                name == "consent" ? "the client signs the consent first"
                                                                  : "a valid credential is recorded first"));
          break;
        }
        o.gates.push_back(name);
      }
    }
  }
  if (has_gates && !has_reason) r.error("override_reason", "expected the reason for booking against the gates, found none");
  if (has_reason && !has_gates) r.error("override_gates", "expected the gates the reason overrides, found none");
  if (has_reason) {
    std::size_t letters = 0;
    for (char ch : reason.value) letters += std::isalpha(static_cast<unsigned char>(ch)) || (static_cast<unsigned char>(ch) & 0x80);
    if (letters < 20)
      r.error("override_reason",
              fmt::format("expected a reason in words, of at least 20 letters (why book against the rule), found {}", letters));
    o.reason = reason.value;
  }
  return o;
}

// Every gate the appointment breaks, in the order a practitioner meets them.
std::vector<GateRefusal> broken_gates(Context& ctx, const Clock& clock, const store::Appointment& a) {
  std::vector<GateRefusal> broken;
  if (auto why = outside_hours(clock, a.start, a.end)) broken.push_back({"opening_hours", "start", *why});
  if (auto g = credentials_gate(ctx, clock, a)) broken.push_back(*g);
  if (auto g = assessment_gate(ctx, clock, a)) broken.push_back(*g);
  if (auto g = consent_gate(ctx, a)) broken.push_back(*g);
  if (auto g = patch_test_gate(ctx, a)) broken.push_back(*g);
  if (auto g = spacing_gate(ctx, clock, a)) broken.push_back(*g);
  return broken;
}

// The gates the appointment breaks are each waived only when the override
// names it (override_gates) with a reason: those are recorded on it. Any other
// refuses it: a 422 naming the first at its field, with every broken gate in
// `gates` ({gate, field, message}) so the form can show them all and offer
// the override of exactly those.
std::optional<Reply> apply_gates(Context& ctx, const Clock& clock, store::Appointment& a, const Override& o, store::Role role) {
  const std::vector<GateRefusal> broken = broken_gates(ctx, clock, a);
  a.overridden_gates.clear();
  a.override_reason.clear();
  const auto waived = [&](const GateRefusal& g) {
    return !hard_gate(g.gate) && std::find(o.gates.begin(), o.gates.end(), g.gate) != o.gates.end();
  };
  const auto refused = std::find_if(broken.begin(), broken.end(), [&](const GateRefusal& g) { return !waived(g); });
  if (refused != broken.end()) {
    Reply r = gate_refused(refused->gate, refused->field, refused->for_role(role));
    Json list = Json::array();
    for (const GateRefusal& g : broken)
      list.push_back({{"gate", g.gate}, {"field", g.field}, {"message", g.for_role(role)}, {"waived", waived(g)}, {"overridable", !hard_gate(g.gate)}});
    r.body["gates"] = std::move(list);
    return r;
  }
  if (broken.empty()) return std::nullopt;
  for (const GateRefusal& g : broken) a.overridden_gates += (a.overridden_gates.empty() ? "" : ",") + g.gate;
  a.override_reason = o.reason;
  return std::nullopt;
}

// The gates a booked appointment breaks now that it was not booked against:
// the rules moved on since (a credential revoked or lapsed, a new consent
// text, a later failed patch test, changed hours), for the diary to flag.
Json attention_of(Context& ctx, const Clock& clock, const store::Appointment& a, store::Role role) {
  Json out = Json::array();
  if (a.status != "booked" || a.end <= ctx.now) return out;
  const std::vector<std::string> waived = [&] {
    std::vector<std::string> g;
    for (const Json& x : split_gates(a.overridden_gates)) g.push_back(x.get<std::string>());
    return g;
  }();
  for (const GateRefusal& g : broken_gates(ctx, clock, a))
    if (std::find(waived.begin(), waived.end(), g.gate) == waived.end() || hard_gate(g.gate))
      out.push_back({{"gate", g.gate}, {"field", g.field}, {"message", g.for_role(role)}});
  return out;
}

// An override goes into the audit log with its reason, as a consultation's does.
store::StoreResult<void> audit_override(Context& ctx, const Request& req, const store::Appointment& a) {
  if (a.overridden_gates.empty()) return {};
  auto r = store::append_audit(ctx.db,
                               {req.session->user.id, "override", "appointment", a.client_id, req.ip,
                                fmt::format("{}: {}", a.overridden_gates, a.override_reason)},
                               ctx.now);
  if (!r) return std::unexpected(r.error());
  return {};
}

// Every booking, move and cancellation is in the client's audit trail, with
// what and when on the clinic's clock.
store::StoreResult<void> audit_booking(Context& ctx, const Request& req, const store::Appointment& a, std::string_view action,
                                       const Clock& clock) {
  auto r = store::append_audit(ctx.db,
                               {req.session->user.id, std::string(action), "appointment", a.client_id, req.ip,
                                fmt::format("{}{} {}", a.kind, a.kind == "session" ? fmt::format(" {}", a.session_number) : "",
                                            local_rfc3339(a.start, clock.zone))},
                               ctx.now);
  if (!r) return std::unexpected(r.error());
  return {};
}

Json appointment_json(const store::Appointment& a, const Clock& c, Names& names, Json attention = Json::array()) {
  Json j = {{"id", a.id},
            {"client_id", a.client_id},
            {"client_name", names.of(names.clients, a.client_id, 0)},
            {"practitioner_id", a.practitioner_id},
            {"practitioner_name", names.of(names.users, a.practitioner_id, 1)},
            {"chair_id", a.chair_id.empty() ? Json(nullptr) : Json(a.chair_id)},
            {"chair_name", a.chair_id.empty() ? Json(nullptr) : Json(names.of(names.chairs, a.chair_id, 2))},
            {"kind", a.kind},
            {"session_number", a.kind == "session" ? Json(a.session_number) : Json(nullptr)},
            {"start", local_rfc3339(a.start, c.zone)},
            {"end", local_rfc3339(a.end, c.zone)},
            {"duration_min", (a.end - a.start) / 60'000},
            {"time_zone", c.zone.name()},
            {"status", a.status},
            {"notes", a.notes},
            {"override", a.overridden_gates.empty() ? Json(nullptr)
                                                    : Json{{"gates", split_gates(a.overridden_gates)}, {"reason", a.override_reason}}},
            {"attention", std::move(attention)},
            {"created_at", rfc3339(a.created_at)},
            {"updated_at", rfc3339(a.updated_at)},
            {"version", a.version}};
  return j;
}

std::optional<std::string> optional_text(const TextField& t) {
  if (t.state == TextField::State::absent) return std::nullopt;
  return t.state == TextField::State::null ? std::string() : t.value;
}

}  // namespace

Reply list_chairs(Context& ctx, const Request&) {
  auto chairs = store::list_chairs(ctx.db);
  if (!chairs) return store_problem(chairs.error());
  Json list = Json::array();
  for (const store::Chair& c : *chairs) list.push_back({{"id", c.id}, {"name", c.name}, {"created_at", rfc3339(c.created_at)}});
  return json_reply(200, {{"chairs", std::move(list)}});
}

Reply post_chair(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"name"};
  FieldReader r(*body, kKnown);
  const TextField name = r.text("name", true, false, 80);
  if (name.state == TextField::State::value && name.value.find_first_not_of(' ') == std::string::npos)
    r.error("name", "expected a chair's name, found an empty one");
  if (!r.ok()) return r.problem_reply();
  auto c = store::create_chair(ctx.db, name.value, ctx.now);
  if (!c) {
    if (c.error().code == store::StoreError::Code::conflict)
      return problem(409, problem_type::conflict, "a chair of that name exists",
                     {{"name", fmt::format("expected a name no chair has, found '{}'", name.value)}});
    return store_problem(c.error());
  }
  Reply reply = json_reply(201, {{"id", c->id}, {"name", c->name}, {"created_at", rfc3339(c->created_at)}});
  reply.headers.emplace_back("Location", "/api/v1/chairs/" + c->id);
  return reply;
}

Reply list_practitioners(Context& ctx, const Request&) {
  auto users = store::list_users(ctx.db);
  if (!users) return store_problem(users.error());
  Json list = Json::array();
  for (const store::User& u : *users)
    if (treats(u)) list.push_back({{"id", u.id}, {"name", u.name}, {"role", std::string(to_string(u.role))}});
  return json_reply(200, {{"practitioners", std::move(list)}});
}

Reply list_appointments(Context& ctx, const Request& req) {
  static constexpr std::string_view kKnown[] = {"from", "days", "practitioner_id", "client_id"};
  auto query = read_query(req, kKnown);
  if (!query) return query.error();
  auto clock = clinic_clock(ctx.db);
  if (!clock) return clock.error();
  FieldReader r(*query, kKnown);
  const TextField from = r.text("from", false, false, 10);
  const TextField practitioner = r.text("practitioner_id", false, false, 64);
  const TextField client = r.text("client_id", false, false, 64);
  const auto days = query_integer(r, *query, "days", 7, 1, kMaxDays);
  std::optional<plan::Day> first = clock->zone.local_day(sys_seconds{std::chrono::seconds{ctx.now / 1000}});
  if (from.state == TextField::State::value) {
    first = plan::parse_date(from.value);
    if (!first) r.error("from", fmt::format("expected a day YYYY-MM-DD, found '{}'", from.value));
  }
  if (!r.ok()) return r.problem_reply();
  // From the first day's local midnight to the midnight after the last: days
  // of 23 or 25 hours where the clocks change.
  const auto at = [&](plan::Day d) { return static_cast<store::TimeMs>(clock->zone.instant(d, 0).time_since_epoch().count()) * 1000; };
  const plan::Day last = *first + std::chrono::days{*days};
  auto found = store::appointments_between(ctx.db, at(*first), at(last), practitioner.value, client.value, 2000);
  if (!found) return store_problem(found.error());
  Names names{ctx, {}, {}, {}};
  Json list = Json::array();
  for (const store::Appointment& a : *found)
    list.push_back(appointment_json(a, *clock, names, attention_of(ctx, *clock, a, req.session->user.role)));
  return json_reply(200, {{"appointments", std::move(list)},
                          {"from", plan::format_date(*first)},
                          {"days", *days},
                          {"time_zone", clock->zone.name()}});
}

Reply post_appointment(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"client_id",    "practitioner_id", "chair_id",        "kind",          "session_number",
                                                "start",        "duration_min",    "notes",           "override_reason", "override_gates"};
  FieldReader r(*body, kKnown);
  const TextField client = r.text("client_id", true, false, 64);
  const TextField practitioner = r.text("practitioner_id", true, false, 64);
  const TextField chair = r.text("chair_id", false, true, 64);
  const TextField kind = r.text("kind", true, false, 20);
  const auto session_number = r.integer("session_number", false, 1, 4);
  const TextField start = r.text("start", true, false, 40);
  const auto duration = r.integer("duration_min", true, kMinDuration, kMaxDuration);
  const TextField notes = r.text("notes", false, true, 2000, true);
  const TextField reason = r.text("override_reason", false, true, 2000, true);
  const Override override_ = read_override(r, *body, reason, req.session->user.role);
  if (kind.state == TextField::State::value &&
      std::find(std::begin(store::kAppointmentKinds), std::end(store::kAppointmentKinds), kind.value) == std::end(store::kAppointmentKinds))
    r.error("kind", fmt::format("expected consultation, patch_test, session or touch_up, found '{}'", kind.value.substr(0, 40)));
  if (kind.value == "session" && !session_number) r.error("session_number", "expected the session's number, 1 to 4, found nothing");
  if (kind.state == TextField::State::value && kind.value != "session" && session_number)
    r.error("session_number", fmt::format("expected no session number for a {}, found {}", kind.value, *session_number));
  std::optional<store::TimeMs> at;
  if (start.state == TextField::State::value) {
    at = parse_rfc3339(start.value);
    if (!at) r.error("start", fmt::format("expected an RFC 3339 time with its offset (2027-03-29T10:00:00+01:00), found '{}'", start.value));
    else check_not_past(r, ctx, *at);
  }
  if (!r.ok()) return r.problem_reply();
  FieldReader refs(*body, kKnown);
  check_references(ctx, refs, client.value, practitioner.value, optional_text(chair));
  if (!refs.ok()) return unprocessable_reply(refs);
  auto clock = clinic_clock(ctx.db);
  if (!clock) return clock.error();
  store::Appointment a;
  a.client_id = client.value;
  a.practitioner_id = practitioner.value;
  a.chair_id = optional_text(chair).value_or("");
  a.kind = kind.value;
  a.session_number = session_number ? static_cast<int>(*session_number) : 0;
  a.start = *at;
  a.end = *at + *duration * 60'000;
  a.notes = optional_text(notes).value_or("");
  a.created_by = req.session->user.id;
  if (auto refused = apply_gates(ctx, *clock, a, override_, req.session->user.role)) return *refused;
  auto booked = store::book_appointment(ctx.db, a, ctx.now);
  if (!booked) {
    if (is_overlap(booked.error())) return overlap_refused(booked.error());
    return store_problem(booked.error());
  }
  if (auto audited = audit_override(ctx, req, *booked); !audited) return store_problem(audited.error());
  if (auto logged = audit_booking(ctx, req, *booked, "create", *clock); !logged) return store_problem(logged.error());
  Names names{ctx, {}, {}, {}};
  Reply reply = json_reply(201, appointment_json(*booked, *clock, names));
  reply.headers.emplace_back("Location", "/api/v1/appointments/" + booked->id);
  return reply;
}

Reply get_appointment(Context& ctx, const Request& req) {
  auto a = store::find_appointment(ctx.db, req.path_params.at("id"));
  if (!a) return store_problem(a.error());
  auto clock = clinic_clock(ctx.db);
  if (!clock) return clock.error();
  Names names{ctx, {}, {}, {}};
  Reply reply = json_reply(200, appointment_json(*a, *clock, names, attention_of(ctx, *clock, *a, req.session->user.role)));
  reply.headers.emplace_back("ETag", fmt::format("\"{}\"", a->version));
  return reply;
}

Reply patch_appointment(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"version", "practitioner_id", "chair_id",        "start",         "duration_min",
                                                "status",  "notes",           "override_reason", "override_gates"};
  FieldReader r(*body, kKnown);
  const auto version = r.integer("version", true, 1, 2147483647);
  const TextField practitioner = r.text("practitioner_id", false, false, 64);
  const TextField chair = r.text("chair_id", false, true, 64);
  const TextField start = r.text("start", false, false, 40);
  const auto duration = r.integer("duration_min", false, kMinDuration, kMaxDuration);
  const TextField status = r.text("status", false, false, 20);
  const TextField notes = r.text("notes", false, true, 2000, true);
  const TextField reason = r.text("override_reason", false, true, 2000, true);
  const Override override_ = read_override(r, *body, reason, req.session->user.role);
  std::optional<store::TimeMs> at;
  if (start.state == TextField::State::value) {
    at = parse_rfc3339(start.value);
    if (!at) r.error("start", fmt::format("expected an RFC 3339 time with its offset (2027-03-29T10:00:00+01:00), found '{}'", start.value));
    else check_not_past(r, ctx, *at);
  }
  if (status.state == TextField::State::value && status.value != "booked" && status.value != "cancelled")
    r.error("status", fmt::format("expected booked or cancelled, found '{}'", status.value.substr(0, 40)));
  if (!r.ok()) return r.problem_reply();
  const std::string& id = req.path_params.at("id");
  auto current = store::find_appointment(ctx.db, id);
  if (!current) return store_problem(current.error());
  FieldReader refs(*body, kKnown);
  check_references(ctx, refs, std::nullopt, optional_text(practitioner), optional_text(chair));
  if (!refs.ok()) return unprocessable_reply(refs);
  auto clock = clinic_clock(ctx.db);
  if (!clock) return clock.error();
  store::AppointmentChanges ch;
  const store::TimeMs length = duration ? *duration * 60'000 : current->end - current->start;
  const store::TimeMs from = at.value_or(current->start);
  if (at || duration) ch.start = from, ch.end = from + length;
  ch.practitioner_id = optional_text(practitioner);
  ch.chair_id = optional_text(chair);
  ch.status = optional_text(status);
  ch.notes = optional_text(notes);
  const bool booked = ch.status.value_or(current->status) == "booked";
  const bool moved = ch.start.has_value() || (ch.status && *ch.status == "booked" && current->status != "booked");
  if (booked && moved) {
    // The booking's rules again, on the appointment as it would be.
    store::Appointment next = *current;
    next.start = from;
    next.end = from + length;
    next.practitioner_id = ch.practitioner_id.value_or(current->practitioner_id);
    // Without a new override, the gates it was booked against stay waived (with their reason).
    Override kept = override_;
    if (kept.gates.empty() && !current->overridden_gates.empty()) {
      for (const Json& g : split_gates(current->overridden_gates)) kept.gates.push_back(g.get<std::string>());
      kept.reason = current->override_reason;
    }
    if (auto refused = apply_gates(ctx, *clock, next, kept, req.session->user.role)) return *refused;
    ch.overridden_gates = next.overridden_gates;
    ch.override_reason = next.override_reason;
  }
  auto changed = store::change_appointment(ctx.db, id, static_cast<int>(*version), ch, ctx.now);
  if (!changed) {
    const store::StoreError& e = changed.error();
    if (is_overlap(e)) return overlap_refused(e);
    if (e.code != store::StoreError::Code::stale) return store_problem(e);
    Reply stale = problem(409, problem_type::stale_version,
                          fmt::format("the appointment changed since version {} was read; read it again", *version),
                          {{"version", fmt::format("expected the current version, found {}", *version)}});
    if (auto now = store::find_appointment(ctx.db, id)) stale.body["current_version"] = now->version;
    return stale;
  }
  if (ch.overridden_gates && !ch.overridden_gates->empty() && !override_.gates.empty())
    if (auto audited = audit_override(ctx, req, *changed); !audited) return store_problem(audited.error());
  if (auto logged = audit_booking(ctx, req, *changed, ch.status && *ch.status == "cancelled" && current->status != "cancelled" ? "cancel" : "update",
                                  *clock);
      !logged)
    return store_problem(logged.error());
  Names names{ctx, {}, {}, {}};
  Reply reply = json_reply(200, appointment_json(*changed, *clock, names));
  reply.headers.emplace_back("ETag", fmt::format("\"{}\"", changed->version));
  return reply;
}

}  // namespace stipple::studio
