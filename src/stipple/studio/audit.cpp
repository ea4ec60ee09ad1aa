// GET /api/v1/audit?client=ID (owners only).
#include "stipple/store/audit.h"

#include "stipple/store/users.h"
#include "stipple/studio/body.h"
#include "stipple/studio/handlers.h"

namespace stipple::studio {

Reply get_audit(Context& ctx, const Request& req) {
  static constexpr std::string_view kKnown[] = {"client", "limit"};
  auto query = read_query(req, kKnown);
  if (!query) return query.error();
  FieldReader r(*query, kKnown);
  const TextField client = r.text("client", true, false, 64);
  const auto limit = query_integer(r, *query, "limit", 200, 1, 1000);
  if (!r.ok()) return r.problem_reply();
  auto entries = store::audit_for_client(ctx.db, client.value, static_cast<int>(*limit));
  if (!entries) return store_problem(entries.error());
  auto chain = store::verify_audit_chain(ctx.db);
  if (!chain) return store_problem(chain.error());
  io::Json list = io::Json::array();
  std::map<std::string, std::string> user_names;
  for (const store::AuditEntry& e : *entries) {
    if (!user_names.contains(e.user_id)) {
      auto u = store::find_user(ctx.db, e.user_id);
      user_names[e.user_id] = u ? u->name : "";
    }
    list.push_back({{"id", e.id},
                    {"at", rfc3339(e.at)},
                    {"user_id", e.user_id},
                    {"user_name", user_names[e.user_id]},
                    {"action", e.action},
                    {"resource", e.resource},
                    {"client_id", e.client_id},
                    {"ip", e.ip},
                    {"hash", e.hash}});
    if (!e.detail.empty()) list.back()["detail"] = e.detail;
  }
  return json_reply(200, {{"entries", std::move(list)},
                          {"chain", {{"entries", chain->entries}, {"intact", chain->first_bad_seq == 0}}}});
}

}  // namespace stipple::studio
