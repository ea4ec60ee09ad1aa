// Reports: GET /api/v1/reports/recalls (clients due for a touch-up, by month)
// and GET /api/v1/reports/sessions (signed sessions, by month and practitioner).
//
// A touch-up falls due the engine's way (plan/plan.cpp, simulate/stage.h):
// the years until the dots' contrast falls to 65% for the client's sun exposure
// and Fitzpatrick type, from their latest intake (moderate sun and type III
// when it does not say), counted from their latest signed session; 3-8 years
// across the model's range (brief section 7).
#include <map>
#include <set>

#include <fmt/format.h>

#include "stipple/assess/intake.h"
#include "stipple/core/enum_names.h"
#include "stipple/plan/plan.h"
#include "stipple/simulate/stage.h"
#include "stipple/store/charts.h"
#include "stipple/store/clients.h"
#include "stipple/store/intakes.h"
#include "stipple/store/users.h"
#include "stipple/studio/body.h"
#include "stipple/studio/diary.h"
#include "stipple/studio/handlers.h"

namespace stipple::studio {

namespace {

using Json = io::Json;
using std::chrono::days;
using std::chrono::sys_days;

// "YYYY-MM" as its first day.
std::optional<sys_days> parse_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  return plan::parse_date(std::string(text) + "-01");
}

std::string month_of(sys_days d) { return plan::format_date(d).substr(0, 7); }

sys_days add_months(sys_days first, int n) {
  const std::chrono::year_month_day ymd{first};
  const auto ym = std::chrono::year_month{ymd.year(), ymd.month()} + std::chrono::months{n};
  return sys_days{ym / std::chrono::day{1}};
}

// The month range of a report's query: from (default this month) and months (1 to 36, default 12).
struct Months {
  sys_days first, end;
  int count = 12;
};
std::expected<Months, Reply> read_months(Context& ctx, const Request& req, const plan::TimeZone& zone, int fallback) {
  static constexpr std::string_view kKnown[] = {"from", "months"};
  auto query = read_query(req, kKnown);
  if (!query) return std::unexpected(query.error());
  FieldReader r(*query, kKnown);
  const TextField from = r.text("from", false, false, 7);
  const auto months = query_integer(r, *query, "months", fallback, 1, 36);
  std::optional<sys_days> first = parse_month(month_of(clinic_day(zone, ctx.now)));
  if (from.state == TextField::State::value) {
    first = parse_month(from.value);
    if (!first) r.error("from", fmt::format("expected a month YYYY-MM, found '{}'", from.value));
  }
  if (!r.ok()) return std::unexpected(r.problem_reply());
  return Months{*first, add_months(*first, static_cast<int>(*months)), static_cast<int>(*months)};
}

}  // namespace

Reply get_recalls(Context& ctx, const Request& req) {
  auto zone = clinic_time_zone(ctx.db);
  if (!zone) return zone.error();
  auto range = read_months(ctx, req, *zone, 12);
  if (!range) return range.error();
  auto last = store::last_signed_sessions(ctx.db);
  if (!last) return store_problem(last.error());
  std::map<std::string, Json> by_month;
  for (int m = 0; m < range->count; ++m) by_month[month_of(add_months(range->first, m))] = Json::array();
  Json overdue = Json::array();
  const sys_days today = clinic_day(*zone, ctx.now);
  for (const store::LastSession& l : *last) {
    auto client = store::find_client(ctx.db, l.client_id);
    if (!client) continue;
    int fitzpatrick = 3;
    simulate::Sun sun = simulate::Sun::moderate;
    bool from_intake = false;
    if (auto intakes = store::intakes_of_client(ctx.db, l.client_id, 1); intakes && !intakes->empty())
      if (auto stored = store::find_intake(ctx.db, (*intakes)[0].id))
        if (auto parsed = assess::read_intake(stored->document, "intake", io::ReadOptions{true, nullptr})) {
          const assess::Intake& k = parsed->intake;
          if (k.client.fitzpatrick) fitzpatrick = *k.client.fitzpatrick;
          if (k.lifestyle.sun_exposure)
            if (auto s = enum_from_string<simulate::Sun>(to_string(*k.lifestyle.sun_exposure))) sun = *s;
          from_intake = true;
        }
    const double years = simulate::touch_up_years(sun, fitzpatrick);
    const sys_days session = clinic_day(*zone, l.started_at);
    const sys_days due = session + days{static_cast<int>(std::lround(years * 365.2425))};
    Json item = {{"client_id", client->id},
                 {"client_name", client->name},
                 {"email", client->email},
                 {"phone", client->phone},
                 {"last_session", plan::format_date(session)},
                 {"due", plan::format_date(due)},
                 {"years", std::round(years * 10) / 10},
                 {"from_intake", from_intake}};
    if (due < range->first && due < today) overdue.push_back(std::move(item));
    else if (due >= range->first && due < range->end) by_month[month_of(due)].push_back(std::move(item));
  }
  Json months = Json::array();
  for (auto& [month, clients] : by_month) months.push_back({{"month", month}, {"clients", std::move(clients)}});
  return json_reply(200, {{"from", month_of(range->first)}, {"months", std::move(months)}, {"overdue", std::move(overdue)}});
}

Reply get_session_report(Context& ctx, const Request& req) {
  auto zone = clinic_time_zone(ctx.db);
  if (!zone) return zone.error();
  auto range = read_months(ctx, req, *zone, 12);
  if (!range) return range.error();
  const auto at = [&](sys_days d) { return static_cast<store::TimeMs>(zone->instant(d, 0).time_since_epoch().count()) * 1000; };
  auto sessions = store::signed_sessions_between(ctx.db, at(range->first), at(range->end));
  if (!sessions) return store_problem(sessions.error());
  auto users = store::list_users(ctx.db);
  if (!users) return store_problem(users.error());
  std::map<std::string, std::string> names;
  for (const store::User& u : *users) names[u.id] = u.name;
  struct Month {
    int sessions = 0, touch_ups = 0;
    std::set<std::string> clients;
    std::map<std::string, int> by_practitioner;
  };
  std::map<std::string, Month> by_month;
  for (int m = 0; m < range->count; ++m) by_month[month_of(add_months(range->first, m))];
  for (const store::ChartedSession& s : *sessions) {
    Month& m = by_month[month_of(clinic_day(*zone, s.started_at))];
    (s.session_number == 0 ? m.touch_ups : m.sessions) += 1;
    m.clients.insert(s.client_id);
    ++m.by_practitioner[s.practitioner_id];
  }
  Json months = Json::array();
  for (const auto& [month, m] : by_month) {
    Json people = Json::array();
    for (const auto& [id, n] : m.by_practitioner) people.push_back({{"practitioner_id", id}, {"practitioner_name", names[id]}, {"charted", n}});
    months.push_back({{"month", month}, {"sessions", m.sessions}, {"touch_ups", m.touch_ups}, {"clients", m.clients.size()}, {"by_practitioner", std::move(people)}});
  }
  return json_reply(200, {{"from", month_of(range->first)}, {"months", std::move(months)}});
}

}  // namespace stipple::studio
