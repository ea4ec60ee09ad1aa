// stipple/studio/server.h: `stipple serve`, the studio's HTTP server.
//
// One Server serves one migrated Database over HTTP/1.1 on a pool of threads
// (cpp-httplib). For every request it: refuses a body over max_body_bytes
// (413); matches the route table (404, 405); requires `X-Requested-With:
// stipple` on POST, PUT, PATCH and DELETE (403: a cross-site form or fetch
// cannot send it without CORS, which this server never grants); resumes the
// session from its cookie (401 when the route needs one); checks the role (403);
// runs the handler; appends the audit entry of a health-data route; and logs one
// line (address, method, path without the query, status, time: never a body, a
// cookie, a password or a token). Every error is problem+json (http.h). A GET
// outside /api/ and /healthz is a file of the UI when web_dir is set (web_files.h).
// It also owns the consultation queue (jobs.h): worker threads that run the
// engine in the background while run() serves.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "stipple/consult/pipeline.h"
#include "stipple/core/error.h"
#include "stipple/store/database.h"
#include "stipple/store/sessions.h"
#include "stipple/store/sign_in_attempts.h"

namespace stipple::studio {

inline constexpr std::string_view kSessionCookie = "stipple_session";

// How consultations run the engine (jobs.h). Renders are square, in pixels.
struct EngineConfig {
  consult::StepRunner step;            // runs one engine command (the CLI's run_step); null: consultations fail saying so
  std::size_t workers = 1;             // background threads, one consultation each at a time
  int threads = 2;                     // threads for each step
  int picture_px = 600;                // the before, healed and years-later pictures
  int sheet_px = 300;                  // each tile of the progression and timeline sheets
  bool diagrams = true;                // the design's five diagrams
  std::vector<int> years_later = {5};  // a picture from above this many years after healing, for each
  std::string paper = "A4";            // the report's paper: A4 or Letter
  int max_attempts = 2;                // a consultation cut off by this many stops is failed, not run again
  int sweep_ms = 30'000;               // how often the queue looks for work other servers left or queued (0: never)
};

struct ServeConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                     // 0: any free port (bind() says which)
  std::string data_dir = "var/data";   // the studio's files (photos, documents), created at start
  std::string web_dir;                 // the built UI (web/dist), read at bind(); "" = the API only (web_files.h)
  std::string public_url;              // how browsers reach us; https:// makes the cookie Secure; "" = http://HOST:PORT
  store::SessionPolicy sessions;
  store::SignInLimits sign_in;
  std::size_t max_body_bytes = 1 << 20;  // 1 MiB: JSON documents; larger bodies get 413
  // Request threads. A keep-alive connection keeps its thread while it is open
  // (a browser opens up to 6), so there are enough for a clinic's staff at once;
  // each leases a database connection only while it needs one, and password
  // hashing runs on one core each at most (store/crypto.h).
  std::size_t threads = 64;
  // The database connections `stipple serve` opens for the request threads
  // (the engine's workers and the sweep get their own beside them).
  std::size_t database_connections = 16;
  std::function<store::TimeMs()> clock = store::now_ms;  // tests move time on
  std::ostream* log = nullptr;           // the access log; null for none
  EngineConfig engine;                   // the consultations' background jobs
};

// "HOST:PORT" (HOST may be [v6]) into the config. Errors name --listen.
Result<void> parse_listen(std::string_view text, ServeConfig& config);

class Server {
 public:
  // `db` must be migrated and outlive the server.
  Server(store::Database& db, ServeConfig config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port. Errors name --listen.
  Result<int> bind();
  // Starts the consultation workers (re-queueing what a previous run left,
  // jobs.h), serves until stop(), then stops the workers between two steps.
  // Returns false when it could not serve. Call after bind().
  bool run();
  // Stops run() from any thread (not from a signal handler); run() must have
  // started (running() true), or it will not see the stop.
  void stop();
  // True while run() accepts connections.
  bool running() const;

  const ServeConfig& config() const { return config_; }

 private:
  struct Impl;
  store::Database& db_;
  ServeConfig config_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stipple::studio
