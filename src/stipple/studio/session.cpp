// POST /api/v1/session (sign in), DELETE /api/v1/session (sign out), GET /api/v1/me.
#include <fmt/format.h>

#include "stipple/store/sessions.h"
#include "stipple/store/sign_in_attempts.h"
#include "stipple/store/users.h"
#include "stipple/studio/body.h"
#include "stipple/studio/handlers.h"
#include "stipple/studio/server.h"

namespace stipple::studio {

namespace {

constexpr std::size_t kMaxPasswordBytes = 1024;  // bounds the work of one hash

bool secure_cookie(const ServeConfig& config) { return config.public_url.starts_with("https://"); }

// The session cookie (RFC 6265bis): never readable by scripts, never sent on a
// cross-site request, for the whole site, and gone when the absolute lifetime ends.
std::string session_cookie(const ServeConfig& config, const std::string& token, long long max_age_s) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kSessionCookie, token, max_age_s,
                     secure_cookie(config) ? "; Secure" : "");
}

io::Json me_json(const store::SessionInfo& s, const ServeConfig& config) {
  return {{"id", s.user.id},
          {"email", s.user.email},
          {"name", s.user.name},
          {"role", std::string(to_string(s.user.role))},
          {"session",
           {{"created_at", rfc3339(s.created_at)},
            {"idle_timeout_s", config.sessions.idle_timeout_ms / 1000},
            {"expires_at", rfc3339(s.created_at + config.sessions.absolute_lifetime_ms)}}}};
}

}  // namespace

Reply post_session(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"email", "password"};
  FieldReader f(*body, kKnown);
  const TextField email = f.text("email", true, false, 254);
  const TextField password = f.text("password", true, false, kMaxPasswordBytes);
  if (!f.ok()) return f.problem_reply();

  auto wait = store::sign_in_retry_after_s(ctx.db, email.value, req.ip, ctx.now, ctx.config.sign_in);
  if (!wait) return store_problem(wait.error());
  if (*wait > 0) {
    Reply r = problem(429, problem_type::too_many_attempts,
                      fmt::format("too many failed sign-ins; try again in {} s", *wait));
    r.headers.emplace_back("Retry-After", std::to_string(*wait));
    return r;
  }
  auto user = store::authenticate(ctx.db, email.value, password.value);
  if (!user) return store_problem(user.error());
  if (auto rec = store::record_sign_in_attempt(ctx.db, email.value, req.ip, user->has_value(), ctx.now, ctx.config.sign_in);
      !rec)
    return store_problem(rec.error());
  if (!user->has_value())
    return problem(401, problem_type::not_signed_in, "the email or the password is wrong");

  // A new token at every sign-in; a session the browser already had ends (no fixation).
  if (!req.session_token.empty()) {
    if (auto d = store::delete_session(ctx.db, req.session_token); !d) return store_problem(d.error());
  }
  auto token = store::create_session(ctx.db, (*user)->id, req.ip, ctx.now);
  if (!token) return store_problem(token.error());
  const store::SessionInfo info{**user, ctx.now, ctx.now};
  Reply r = json_reply(201, me_json(info, ctx.config));
  r.headers.emplace_back("Set-Cookie", session_cookie(ctx.config, *token, ctx.config.sessions.absolute_lifetime_ms / 1000));
  return r;
}

Reply delete_session(Context& ctx, const Request& req) {
  if (auto d = store::delete_session(ctx.db, req.session_token); !d) return store_problem(d.error());
  Reply r;
  r.status = 204;
  r.headers.emplace_back("Set-Cookie", session_cookie(ctx.config, "", 0));
  return r;
}

Reply get_me(Context& ctx, const Request& req) { return json_reply(200, me_json(*req.session, ctx.config)); }

}  // namespace stipple::studio
