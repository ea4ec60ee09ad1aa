// Patch tests: POST/GET /api/v1/clients/{id}/patch-tests, GET/PATCH /api/v1/patch-tests/{id}.
//
// The brief (section 11 "Patch test"): placed most often 24-48 h before the
// first session and read then; repeated after 12 months or any change in
// health or pigment. A failed test is CI-ALLERGY (decline): it blocks SMP
// sessions (the booking's gate, diary.cpp), never only warns.
#include <fmt/format.h>

#include "stipple/store/clients.h"
#include "stipple/store/patch_tests.h"
#include "stipple/studio/body.h"
#include "stipple/studio/diary.h"
#include "stipple/studio/handlers.h"

namespace stipple::studio {

namespace {

using Json = io::Json;

Json patch_test_json(const store::PatchTest& t) {
  return {{"id", t.id},
          {"client_id", t.client_id},
          {"placed_at", rfc3339(t.placed_at)},
          {"placed_by", t.placed_by},
          {"pigment", t.pigment},
          {"lot", t.lot},
          {"site", t.site},
          {"result", t.result},
          {"read_at", t.read_at ? Json(rfc3339(*t.read_at)) : Json(nullptr)},
          {"read_by", t.read_by.empty() ? Json(nullptr) : Json(t.read_by)},
          {"notes", t.notes},
          {"read_from", rfc3339(t.placed_at + kPatchTestReadFromMs)},
          {"read_until", rfc3339(t.placed_at + kPatchTestReadUntilMs)},
          {"created_at", rfc3339(t.created_at)}};
}

// The instant a field names, or an error recorded.
std::optional<store::TimeMs> instant_field(FieldReader& r, const TextField& t, std::string_view name) {
  if (t.state != TextField::State::value) return std::nullopt;
  auto at = parse_rfc3339(t.value);
  if (!at) r.error(std::string(name), fmt::format("expected an RFC 3339 time with its offset (2027-03-29T10:00:00+01:00), found '{}'", t.value));
  return at;
}

constexpr store::TimeMs kGraceMs = 5 * 60'000;  // a clock a few minutes ahead of the server's

}  // namespace

Reply post_patch_test(Context& ctx, const Request& req) {
  const std::string& client_id = req.path_params.at("id");
  auto client = store::find_client(ctx.db, client_id);
  if (!client) return store_problem(client.error());
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"placed_at", "pigment", "lot", "site", "notes"};
  FieldReader r(*body, kKnown);
  const TextField placed = r.text("placed_at", false, false, 40);
  const TextField pigment = r.text("pigment", true, false, 200);
  const TextField lot = r.text("lot", true, false, 80);
  const TextField site = r.text("site", false, true, 200);
  const TextField notes = r.text("notes", false, true, 2000, true);
  const auto at = instant_field(r, placed, "placed_at");
  if (at && *at > ctx.now + kGraceMs) r.error("placed_at", "expected a time not later than now, found one in the future");
  for (const auto& [name, t] : {std::pair<std::string_view, const TextField&>{"pigment", pigment}, {"lot", lot}})
    if (t.state == TextField::State::value && t.value.find_first_not_of(' ') == std::string::npos)
      r.error(std::string(name), fmt::format("expected the {} as written on the bottle, found nothing", name == "lot" ? "lot number" : "pigment"));
  if (!r.ok()) return r.problem_reply();
  store::PatchTest t;
  t.client_id = client_id;
  t.placed_at = at.value_or(ctx.now);
  t.placed_by = req.session->user.id;
  t.pigment = pigment.value;
  t.lot = lot.value;
  t.site = site.state == TextField::State::value ? site.value : "";
  t.notes = notes.state == TextField::State::value ? notes.value : "";
  auto placed_test = store::place_patch_test(ctx.db, t, ctx.now);
  if (!placed_test) return store_problem(placed_test.error());
  Reply reply = json_reply(201, patch_test_json(*placed_test));
  reply.headers.emplace_back("Location", "/api/v1/patch-tests/" + placed_test->id);
  reply.audit = AuditNote{"create", "patch test", client_id};
  return reply;
}

Reply list_patch_tests(Context& ctx, const Request& req) {
  const std::string& client_id = req.path_params.at("id");
  auto client = store::find_client(ctx.db, client_id);
  if (!client) return store_problem(client.error());
  auto tests = store::patch_tests_of(ctx.db, client_id);
  if (!tests) return store_problem(tests.error());
  Json list = Json::array();
  for (const store::PatchTest& t : *tests) list.push_back(patch_test_json(t));
  Reply reply = json_reply(200, {{"patch_tests", std::move(list)}});
  reply.audit = AuditNote{"read", "patch test", client_id};
  return reply;
}

Reply get_patch_test(Context& ctx, const Request& req) {
  auto t = store::find_patch_test(ctx.db, req.path_params.at("id"));
  if (!t) return store_problem(t.error());
  Reply reply = json_reply(200, patch_test_json(*t));
  reply.audit = AuditNote{"read", "patch test", t->client_id};
  return reply;
}

Reply read_patch_test(Context& ctx, const Request& req) {
  auto current = store::find_patch_test(ctx.db, req.path_params.at("id"));
  if (!current) return store_problem(current.error());
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"result", "read_at", "notes"};
  FieldReader r(*body, kKnown);
  const TextField result = r.text("result", true, false, 10);
  const TextField read = r.text("read_at", false, false, 40);
  const TextField notes = r.text("notes", false, true, 2000, true);
  if (result.state == TextField::State::value && result.value != "passed" && result.value != "failed")
    r.error("result", fmt::format("expected passed or failed, found '{}'", result.value.substr(0, 40)));
  const store::TimeMs at = instant_field(r, read, "read_at").value_or(ctx.now);
  if (r.ok() && at > ctx.now + kGraceMs) r.error("read_at", "expected a time not later than now, found one in the future");
  if (!r.ok()) return r.problem_reply();
  // The reading's window (brief section 11): 24 to 48 hours after placing.
  if (at < current->placed_at + kPatchTestReadFromMs || at > current->placed_at + kPatchTestReadUntilMs) {
    const double hours = static_cast<double>(at - current->placed_at) / 3'600'000.0;
    Reply refused = problem(422, problem_type::unprocessable, "a patch test is read 24 to 48 hours after it was placed",
                            {{"read_at", fmt::format("expected a reading 24 to 48 hours after placing ({} to {}), found {:.1f} hours after",
                                                     rfc3339(current->placed_at + kPatchTestReadFromMs),
                                                     rfc3339(current->placed_at + kPatchTestReadUntilMs), hours)}});
    return refused;
  }
  std::string seen = notes.state == TextField::State::value ? notes.value : current->notes;
  auto done = store::read_patch_test(ctx.db, current->id, result.value, at, req.session->user.id, seen);
  if (!done) {
    if (done.error().code == store::StoreError::Code::stale)
      return problem(409, problem_type::conflict, "the patch test was read already",
                     {{"result", fmt::format("expected a test not read yet, found one read as {}", current->result)}});
    return store_problem(done.error());
  }
  Reply reply = json_reply(200, patch_test_json(*done));
  reply.audit = AuditNote{"update", "patch test", done->client_id};
  return reply;
}

}  // namespace stipple::studio
