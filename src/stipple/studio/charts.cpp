// Lots and session charts: GET/POST /api/v1/lots, GET /api/v1/lots/{id},
// GET /api/v1/lots/{id}/recipients; POST/GET /api/v1/clients/{id}/charts,
// GET/PATCH /api/v1/charts/{id}, POST /api/v1/charts/{id}/signature,
// POST /api/v1/charts/{id}/amendments.
//
// A chart names the lots it used; a lot past its expiry on the session's day
// (on the clinic's clock) is refused at charting, at its place in `lots`. The
// practitioner who charted signs, and only a complete chart: at least one
// pigment and one needle lot, and every item of the hygiene checklist (brief
// section 9) confirmed; a signed chart is locked (the database's rule) and a
// correction is an amendment beside it.
#include <algorithm>
#include <map>
#include <set>
#include <span>

#include <fmt/format.h>

#include "stipple/plan/plan.h"
#include "stipple/store/charts.h"
#include "stipple/store/clients.h"
#include "stipple/store/diary.h"
#include "stipple/store/photos.h"
#include "stipple/store/users.h"
#include "stipple/studio/body.h"
#include "stipple/studio/diary.h"
#include "stipple/studio/handlers.h"

namespace stipple::studio {

namespace {

using Json = io::Json;

constexpr std::size_t kMaxLotsPerChart = 12;
constexpr std::string_view kHygiene[] = {"cartridges_opened_in_front", "gloves", "barrier_film", "surfaces_disinfected"};

Json lot_json(const store::Lot& l) {
  return {{"id", l.id},         {"kind", l.kind},     {"product", l.product},       {"lot", l.lot},
          {"expires_on", l.expires_on}, {"detail", l.detail}, {"created_by", l.created_by}, {"created_at", rfc3339(l.created_at)}};
}

std::string user_name(Context& ctx, const std::string& id) {
  auto u = store::find_user(ctx.db, id);
  return u ? u->name : std::string();
}

Json chart_json(Context& ctx, const store::Chart& c, const plan::TimeZone& zone) {
  Json lots = Json::array();
  for (const store::ChartLot& cl : c.lots) {
    auto l = store::find_lot(ctx.db, cl.lot_id);
    Json j = l ? lot_json(*l) : Json{{"id", cl.lot_id}};
    j["use"] = cl.use;
    lots.push_back(std::move(j));
  }
  Json amendments = Json::array();
  if (auto list = store::amendments_of(ctx.db, c.id))
    for (const store::Amendment& a : *list)
      amendments.push_back({{"id", a.id}, {"text", a.text}, {"created_by", a.created_by}, {"created_by_name", user_name(ctx, a.created_by)},
                            {"created_at", rfc3339(a.created_at)}});
  const auto opt = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  return {{"id", c.id},
          {"client_id", c.client_id},
          {"appointment_id", opt(c.appointment_id)},
          {"practitioner_id", c.practitioner_id},
          {"practitioner_name", user_name(ctx, c.practitioner_id)},
          {"session_number", c.session_number},
          {"zones", c.zones},
          {"started_at", local_rfc3339(c.started_at, zone)},
          {"ended_at", local_rfc3339(c.ended_at, zone)},
          {"time_zone", zone.name()},
          {"dilution", c.dilution},
          {"lots", std::move(lots)},
          {"hygiene",
           {{"cartridges_opened_in_front", c.cartridges_opened_in_front},
            {"gloves", c.gloves},
            {"barrier_film", c.barrier_film},
            {"surfaces_disinfected", c.surfaces_disinfected}}},
          {"before_photo_id", opt(c.before_photo_id)},
          {"after_photo_id", opt(c.after_photo_id)},
          {"adverse_reaction", c.adverse_reaction},
          {"notes", c.notes},
          {"status", c.status},
          {"signed_at", c.signed_at ? Json(rfc3339(*c.signed_at)) : Json(nullptr)},
          {"signed_by", opt(c.signed_by)},
          {"amendments", std::move(amendments)},
          {"created_at", rfc3339(c.created_at)},
          {"updated_at", rfc3339(c.updated_at)},
          {"version", c.version}};
}

// A chart's fields from a body (POST or PATCH), every error recorded; the
// references are checked against the client's own records and the lots'
// expiry against the session's day on the clinic's clock.
std::optional<store::Chart> read_chart_body(Context& ctx, FieldReader& r, const Json& body, const std::string& client_id,
                                            const plan::TimeZone& zone) {
  store::Chart c;
  c.client_id = client_id;
  const TextField appointment = r.text("appointment_id", false, true, 64);
  const auto number = r.integer("session_number", true, 0, 4);
  const TextField zones = r.text("zones", true, false, 500);
  const TextField start = r.text("started_at", true, false, 40), end = r.text("ended_at", true, false, 40);
  const TextField dilution = r.text("dilution", false, true, 80);
  const TextField before = r.text("before_photo_id", false, true, 64), after = r.text("after_photo_id", false, true, 64);
  const TextField adverse = r.text("adverse_reaction", false, true, 4000, true);
  const TextField notes = r.text("notes", false, true, 4000, true);
  if (zones.state == TextField::State::value && zones.value.find_first_not_of(' ') == std::string::npos)
    r.error("zones", "expected the areas worked (\"hairline, crown\"), found nothing");
  std::optional<store::TimeMs> s, e;
  for (const auto& [name, t, at] : {std::tuple<const char*, const TextField&, std::optional<store::TimeMs>*>{"started_at", start, &s},
                                    {"ended_at", end, &e}})
    if (t.state == TextField::State::value) {
      *at = parse_rfc3339(t.value);
      if (!*at) r.error(name, fmt::format("expected an RFC 3339 time with its offset, found '{}'", t.value.substr(0, 40)));
    }
  if (s && e && *e <= *s) r.error("ended_at", "expected the end after the start");
  if (s && *s > ctx.now + 15 * 60'000) r.error("started_at", "expected a session that has started, found one in the future");
  // The hygiene checklist: four yes/no answers.
  const auto h = body.find("hygiene");
  if (h != body.end() && !h->is_object()) r.error("hygiene", "expected an object of the checklist's four answers");
  const auto answer = [&](std::string_view key) {
    if (h == body.end() || !h->is_object()) return false;
    const auto it = h->find(std::string(key));
    if (it == h->end() || it->is_null()) return false;
    if (!it->is_boolean()) r.error(fmt::format("hygiene.{}", key), "expected true or false");
    return it->is_boolean() && it->get<bool>();
  };
  c.cartridges_opened_in_front = answer("cartridges_opened_in_front");
  c.gloves = answer("gloves");
  c.barrier_film = answer("barrier_film");
  c.surfaces_disinfected = answer("surfaces_disinfected");
  if (h != body.end() && h->is_object())
    for (const auto& [k, v] : h->items())
      if (std::find(std::begin(kHygiene), std::end(kHygiene), k) == std::end(kHygiene))
        r.error(fmt::format("hygiene.{}", k.substr(0, 40)), "expected cartridges_opened_in_front, gloves, barrier_film or surfaces_disinfected");
  // The lots: [{lot_id}], each in date on the session's day.
  const auto l = body.find("lots");
  const std::string day = s ? plan::format_date(clinic_day(zone, *s)) : "";
  if (l != body.end() && !l->is_null()) {
    if (!l->is_array() || l->size() > kMaxLotsPerChart) {
      r.error("lots", fmt::format("expected a list of at most {} lots ({{\"lot_id\": ...}})", kMaxLotsPerChart));
    } else {
      for (std::size_t i = 0; i < l->size(); ++i) {
        const Json& item = (*l)[i];
        const std::string field = fmt::format("lots[{}]", i);
        const std::string id = item.is_object() && item.contains("lot_id") && item["lot_id"].is_string() ? item["lot_id"].get<std::string>() : "";
        auto lot = id.empty() ? store::StoreResult<store::Lot>(std::unexpected(store::StoreError{store::StoreError::Code::not_found, ""}))
                              : store::find_lot(ctx.db, id);
        if (!lot) {
          r.error(field, fmt::format("expected the id of a lot, found '{}'", id.substr(0, 40)));
          continue;
        }
        if (std::any_of(c.lots.begin(), c.lots.end(), [&](const store::ChartLot& x) { return x.lot_id == id; })) {
          r.error(field, fmt::format("expected each lot once, found {} {} again", lot->product, lot->lot));
          continue;
        }
        if (!day.empty() && lot->expires_on < day)
          r.error(field, fmt::format("expected a lot in date on {}, found {} lot {} expired {}", day, lot->product, lot->lot, lot->expires_on));
        c.lots.push_back({lot->id, lot->kind});
      }
    }
  }
  // References: the client's own appointment (a session or touch-up) and photos.
  if (appointment.state == TextField::State::value) {
    auto a = store::find_appointment(ctx.db, appointment.value);
    if (!a || a->client_id != client_id || (a->kind != "session" && a->kind != "touch_up"))
      r.error("appointment_id", "expected one of the client's session or touch-up appointments");
    else if (number && a->kind == "session" && a->session_number != *number)
      r.error("session_number", fmt::format("expected {}, the appointment's session, found {}", a->session_number, *number));
    else
      c.appointment_id = a->id;
  }
  for (const auto& [name, t, out] : {std::tuple<const char*, const TextField&, std::string*>{"before_photo_id", before, &c.before_photo_id},
                                     {"after_photo_id", after, &c.after_photo_id}})
    if (t.state == TextField::State::value) {
      auto p = store::find_photo(ctx.db, t.value);
      if (!p || p->client_id != client_id) r.error(name, "expected one of the client's photos");
      else *out = p->id;
    }
  if (!r.ok()) return std::nullopt;
  c.session_number = static_cast<int>(*number);
  c.zones = zones.value;
  c.started_at = *s;
  c.ended_at = *e;
  c.dilution = dilution.state == TextField::State::value ? dilution.value : "";
  c.adverse_reaction = adverse.state == TextField::State::value ? adverse.value : "";
  c.notes = notes.state == TextField::State::value ? notes.value : "";
  return c;
}

constexpr std::string_view kChartFields[] = {"appointment_id", "session_number", "zones",   "started_at", "ended_at",
                                             "dilution",       "lots",           "hygiene", "before_photo_id", "after_photo_id",
                                             "adverse_reaction", "notes",        "version"};

Reply chart_reply(Context& ctx, int status, const store::Chart& c, const plan::TimeZone& zone, std::string_view action) {
  Reply reply = json_reply(status, chart_json(ctx, c, zone));
  reply.headers.emplace_back("ETag", fmt::format("\"{}\"", c.version));
  reply.audit = AuditNote{std::string(action), "chart", c.client_id};
  return reply;
}

Reply locked() {
  return problem(409, problem_type::conflict, "a signed chart is locked",
                 {{"version", "expected a draft, found the chart signed: add an amendment instead"}});
}

}  // namespace

Reply list_lots(Context& ctx, const Request& req) {
  static constexpr std::string_view kKnown[] = {"q", "limit"};
  auto query = read_query(req, kKnown);
  if (!query) return query.error();
  FieldReader r(*query, kKnown);
  const TextField q = r.text("q", false, false, 100);
  const auto limit = query_integer(r, *query, "limit", 100, 1, 500);
  if (!r.ok()) return r.problem_reply();
  auto lots = store::search_lots(ctx.db, q.value, static_cast<int>(*limit));
  if (!lots) return store_problem(lots.error());
  Json list = Json::array();
  for (const store::Lot& l : *lots) list.push_back(lot_json(l));
  return json_reply(200, {{"lots", std::move(list)}});
}

Reply post_lot(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"kind", "product", "lot", "expires_on", "detail"};
  FieldReader r(*body, kKnown);
  const TextField kind = r.text("kind", true, false, 20), product = r.text("product", true, false, 200), lot = r.text("lot", true, false, 80);
  const TextField expires = r.text("expires_on", true, false, 10), detail = r.text("detail", false, true, 200);
  if (kind.state == TextField::State::value &&
      std::find(std::begin(store::kLotKinds), std::end(store::kLotKinds), kind.value) == std::end(store::kLotKinds))
    r.error("kind", fmt::format("expected pigment, needle or numbing, found '{}'", kind.value.substr(0, 40)));
  for (const auto& [name, t] : {std::pair<const char*, const TextField&>{"product", product}, {"lot", lot}})
    if (t.state == TextField::State::value && t.value.find_first_not_of(' ') == std::string::npos)
      r.error(name, fmt::format("expected the {} as printed on the label, found nothing", name == std::string("lot") ? "lot number" : "product"));
  if (expires.state == TextField::State::value && !plan::parse_date(expires.value))
    r.error("expires_on", fmt::format("expected a day YYYY-MM-DD, found '{}'", expires.value));
  if (!r.ok()) return r.problem_reply();
  store::Lot l{"", kind.value, product.value, lot.value, expires.value, detail.state == TextField::State::value ? detail.value : "",
               req.session->user.id, 0};
  auto added = store::add_lot(ctx.db, l, ctx.now);
  if (!added) {
    if (added.error().code == store::StoreError::Code::conflict)
      return problem(409, problem_type::conflict, "that lot is recorded",
                     {{"lot", fmt::format("expected a lot not yet recorded, found {} lot {} recorded", l.product, l.lot)}});
    return store_problem(added.error());
  }
  Reply reply = json_reply(201, lot_json(*added));
  reply.headers.emplace_back("Location", "/api/v1/lots/" + added->id);
  return reply;
}

Reply get_lot(Context& ctx, const Request& req) {
  auto l = store::find_lot(ctx.db, req.path_params.at("id"));
  if (!l) return store_problem(l.error());
  return json_reply(200, lot_json(*l));
}

Reply list_lot_recipients(Context& ctx, const Request& req) {
  auto l = store::find_lot(ctx.db, req.path_params.at("id"));
  if (!l) return store_problem(l.error());
  auto zone = clinic_time_zone(ctx.db);
  if (!zone) return zone.error();
  auto found = store::recipients_of_lot(ctx.db, l->id);
  if (!found) return store_problem(found.error());
  Json list = Json::array();
  for (const store::Recipient& r : *found)
    list.push_back({{"client_id", r.client_id},
                    {"client_name", r.client_name},
                    {"email", r.email},
                    {"phone", r.phone},
                    {"chart_id", r.chart_id},
                    {"session_number", r.session_number},
                    {"started_at", local_rfc3339(r.started_at, *zone)},
                    {"practitioner_id", r.practitioner_id},
                    {"practitioner_name", r.practitioner_name}});
  std::set<std::string> clients;
  for (const store::Recipient& r : *found) clients.insert(r.client_id);
  return json_reply(200, {{"lot", lot_json(*l)}, {"recipients", std::move(list)}, {"clients", clients.size()}, {"sessions", found->size()}});
}

Reply post_chart(Context& ctx, const Request& req) {
  const std::string& client_id = req.path_params.at("id");
  auto client = store::find_client(ctx.db, client_id);
  if (!client) return store_problem(client.error());
  auto body = read_json_object(req);
  if (!body) return body.error();
  auto zone = clinic_time_zone(ctx.db);
  if (!zone) return zone.error();
  std::span<const std::string_view> known(kChartFields, std::size(kChartFields) - 1);  // no version on a new chart
  FieldReader r(*body, known);
  auto c = read_chart_body(ctx, r, *body, client_id, *zone);
  if (!c) return r.problem_reply();
  c->practitioner_id = req.session->user.id;
  c->created_by = req.session->user.id;
  auto made = store::create_chart(ctx.db, *c, ctx.now);
  if (!made) {
    if (made.error().code == store::StoreError::Code::conflict)
      return problem(409, problem_type::conflict, "the appointment is charted already",
                     {{"appointment_id", "expected an appointment not yet charted, found one with its chart"}});
    return store_problem(made.error());
  }
  Reply reply = chart_reply(ctx, 201, *made, *zone, "create");
  reply.headers.emplace_back("Location", "/api/v1/charts/" + made->id);
  return reply;
}

Reply list_charts(Context& ctx, const Request& req) {
  const std::string& client_id = req.path_params.at("id");
  auto client = store::find_client(ctx.db, client_id);
  if (!client) return store_problem(client.error());
  auto zone = clinic_time_zone(ctx.db);
  if (!zone) return zone.error();
  auto charts = store::charts_of(ctx.db, client_id);
  if (!charts) return store_problem(charts.error());
  Json list = Json::array();
  for (const store::Chart& c : *charts) list.push_back(chart_json(ctx, c, *zone));
  Reply reply = json_reply(200, {{"charts", std::move(list)}});
  reply.audit = AuditNote{"read", "charts", client_id};
  return reply;
}

Reply get_chart(Context& ctx, const Request& req) {
  auto c = store::find_chart(ctx.db, req.path_params.at("id"));
  if (!c) return store_problem(c.error());
  auto zone = clinic_time_zone(ctx.db);
  if (!zone) return zone.error();
  return chart_reply(ctx, 200, *c, *zone, "read");
}

Reply patch_chart(Context& ctx, const Request& req) {
  auto current = store::find_chart(ctx.db, req.path_params.at("id"));
  if (!current) return store_problem(current.error());
  if (current->status == "signed") return locked();
  auto body = read_json_object(req);
  if (!body) return body.error();
  auto zone = clinic_time_zone(ctx.db);
  if (!zone) return zone.error();
  FieldReader r(*body, kChartFields);
  const auto version = r.integer("version", true, 1, 2147483647);
  auto c = read_chart_body(ctx, r, *body, current->client_id, *zone);
  if (!c || !version) return r.problem_reply();
  c->id = current->id;
  c->practitioner_id = current->practitioner_id;
  auto changed = store::update_chart(ctx.db, *c, static_cast<int>(*version), ctx.now);
  if (!changed) {
    if (changed.error().code == store::StoreError::Code::stale)
      return problem(409, problem_type::stale_version, "the chart changed since it was read; read it again",
                     {{"version", fmt::format("expected the current version, found {}", *version)}});
    if (changed.error().code == store::StoreError::Code::conflict) return locked();
    return store_problem(changed.error());
  }
  return chart_reply(ctx, 200, *changed, *zone, "update");
}

Reply sign_chart(Context& ctx, const Request& req) {
  auto c = store::find_chart(ctx.db, req.path_params.at("id"));
  if (!c) return store_problem(c.error());
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"version"};
  FieldReader r(*body, kKnown);
  const auto version = r.integer("version", true, 1, 2147483647);
  if (!r.ok()) return r.problem_reply();
  if (c->status == "signed") return locked();
  if (req.session->user.id != c->practitioner_id)
    return problem(403, problem_type::forbidden, "the practitioner who charted the session signs it",
                   {{"", fmt::format("expected {} to sign, who charted it", user_name(ctx, c->practitioner_id))}});
  // Only a complete chart is signed: the lots used and every hygiene item.
  const Json nothing = Json::object();
  FieldReader done(nothing, {});
  const auto has = [&](std::string_view use) { return std::any_of(c->lots.begin(), c->lots.end(), [&](const store::ChartLot& l) { return l.use == use; }); };
  if (!has("pigment")) done.error("lots", "expected the pigment's lot, found none");
  if (!has("needle")) done.error("lots", "expected the needle cartridges' lot, found none");
  const std::pair<const char*, bool> checks[] = {
      {"hygiene.cartridges_opened_in_front", c->cartridges_opened_in_front},
      {"hygiene.gloves", c->gloves},
      {"hygiene.barrier_film", c->barrier_film},
      {"hygiene.surfaces_disinfected", c->surfaces_disinfected}};
  const char* words[] = {"single-use cartridges opened in front of the client", "gloves worn", "barrier film on the machine and surfaces",
                         "surfaces disinfected"};
  for (std::size_t i = 0; i < std::size(checks); ++i)
    if (!checks[i].second) done.error(checks[i].first, fmt::format("expected {} confirmed before signing", words[i]));
  if (!done.ok()) {
    Reply reply = done.problem_reply();
    reply.status = 422;
    reply.body["status"] = 422;
    reply.body["type"] = std::string(problem_type::unprocessable);
    reply.body["title"] = std::string(status_title(422));
    reply.body["detail"] = "the chart is not complete enough to sign";
    return reply;
  }
  auto zone = clinic_time_zone(ctx.db);
  if (!zone) return zone.error();
  auto signed_chart = store::sign_chart(ctx.db, c->id, static_cast<int>(*version), req.session->user.id, ctx.now);
  if (!signed_chart) {
    if (signed_chart.error().code == store::StoreError::Code::stale)
      return problem(409, problem_type::stale_version, "the chart changed since it was read; read it again",
                     {{"version", fmt::format("expected the current version, found {}", *version)}});
    if (signed_chart.error().code == store::StoreError::Code::conflict) return locked();
    return store_problem(signed_chart.error());
  }
  return chart_reply(ctx, 200, *signed_chart, *zone, "sign");
}

Reply post_amendment(Context& ctx, const Request& req) {
  auto c = store::find_chart(ctx.db, req.path_params.at("id"));
  if (!c) return store_problem(c.error());
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"text"};
  FieldReader r(*body, kKnown);
  const TextField text = r.text("text", true, false, 4000, true);
  if (text.state == TextField::State::value && text.value.find_first_not_of(" \n") == std::string::npos)
    r.error("text", "expected the correction in words, found nothing");
  if (!r.ok()) return r.problem_reply();
  auto added = store::amend_chart(ctx.db, c->id, text.value, req.session->user.id, ctx.now);
  if (!added) {
    if (added.error().code == store::StoreError::Code::conflict)
      return problem(409, problem_type::conflict, "a draft is changed, not amended",
                     {{"text", "expected a signed chart, found a draft: change it instead"}});
    return store_problem(added.error());
  }
  auto zone = clinic_time_zone(ctx.db);
  if (!zone) return zone.error();
  auto now = store::find_chart(ctx.db, c->id);
  if (!now) return store_problem(now.error());
  Reply reply = chart_reply(ctx, 201, *now, *zone, "amend");
  return reply;
}

}  // namespace stipple::studio
