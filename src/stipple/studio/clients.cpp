// GET/POST /api/v1/clients, GET/PATCH /api/v1/clients/{id}.
#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "stipple/store/clients.h"
#include "stipple/store/text.h"
#include "stipple/studio/body.h"
#include "stipple/studio/client_fields.h"
#include "stipple/studio/handlers.h"

namespace stipple::studio {

namespace {

constexpr std::array<ClientField, 6> kFields = {{
    {"name", "", true, false, false, 200, "The client's full name, as they write it"},
    {"email", "email", false, true, false, 254, "Email address; null or \"\" for none"},
    {"phone", "phone", false, true, false, 40, "Phone number as written (digits, spaces, + - ( ) .); null or \"\" for none"},
    {"date_of_birth", "date", false, true, false, 10, "YYYY-MM-DD, not in the future; null or \"\" for none"},
    {"sex", "sex", true, false, false, 6, "male, female or other (as in the intake)"},
    {"notes", "notes", false, true, true, 20000, "Clinical notes: owners and practitioners only"},
}};

constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 100;
constexpr int kMinBirthYear = 1900;

std::vector<std::string_view> names_of_fields(bool with_version) {
  std::vector<std::string_view> out;
  if (with_version) out.push_back("version");
  for (const ClientField& f : kFields) out.push_back(f.name);
  return out;
}

// Checks a present value of field `f`; records an error on `r`.
void check_value(FieldReader& r, const ClientField& f, const std::string& v, store::TimeMs now) {
  const std::string name(f.name);
  if (f.format == "email" && !v.empty() && !store::plausible_email(v))
    r.error(name, fmt::format("expected an email address, found '{}'", v.substr(0, 40)));
  else if (f.format == "phone" && !v.empty() &&
           (store::digits_of(v).size() < 3 || v.find_first_not_of("0123456789 +-().") != std::string::npos))
    r.error(name, fmt::format("expected a phone number (digits, spaces, + - ( ) .), found '{}'", v.substr(0, 40)));
  else if (f.format == "date" && !v.empty() && !past_date(v, kMinBirthYear, now))
    r.error(name, fmt::format("expected a date YYYY-MM-DD from {} to today, found '{}'", kMinBirthYear, v.substr(0, 40)));
  else if (f.format == "sex" && std::find(std::begin(kSexWords), std::end(kSexWords), v) == std::end(kSexWords))
    r.error(name, fmt::format("expected male, female or other, found '{}'", v.substr(0, 40)));
  else if (f.name == "name" && v.find_first_not_of(' ') == std::string::npos)
    r.error(name, "expected a name, found an empty one");
}

// The field values a create or update sends: every present one checked.
struct ClientInput {
  store::ClientChanges changes;
  bool writes_clinical = false;
};

ClientInput read_fields(FieldReader& r, bool create, store::TimeMs now) {
  ClientInput in;
  for (const ClientField& f : kFields) {
    const TextField t = r.text(f.name, create && f.required, f.nullable, f.max_bytes, f.format == "notes");
    if (t.state == TextField::State::absent) continue;
    if (f.clinical) in.writes_clinical = true;
    std::string value = t.state == TextField::State::null ? std::string() : t.value;
    if (t.state == TextField::State::value) check_value(r, f, value, now);
    std::optional<std::string>* slot = f.name == "name"            ? &in.changes.name
                                       : f.name == "email"         ? &in.changes.email
                                       : f.name == "phone"         ? &in.changes.phone
                                       : f.name == "date_of_birth" ? &in.changes.date_of_birth
                                       : f.name == "sex"           ? &in.changes.sex
                                                                   : &in.changes.notes;
    *slot = std::move(value);
  }
  return in;
}

io::Json nullable(const std::string& s) { return s.empty() ? io::Json(nullptr) : io::Json(s); }

io::Json client_json(const store::Client& c, bool clinical) {
  io::Json j = {{"id", c.id},
                {"name", c.name},
                {"email", nullable(c.email)},
                {"phone", nullable(c.phone)},
                {"date_of_birth", nullable(c.date_of_birth)},
                {"sex", c.sex}};
  if (clinical) j["notes"] = c.notes;
  j["created_at"] = rfc3339(c.created_at);
  j["updated_at"] = rfc3339(c.updated_at);
  j["version"] = c.version;
  return j;
}

Reply clinical_refused() {
  return problem(403, problem_type::forbidden, "front_desk may not write clinical notes",
                 {{"notes", "expected no clinical field for this role, found notes"}});
}

}  // namespace

std::span<const ClientField> client_fields() { return kFields; }

Reply list_clients(Context& ctx, const Request& req) {
  static constexpr std::string_view kKnown[] = {"q", "limit"};
  auto query = read_query(req, kKnown);
  if (!query) return query.error();
  FieldReader r(*query, kKnown);
  const TextField q = r.text("q", false, false, 200);
  const auto limit = query_integer(r, *query, "limit", kDefaultLimit, 1, kMaxLimit);
  if (!r.ok()) return r.problem_reply();
  auto found = store::search_clients(ctx.db, q.value, static_cast<int>(*limit));
  if (!found) return store_problem(found.error());
  io::Json list = io::Json::array();
  for (const store::Client& c : *found) list.push_back(client_json(c, false));  // a list never shows notes
  return json_reply(200, {{"clients", std::move(list)}, {"limit", *limit}});
}

Reply post_client(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  const auto known = names_of_fields(false);
  FieldReader r(*body, known);
  ClientInput in = read_fields(r, true, ctx.now);
  if (!r.ok()) return r.problem_reply();
  const store::Role role = req.session->user.role;
  if (in.writes_clinical && !sees_clinical_data(role)) return clinical_refused();
  store::Client c;
  c.name = in.changes.name.value_or("");
  c.email = in.changes.email.value_or("");
  c.phone = in.changes.phone.value_or("");
  c.date_of_birth = in.changes.date_of_birth.value_or("");
  c.sex = in.changes.sex.value_or("");
  c.notes = in.changes.notes.value_or("");
  auto created = store::create_client(ctx.db, c, ctx.now);
  if (!created) return store_problem(created.error());
  Reply reply = json_reply(201, client_json(*created, sees_clinical_data(role)));
  reply.headers.emplace_back("Location", "/api/v1/clients/" + created->id);
  reply.audit = AuditNote{"create", "client", created->id};
  return reply;
}

Reply get_client(Context& ctx, const Request& req) {
  auto c = store::find_client(ctx.db, req.path_params.at("id"));
  if (!c) return store_problem(c.error());
  const bool clinical = sees_clinical_data(req.session->user.role);
  Reply reply = json_reply(200, client_json(*c, clinical));
  reply.headers.emplace_back("ETag", fmt::format("\"{}\"", c->version));
  reply.audit = AuditNote{"read", "client", c->id};
  return reply;
}

Reply patch_client(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  const auto known = names_of_fields(true);
  FieldReader r(*body, known);
  const auto version = r.integer("version", true, 1, 2147483647);
  ClientInput in = read_fields(r, false, ctx.now);
  if (!r.ok()) return r.problem_reply();
  const store::Role role = req.session->user.role;
  if (in.writes_clinical && !sees_clinical_data(role)) return clinical_refused();
  const std::string& id = req.path_params.at("id");
  auto updated = store::update_client(ctx.db, id, static_cast<int>(*version), in.changes, ctx.now);
  if (!updated) {
    if (updated.error().code != store::StoreError::Code::stale) return store_problem(updated.error());
    Reply stale = problem(409, problem_type::stale_version,
                          fmt::format("the client changed since version {} was read; read it again", *version),
                          {{"version", fmt::format("expected the current version, found {}", *version)}});
    if (auto now = store::find_client(ctx.db, id)) stale.body["current_version"] = now->version;
    return stale;
  }
  Reply reply = json_reply(200, client_json(*updated, sees_clinical_data(role)));
  reply.headers.emplace_back("ETag", fmt::format("\"{}\"", updated->version));
  reply.audit = AuditNote{"update", "client", updated->id};
  return reply;
}

}  // namespace stipple::studio
