// The clinic's settings: GET/PUT /api/v1/clinic, GET /api/v1/clinic/versions
// and GET /api/v1/clinic/versions/{version}.
#include "stipple/studio/settings.h"

#include <charconv>
#include <map>

#include <fmt/format.h>

#include "stipple/plan/plan.h"
#include "stipple/plan/time_zone.h"
#include "stipple/store/users.h"
#include "stipple/studio/body.h"
#include "stipple/studio/handlers.h"

namespace stipple::studio {

namespace {

using io::Json;

// The documents of one version with who saved it; `documents` false: the history's entry.
Json settings_json(Context& ctx, const store::ClinicSettings& s, bool documents) {
  Json j = {{"version", s.version}, {"saved_at", nullptr}, {"saved_by", nullptr}, {"saved_by_name", nullptr}};
  if (s.version > 0) {
    j["saved_at"] = rfc3339(s.saved_at);
    j["saved_by"] = s.saved_by;
    auto u = store::find_user(ctx.db, s.saved_by);
    if (u) j["saved_by_name"] = u->name;
  }
  if (documents) {
    j["clinic"] = Json::parse(s.clinic, nullptr, false);
    j["pricing"] = Json::parse(s.pricing, nullptr, false);
    j["care"] = Json::parse(s.care, nullptr, false);
    j["today"] = clinic_today(s, ctx.now);
  }
  return j;
}

// Every error of one document that the engine's reader can tell apart, under
// the document's key ("clinic.hours.mon"), each field put back as it is in
// `in_force` (the settings saved now, which the reader accepts) to find the
// next (reader_errors). The saved text is the document as sent.
template <class Parse>
void check_document(FieldReader& r, const Json& body, std::string_view key, std::string_view schema, Parse parse,
                    const std::string& in_force, std::string& text) {
  const auto it = body.find(key);
  if (it == body.end()) return r.error(std::string(key), fmt::format("expected a {} document, found nothing", schema));
  if (!it->is_object())
    return r.error(std::string(key), fmt::format("expected a {} document (an object), found {}", schema, io::describe_json(*it)));
  text = io::dump_document(*it);
  const Json reference = Json::parse(in_force, nullptr, false);
  const auto read = [&](const std::string& t) -> std::optional<InputError> {
    auto parsed = parse(t, std::string(key), io::ReadOptions{});
    if (parsed) return std::nullopt;
    return parsed.error();
  };
  for (const InputError& e : reader_errors(*it, reference.is_object() ? &reference : nullptr, read))
    r.error(e.field.empty() ? std::string(key) : join_path(key, e.field), fmt::format("expected {}, found {}", e.expected, e.found));
}

}  // namespace

store::StoreResult<store::ClinicSettings> clinic_settings(store::Database& db, int version) {
  if (version > 0) return store::find_settings(db, version);
  if (version < 0) return store::store_error(store::StoreError::Code::not_found, "no such version of the clinic's settings");
  store::ClinicSettings defaults;
  defaults.clinic = std::string(plan::default_clinic_json());
  defaults.pricing = std::string(plan::default_pricing_json());
  defaults.care = std::string(plan::default_care_json());
  return defaults;
}

store::StoreResult<store::ClinicSettings> current_clinic_settings(store::Database& db) {
  auto latest = store::latest_settings(db);
  if (!latest) return std::unexpected(latest.error());
  if (*latest) return std::move(**latest);
  return clinic_settings(db, 0);
}

std::string clinic_today(const store::ClinicSettings& settings, store::TimeMs now) {
  const std::chrono::sys_seconds t{std::chrono::seconds{now / 1000}};
  auto clinic = plan::parse_clinic(settings.clinic, "clinic");
  const auto zone = clinic ? plan::TimeZone::locate(clinic->time_zone) : std::nullopt;
  return plan::format_date(zone ? zone->local_day(t) : std::chrono::floor<std::chrono::days>(t));
}

Reply get_clinic(Context& ctx, const Request&) {
  auto s = current_clinic_settings(ctx.db);
  if (!s) return store_problem(s.error());
  return json_reply(200, settings_json(ctx, *s, true));
}

Reply put_clinic(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"version", "clinic", "pricing", "care"};
  FieldReader r(*body, kKnown);
  const auto version = r.integer("version", true, 0, 1'000'000'000);
  auto in_force = current_clinic_settings(ctx.db);
  if (!in_force) return store_problem(in_force.error());
  store::ClinicSettings next;
  check_document(r, *body, "clinic", "stipple.clinic/1", plan::parse_clinic, in_force->clinic, next.clinic);
  check_document(r, *body, "pricing", "stipple.pricing/1", plan::parse_pricing, in_force->pricing, next.pricing);
  check_document(r, *body, "care", "stipple.care/1", plan::parse_care, in_force->care, next.care);
  if (!r.ok()) return r.problem_reply();
  next.saved_by = req.session->user.id;
  auto saved = store::save_settings(ctx.db, static_cast<int>(*version), next, ctx.now);
  if (!saved) return store_problem(saved.error());
  return json_reply(200, settings_json(ctx, *saved, true));
}

Reply list_clinic_versions(Context& ctx, const Request& req) {
  static constexpr std::string_view kKnown[] = {"limit"};
  auto query = read_query(req, kKnown);
  if (!query) return query.error();
  FieldReader r(*query, kKnown);
  const auto limit = query_integer(r, *query, "limit", 50, 1, 100);
  if (!r.ok()) return r.problem_reply();
  auto list = store::settings_history(ctx.db, static_cast<int>(*limit));
  if (!list) return store_problem(list.error());
  Json out = Json::array();
  for (const store::ClinicSettings& s : *list) out.push_back(settings_json(ctx, s, false));
  return json_reply(200, {{"versions", std::move(out)}});
}

Reply get_clinic_version(Context& ctx, const Request& req) {
  const std::string& text = req.path_params.at("version");
  int version = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc{} || end != text.data() + text.size() || version < 0)
    return problem(404, "", fmt::format("no version '{}' of the clinic's settings", text));
  auto s = clinic_settings(ctx.db, version);
  if (!s) return store_problem(s.error());
  return json_reply(200, settings_json(ctx, *s, true));
}

}  // namespace stipple::studio
