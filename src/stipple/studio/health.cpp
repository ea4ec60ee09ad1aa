// GET /healthz.
#include "stipple/studio/handlers.h"

namespace stipple::studio {

Reply get_healthz(Context& ctx, const Request&) {
  if (!ctx.db.ping()) return problem(503, "", "the database does not answer");
  return json_reply(200, {{"status", "ok"}});
}

}  // namespace stipple::studio
