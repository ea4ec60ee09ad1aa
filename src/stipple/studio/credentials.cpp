// Credentials: GET/POST /api/v1/credentials, PATCH /api/v1/credentials/{id}.
//
// Brief section 9 "The clinic": a licensed body-art practitioner,
// bloodborne-pathogens certification, the clinic's health permit. The owner
// records each with its dates; nobody is booked to put pigment in the skin on
// a day a credential of theirs or the clinic's is not valid (the booking's
// credentials gate, diary.cpp); the list says what needs the owner's attention:
// what has lapsed, what is missing, and what expires within the days asked
// (60 by default).
#include <fmt/format.h>

#include "stipple/plan/plan.h"
#include "stipple/plan/time_zone.h"
#include "stipple/store/audit.h"
#include "stipple/store/credentials.h"
#include "stipple/store/users.h"
#include "stipple/studio/body.h"
#include "stipple/studio/diary.h"
#include "stipple/studio/handlers.h"
#include "stipple/studio/settings.h"

namespace stipple::studio {

std::string gate_list() {
  std::string out;
  for (std::size_t i = 0; i < std::size(kGates); ++i)
    out += std::string(i == 0 ? "" : i + 1 == std::size(kGates) ? " or " : ", ") + std::string(kGates[i]);
  return out;
}

std::string credential_words(std::string_view kind) {
  if (kind == "body_art_licence") return "body-art licence";
  if (kind == "bloodborne_pathogens") return "bloodborne-pathogens training";
  if (kind == "health_permit") return "health permit";
  return std::string(kind);
}

namespace {

using Json = io::Json;

constexpr int kDefaultNoticeDays = 60;  // issue 21: what expires in the next 60 days

bool treats(const store::User& u) { return !u.disabled && (u.role == store::Role::practitioner || u.role == store::Role::owner); }

// The clinic's today on its wall clock.
std::expected<plan::Day, Reply> clinic_today(Context& ctx) {
  auto zone = clinic_time_zone(ctx.db);
  if (!zone) return std::unexpected(zone.error());
  return clinic_day(*zone, ctx.now);
}

// valid | expired | not_yet_valid | revoked, on `today` (YYYY-MM-DD).
std::string_view state_of(const store::Credential& c, const std::string& today) {
  if (c.revoked_at) return "revoked";
  if (today < c.valid_from) return "not_yet_valid";
  if (today > c.expires_on) return "expired";
  return "valid";
}

int days_between(const std::string& from, const std::string& to) {
  const auto a = plan::parse_date(from), b = plan::parse_date(to);
  return a && b ? static_cast<int>((*b - *a).count()) : 0;
}

Json credential_json(const store::Credential& c, const std::string& holder_name, const std::string& today) {
  return {{"id", c.id},
          {"user_id", c.user_id.empty() ? Json(nullptr) : Json(c.user_id)},
          {"holder_name", holder_name},
          {"kind", c.kind},
          {"kind_text", credential_words(c.kind)},
          {"reference", c.reference},
          {"issuer", c.issuer},
          {"valid_from", c.valid_from},
          {"expires_on", c.expires_on},
          {"state", std::string(state_of(c, today))},
          {"days_left", days_between(today, c.expires_on)},
          {"created_by", c.created_by},
          {"created_at", rfc3339(c.created_at)},
          {"revoked_at", c.revoked_at ? Json(rfc3339(*c.revoked_at)) : Json(nullptr)},
          {"revoked_by", c.revoked_by.empty() ? Json(nullptr) : Json(c.revoked_by)},
          {"revoke_reason", c.revoke_reason}};
}

}  // namespace

Reply list_credentials(Context& ctx, const Request& req) {
  static constexpr std::string_view kKnown[] = {"user_id", "notice_days"};
  auto query = read_query(req, kKnown);
  if (!query) return query.error();
  FieldReader r(*query, kKnown);
  const TextField user = r.text("user_id", false, false, 64);
  const auto notice = query_integer(r, *query, "notice_days", kDefaultNoticeDays, 1, 366);
  if (!r.ok()) return r.problem_reply();
  auto day = clinic_today(ctx);
  if (!day) return day.error();
  const std::string today = plan::format_date(*day);
  auto list = store::list_credentials(ctx.db, user.value);
  if (!list) return store_problem(list.error());
  auto users = store::list_users(ctx.db);
  if (!users) return store_problem(users.error());
  std::map<std::string, std::string> names;
  for (const store::User& u : *users) names[u.id] = u.name;
  const auto holder = [&](const std::string& id) { return id.empty() ? std::string("The clinic") : names[id]; };
  Json out = Json::array();
  for (const store::Credential& c : *list) out.push_back(credential_json(c, holder(c.user_id), today));

  // What needs the owner: each holder's each kind, by its best credential today.
  Json attention = Json::array();
  const auto attend = [&](const std::string& holder_id, std::string_view kind) {
    const store::Credential* best = nullptr;  // valid today and lasting longest, else the latest to expire
    bool valid = false;
    for (const store::Credential& c : *list) {
      if (c.user_id != holder_id || c.kind != kind || c.revoked_at) continue;
      const bool v = state_of(c, today) == "valid";
      if (!best || (v && !valid) || (v == valid && c.expires_on > best->expires_on)) best = &c, valid = v;
    }
    Json item = {{"user_id", holder_id.empty() ? Json(nullptr) : Json(holder_id)},
                 {"holder_name", holder(holder_id)},
                 {"kind", std::string(kind)},
                 {"kind_text", credential_words(kind)}};
    if (!best) {
      item["state"] = "missing";
      item["message"] = fmt::format("{}: no {} recorded, so {} be booked to treat", holder(holder_id), credential_words(kind),
                                    holder_id.empty() ? "nobody can" : "they cannot");
    } else if (!valid) {
      item["state"] = state_of(*best, today);
      item["expires_on"] = best->expires_on;
      item["message"] = state_of(*best, today) == "expired"
                            ? fmt::format("{}'s {} expired on {}", holder(holder_id), credential_words(kind), best->expires_on)
                            : fmt::format("{}'s {} is valid only from {}", holder(holder_id), credential_words(kind), best->valid_from);
    } else {
      // Valid today: how long it stays covered, a renewal that starts by the
      // day after an expiry carrying it on.
      std::string covered = best->expires_on;
      for (bool extended = true; extended;) {
        extended = false;
        for (const store::Credential& c : *list) {
          if (c.user_id != holder_id || c.kind != kind || c.revoked_at || c.expires_on <= covered) continue;
          const auto end = plan::parse_date(covered), from = plan::parse_date(c.valid_from);
          if (end && from && *from <= *end + std::chrono::days{1}) covered = c.expires_on, extended = true;
        }
      }
      const int left = days_between(today, covered);
      if (left > *notice) return;
      item["state"] = "expires_soon";
      item["expires_on"] = covered;
      item["days_left"] = left;
      item["message"] = fmt::format("{}'s {} expires on {}, in {} days", holder(holder_id), credential_words(kind), covered, left);
    }
    attention.push_back(std::move(item));
  };
  for (const store::User& u : *users)
    if (treats(u) && (user.value.empty() || u.id == user.value))
      for (std::string_view kind : store::kPractitionerCredentialKinds) attend(u.id, kind);
  if (user.value.empty()) attend("", "health_permit");
  return json_reply(200, {{"credentials", std::move(out)}, {"attention", std::move(attention)}, {"today", today}, {"notice_days", *notice}});
}

Reply post_credential(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"user_id", "kind", "reference", "issuer", "valid_from", "expires_on"};
  FieldReader r(*body, kKnown);
  const TextField user = r.text("user_id", false, true, 64);
  const TextField kind = r.text("kind", true, false, 40);
  const TextField reference = r.text("reference", true, false, 80);
  const TextField issuer = r.text("issuer", false, true, 200);
  const TextField from = r.text("valid_from", true, false, 10);
  const TextField to = r.text("expires_on", true, false, 10);
  const bool known_kind = std::find(std::begin(store::kCredentialKinds), std::end(store::kCredentialKinds), kind.value) !=
                          std::end(store::kCredentialKinds);
  if (kind.state == TextField::State::value && !known_kind)
    r.error("kind", fmt::format("expected body_art_licence, bloodborne_pathogens or health_permit, found '{}'", kind.value.substr(0, 40)));
  const bool has_user = user.state == TextField::State::value;
  if (known_kind && kind.value == "health_permit" && has_user)
    r.error("user_id", "expected no user for the health permit: it is the clinic's");
  if (known_kind && kind.value != "health_permit" && !has_user)
    r.error("user_id", fmt::format("expected the practitioner who holds the {}, found none", credential_words(kind.value)));
  if (reference.state == TextField::State::value && reference.value.find_first_not_of(' ') == std::string::npos)
    r.error("reference", "expected the number as printed on the licence or certificate, found nothing");
  std::optional<plan::Day> a, b;
  for (const auto& [name, t, day] : {std::tuple<std::string_view, const TextField&, std::optional<plan::Day>*>{"valid_from", from, &a},
                                     {"expires_on", to, &b}})
    if (t.state == TextField::State::value) {
      *day = plan::parse_date(t.value);
      if (!*day) r.error(std::string(name), fmt::format("expected a day YYYY-MM-DD, found '{}'", t.value));
    }
  if (a && b && *b < *a)
    r.error("expires_on", fmt::format("expected a last valid day on or after the first ({}), found {}", from.value, to.value));
  if (!r.ok()) return r.problem_reply();
  if (has_user) {
    auto u = store::find_user(ctx.db, user.value);
    if (!u || !treats(*u)) {
      Reply reply = problem(422, problem_type::unprocessable, "the credential names nobody who treats",
                            {{"user_id", fmt::format("expected the id of a practitioner or owner who can treat, found '{}'", user.value.substr(0, 40))}});
      return reply;
    }
  }
  store::Credential c;
  c.user_id = has_user ? user.value : "";
  c.kind = kind.value;
  c.reference = reference.value;
  c.issuer = issuer.state == TextField::State::value ? issuer.value : "";
  c.valid_from = plan::format_date(*a);
  c.expires_on = plan::format_date(*b);
  c.created_by = req.session->user.id;
  auto added = store::add_credential(ctx.db, c, ctx.now);
  if (!added) return store_problem(added.error());
  if (auto audited = store::append_audit(ctx.db,
                                         {req.session->user.id, "create", "credential", "", req.ip,
                                          fmt::format("{} {} for {}, {} to {}", credential_words(c.kind), c.reference,
                                                      has_user ? c.user_id : "the clinic", c.valid_from, c.expires_on)},
                                         ctx.now);
      !audited)
    return store_problem(audited.error());
  auto day = clinic_today(ctx);
  if (!day) return day.error();
  std::string name = "The clinic";
  if (has_user)
    if (auto u = store::find_user(ctx.db, c.user_id)) name = u->name;
  Reply reply = json_reply(201, credential_json(*added, name, plan::format_date(*day)));
  reply.headers.emplace_back("Location", "/api/v1/credentials/" + added->id);
  return reply;
}

Reply revoke_credential(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"revoke_reason"};
  FieldReader r(*body, kKnown);
  const TextField reason = r.text("revoke_reason", true, false, 2000, true);
  if (reason.state == TextField::State::value && reason.value.find_first_not_of(" \n") == std::string::npos)
    r.error("revoke_reason", "expected why the credential was recorded in error, found nothing");
  if (!r.ok()) return r.problem_reply();
  auto revoked = store::revoke_credential(ctx.db, req.path_params.at("id"), req.session->user.id, reason.value, ctx.now);
  if (!revoked) {
    if (revoked.error().code == store::StoreError::Code::stale)
      return problem(409, problem_type::conflict, "the credential was revoked already",
                     {{"revoke_reason", "expected a credential in force, found one revoked already"}});
    return store_problem(revoked.error());
  }
  if (auto audited = store::append_audit(ctx.db,
                                         {req.session->user.id, "revoke", "credential", "", req.ip,
                                          fmt::format("{} {}: {}", credential_words(revoked->kind), revoked->reference, reason.value)},
                                         ctx.now);
      !audited)
    return store_problem(audited.error());
  auto day = clinic_today(ctx);
  if (!day) return day.error();
  std::string name = "The clinic";
  if (!revoked->user_id.empty())
    if (auto u = store::find_user(ctx.db, revoked->user_id)) name = u->name;
  return json_reply(200, credential_json(*revoked, name, plan::format_date(*day)));
}

}  // namespace stipple::studio
