#include "stipple/studio/server.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <ostream>

#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>

#include "stipple/store/audit.h"
#include "stipple/studio/http.h"
#include "stipple/studio/jobs.h"
#include "stipple/studio/routes.h"
#include "stipple/studio/web_files.h"

namespace stipple::studio {

namespace {

constexpr int kListenBacklog = 1024;  // pending connections the kernel queues (capped by net.core.somaxconn)

bool unsafe_method(std::string_view m) { return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE"; }

// The value of cookie `name` in a Cookie header ("a=1; stipple_session=...").
std::string cookie_value(std::string_view header, std::string_view name) {
  std::size_t i = 0;
  while (i < header.size()) {
    std::size_t end = header.find(';', i);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(i, end - i);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    i = end + 1;
  }
  return {};
}

// An API answer is never cached, sniffed, framed or sent elsewhere with a referrer.
void set_api_headers(httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

void write_reply(const Reply& reply, httplib::Response& res) {
  set_api_headers(res);
  res.status = reply.status;
  for (const auto& [k, v] : reply.headers) res.set_header(k, v);
  if (!reply.raw_type.empty()) return res.set_content(reply.raw, reply.raw_type);
  if (!reply.json_text.empty()) return res.set_content(reply.json_text, "application/json");
  if (reply.status == 204 || reply.body.is_null()) return;
  res.set_content(reply.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  reply.is_problem ? "application/problem+json" : "application/json");
}

// A file of the UI: scripts, styles, images and requests only from this origin,
// never framed; a missing one is a problem like any other 404.
void write_web_file(const WebFile* file, httplib::Response& res) {
  if (file == nullptr) return write_reply(problem(404, "", "no such page or file"), res);
  res.status = 200;
  res.set_header("Cache-Control", file->cache_control);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; "
                 "form-action 'self'; frame-ancestors 'none'");
  res.set_content(file->content, file->content_type);
}

Reply too_large(std::size_t limit) {
  return problem(413, problem_type::too_large, "the request body is too large",
                 {{"", fmt::format("expected a body of at most {} bytes", limit)}});
}

}  // namespace

Result<void> parse_listen(std::string_view text, ServeConfig& config) {
  const auto refuse = [&] { return input_error("--listen", "", "HOST:PORT with a port from 0 to 65535", fmt::format("'{}'", text)); };
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return refuse();
  std::string host(text.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string_view port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) return refuse();
  const int p = std::stoi(std::string(port));
  if (p > 65535 || host.empty()) return refuse();
  config.host = host;
  config.port = p;
  return {};
}

struct Server::Impl {
  Impl(store::Database& db, const ServeConfig& config) : jobs(db, config) {}
  httplib::Server http;
  std::optional<WebFiles> web;  // loaded by bind() when config.web_dir is set
  std::mutex log_mutex;
  JobQueue jobs;
  int listen_fd = -1;  // the listening socket, once bound
};

Server::Server(store::Database& db, ServeConfig config)
    : db_(db), config_(std::move(config)), impl_(std::make_unique<Impl>(db_, config_)) {
  if (config_.threads == 0) config_.threads = 1;
  httplib::Server& http = impl_->http;
  const std::size_t threads = config_.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // httplib refuses (413) a body over the largest any route takes; each route's
  // own limit is checked from Content-Length before the body is read (below).
  std::size_t largest = config_.max_body_bytes;
  for (const Route& r : routes()) largest = std::max(largest, r.max_body_bytes);
  http.set_payload_max_length(largest);
  http.set_pre_routing_handler([this](const httplib::Request& hreq, httplib::Response& res) {
    const RouteMatch m = match_route(hreq.method == "HEAD" ? "GET" : hreq.method, hreq.path);
    const std::size_t limit = m.route && m.route->max_body_bytes ? m.route->max_body_bytes : config_.max_body_bytes;
    const std::string length = hreq.get_header_value("Content-Length");
    if (!length.empty() && length.size() < 20 && length.find_first_not_of("0123456789") == std::string::npos &&
        std::stoull(length) > limit) {
      write_reply(too_large(limit), res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_read_timeout(10);
  http.set_write_timeout(10);
  http.set_keep_alive_timeout(5);
  // Answers go out at once: with Nagle's algorithm a response written in two
  // parts waits for the client's delayed ACK, 40 ms on Linux (bench/studio_load
  // measured 43 ms at p50 for a 1 ms request without this).
  http.set_tcp_nodelay(true);
  // The listening socket, to widen its queue of pending connections once bound.
  http.set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    impl_->listen_fd = sock;
  });

  const auto dispatch = [this](const httplib::Request& hreq, httplib::Response& res) {
    Request req;
    req.method = hreq.method == "HEAD" ? "GET" : hreq.method;  // httplib sends HEAD's headers without the body
    req.path = hreq.path;
    if (impl_->web && req.method == "GET" && !req.path.starts_with("/api/") && req.path != "/healthz")
      return write_web_file(impl_->web->find(req.path), res);
    const RouteMatch m = match_route(req.method, req.path);
    if (m.route == nullptr) {
      if (m.methods_for_path.empty()) return write_reply(problem(404, "", "no such endpoint"), res);
      std::string allow;
      for (std::string_view x : m.methods_for_path) allow += (allow.empty() ? "" : ", ") + std::string(x);
      Reply r = problem(405, "", fmt::format("{} is not a method of this endpoint (allowed: {})", req.method, allow));
      r.headers.emplace_back("Allow", allow);
      return write_reply(r, res);
    }
    const Route& route = *m.route;
    if (const std::size_t limit = route.max_body_bytes ? route.max_body_bytes : config_.max_body_bytes; hreq.body.size() > limit)
      return write_reply(too_large(limit), res);  // a chunked body, which has no Content-Length
    // Cross-site request forgery: a browser sends custom headers cross-origin only after a CORS preflight.
    if (unsafe_method(req.method) && hreq.get_header_value("X-Requested-With") != "stipple")
      return write_reply(problem(403, problem_type::missing_header,
                                 "unsafe methods need the header X-Requested-With: stipple",
                                 {{"X-Requested-With", "expected the header X-Requested-With: stipple"}}),
                         res);
    req.path_params = m.params;
    req.query = hreq.params;
    req.body = hreq.body;
    req.content_type = hreq.get_header_value("Content-Type");
    req.ip = hreq.remote_addr;
    req.user_agent = hreq.get_header_value("User-Agent").substr(0, 300);
    req.session_token = cookie_value(hreq.get_header_value("Cookie"), kSessionCookie);
    Context ctx{db_, config_, config_.clock(), &impl_->jobs};
    if (!req.session_token.empty()) {
      auto s = store::resume_session(db_, req.session_token, ctx.now, config_.sessions);
      if (s) req.session = std::move(*s);
      else if (s.error().code != store::StoreError::Code::not_found) return write_reply(store_problem(s.error()), res);
    }
    if (route.sign_in) {
      if (!req.session) {
        Reply r = problem(401, problem_type::not_signed_in,
                          req.session_token.empty() ? "sign in first" : "the session has ended; sign in again");
        r.headers.emplace_back("WWW-Authenticate", "Cookie realm=\"stipple\"");
        return write_reply(r, res);
      }
      if (!role_allowed(route, req.session->user.role))
        return write_reply(problem(403, problem_type::forbidden,
                                   fmt::format("a {} may not {} {}", to_string(req.session->user.role), route.method,
                                               route.pattern)),
                           res);
    }
    Reply reply;
    try {
      reply = route.handler(ctx, req);
    } catch (const std::exception& e) {
      if (config_.log) {
        std::lock_guard lock(impl_->log_mutex);
        *config_.log << "stipple: internal error in " << route.method << " " << route.pattern << ": " << e.what() << "\n";
      }
      reply = problem(500, "", "the server failed; the error is logged");
    }
    if (route.health_data && reply.status >= 200 && reply.status < 300) {
      // Nothing of a client's health data leaves without its audit entry.
      if (!reply.audit || !req.session) {
        reply = problem(500, "", "the server failed; the error is logged");
      } else {
        auto a = store::append_audit(db_,
                                     {req.session->user.id, reply.audit->action, reply.audit->resource,
                                      reply.audit->client_id, req.ip, reply.audit->detail},
                                     ctx.now);
        if (!a) reply = store_problem(a.error());
      }
    }
    write_reply(reply, res);
  };
  http.Get(".*", dispatch);
  http.Post(".*", dispatch);
  http.Put(".*", dispatch);
  http.Patch(".*", dispatch);
  http.Delete(".*", dispatch);
  http.Options(".*", dispatch);

  // httplib's own refusals (413 over the limit, 400 for a request it cannot
  // parse) come without a body: they are given one here.
  http.set_error_handler(httplib::Server::HandlerWithResponse([largest](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    Reply r = res.status == 413 ? too_large(largest) : problem(res.status, "", std::string(status_title(res.status)));
    write_reply(r, res);
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    write_reply(problem(500, "", "the server failed; the error is logged"), res);
  });
  if (config_.log != nullptr)
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      std::lock_guard lock(impl_->log_mutex);
      *config_.log << req.remote_addr << " " << req.method << " " << req.path << " " << res.status << "\n";
    });
}

Server::~Server() {
  stop();
  if (impl_) impl_->jobs.stop();
}

Result<int> Server::bind() {
  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) return input_error("--data", "", "a folder the studio can write", fmt::format("'{}': {}", config_.data_dir, ec.message()));
  if (!config_.web_dir.empty()) {
    auto web = WebFiles::load(config_.web_dir);
    if (!web) return std::unexpected(web.error());
    impl_->web = std::move(*web);
  }
  int port = config_.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(config_.host);
    if (port < 0) port = 0;
  } else if (!impl_->http.bind_to_port(config_.host, port)) {
    port = 0;
  }
  // cpp-httplib listens with a backlog of 5 (its CPPHTTPLIB_LISTEN_BACKLOG, built into Debian's
  // library): a burst of new connections beyond it waits a second for SYN to be sent again
  // (bench/studio_load measured 1 s latencies at 50 connections). listen(2) on a listening
  // socket sets a new backlog.
  if (port != 0 && impl_->listen_fd >= 0) (void)::listen(impl_->listen_fd, kListenBacklog);
  if (port == 0)
    return input_error("--listen", "", "an address and port this machine can listen on",
                       fmt::format("'{}:{}' (in use, or not an address of this machine)", config_.host, config_.port));
  config_.port = port;
  if (config_.public_url.empty())
    config_.public_url = config_.host.find(':') != std::string::npos ? fmt::format("http://[{}]:{}", config_.host, port)
                                                                      : fmt::format("http://{}:{}", config_.host, port);
  return port;
}

bool Server::run() {
  if (auto started = impl_->jobs.start(); !started && config_.log) {
    std::lock_guard lock(impl_->log_mutex);
    *config_.log << "stipple: consultations left by the last run could not be recovered: " << started.error().message << "\n";
  }
  const bool ok = impl_->http.listen_after_bind();
  impl_->jobs.stop();
  return ok;
}

bool Server::running() const { return impl_->http.is_running(); }

void Server::stop() {
  if (impl_ && impl_->http.is_running()) impl_->http.stop();
}

}  // namespace stipple::studio
