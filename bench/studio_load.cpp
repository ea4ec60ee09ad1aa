// The studio under load: the real server (in this process, on a loopback port)
// with a clinic of N clients, driven by C concurrent staff over HTTP/1.1
// keep-alive connections, as the front desk searches as they type, opens
// records and saves notes. Prints the latency of each kind of request (p50,
// p95, p99, max) and the throughput, for one database; `make bench` runs it on
// SQLite and on a throwaway PostgreSQL, side by side.
//
// Then, with --consultation 1, the same load again while the engine runs a
// whole consultation of the bundled sample client in the server's background
// queue (as POST /api/v1/clients/{id}/consultations starts it): the job's time
// from the request to done, and every request's latency while it runs.
//
// usage: studio_load [--db URL] [--clients N] [--seconds S] [--concurrency C] [--consultation 0|1] [--threads T]
//   URL: sqlite:PATH or postgresql://... (default: a new SQLite file in /tmp);
//   the database must be new (N clients are added to it). Loopback only; each
//   phase stops by itself after S seconds (default 10; the second phase lasts
//   at least until the consultation is done). N default 10000, C default 50,
//   T (the server's request threads) default as `stipple serve`.
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "stipple/cli.h"
#include "stipple/io/json_document.h"
#include "stipple/store/clients.h"
#include "stipple/store/crypto.h"
#include "stipple/store/migrations.h"
#include "stipple/store/users.h"
#include "stipple/studio/demo_clinic.h"
#include "stipple/studio/server.h"

using namespace stipple;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kFirst[] = {"Ana", "Bo", "Carlos", "Dana", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jonah", "Kenji", "Lena",
                                  "Marco", "Nadia", "Owen", "Priya", "Quinn", "Ravi", "Sofia", "Tomas", "Uma", "Viktor", "Wen", "Yusuf"};
constexpr const char* kLast[] = {"Reyes", "Morris", "Clarke", "Keller", "Nair", "Okafor", "Lindqvist", "Marsh", "Delgado", "Chen",
                                 "Diaz", "Martin", "Bellini", "Menon", "Adler", "Price", "Varga", "Becker", "Novak", "Haddad"};

struct Samples {
  std::mutex m;
  std::map<std::string, std::vector<double>> ms;  // by request kind
  std::atomic<long> errors{0};
  std::atomic<long> stale{0};  // saves refused with 409: another staff member saved that client first
  std::map<std::string, long> error_kinds;  // "search: 503", "sign in: no answer"
  void add(const std::string& kind, double v) {
    std::lock_guard l(m);
    ms[kind].push_back(v);
  }
  void fail(const std::string& what) {
    ++errors;
    std::lock_guard l(m);
    ++error_kinds[what];
  }
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(std::min<double>(static_cast<double>(v.size() - 1), p * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  int clients = 10000, seconds = 10, concurrency = 50;
  bool consultation = true;
  int threads = static_cast<int>(studio::ServeConfig{}.threads);  // the server's request threads
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--db") url = v;
    else if (a == "--clients") clients = std::max(1, std::atoi(v.c_str()));
    else if (a == "--seconds") seconds = std::clamp(std::atoi(v.c_str()), 1, 600);
    else if (a == "--concurrency") concurrency = std::clamp(std::atoi(v.c_str()), 1, 64);
    else if (a == "--consultation") consultation = v != "0";
    else if (a == "--threads") threads = std::clamp(std::atoi(v.c_str()), 1, 256);
    else {
      std::cerr << "studio_load: unknown option " << a << "\n";
      return 2;
    }
  }
  std::filesystem::path folder;
  if (url.empty()) {
    folder = std::filesystem::temp_directory_path() / ("stipple-load-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    url = "sqlite:" + (folder / "studio.db").string();
  }
  if (!store::init_crypto()) return 1;
  auto opened = store::Database::open(url, studio::ServeConfig{}.database_connections + 2);  // as stipple serve opens it
  if (!opened) {
    std::cerr << "studio_load: " << opened.error().message() << "\n";
    return 2;
  }
  store::Database& db = **opened;
  if (auto m = store::migrate(db); !m) {
    std::cerr << "studio_load: migrations: " << m.error().message << "\n";
    return 1;
  }
  const std::string label = db.backend() == store::Backend::sqlite ? "SQLite" : "PostgreSQL";

  // The clinic: one front-desk account and N clients.
  const std::string email = "load@clinic.example", password = "a load test passphrase";
  if (!store::find_user_by_email(db, email).value_or(std::nullopt))
    (void)store::create_user(db, {email, "Load Test", store::Role::front_desk, password});
  const std::string practitioner = "engine@clinic.example";
  if (!store::find_user_by_email(db, practitioner).value_or(std::nullopt))
    (void)store::create_user(db, {practitioner, "Engine Test", store::Role::practitioner, password});
  std::vector<std::string> ids;
  std::mt19937 rng(20261202);
  const auto seed_start = Clock::now();
  {
    std::vector<std::thread> seeders;
    std::mutex ids_mutex;
    for (int t = 0; t < 4; ++t)
      seeders.emplace_back([&, t] {
        for (int i = t; i < clients; i += 4) {
          store::Client c;
          c.name = fmt::format("{} {} {}", kFirst[i % std::size(kFirst)], kLast[(i / 24) % std::size(kLast)], i);
          c.email = fmt::format("client{}@example.com", i);
          c.phone = fmt::format("+44 20 7946 {:04}", i % 10000);
          c.sex = i % 2 ? "male" : "female";
          c.notes = "crown thinning";
          if (auto made = store::create_client(db, c, store::now_ms()); made) {
            std::lock_guard l(ids_mutex);
            ids.push_back(made->id);
          }
        }
      });
    for (auto& s : seeders) s.join();
  }
  if (static_cast<int>(ids.size()) != clients) {
    std::cerr << "studio_load: " << clients - static_cast<int>(ids.size()) << " clients could not be added\n";
    return 1;
  }
  const double seed_s = std::chrono::duration<double>(Clock::now() - seed_start).count();

  studio::ServeConfig config;
  config.port = 0;
  config.data_dir = (std::filesystem::temp_directory_path() / ("stipple-load-data-" + std::to_string(::getpid()))).string();
  config.sign_in.max_failures_per_ip = 1000;
  config.engine.step = cli::run_step;  // as `stipple serve` runs the engine
  config.threads = static_cast<std::size_t>(threads);
  studio::Server server(db, config);
  const auto port = server.bind();
  if (!port) {
    std::cerr << "studio_load: " << port.error().message() << "\n";
    return 1;
  }
  std::thread serving([&] { server.run(); });
  while (!server.running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  Samples samples;
  std::atomic<bool> stop{false};
  std::atomic<bool> engine_running{false};
  std::atomic<int> signed_in{0};
  std::atomic<bool> go{false};  // the second phase: samples named "... (engine running)"
  std::vector<std::thread> staff;
  for (int w = 0; w < concurrency; ++w)
    staff.emplace_back([&, w] {
      httplib::Client cli("127.0.0.1", *port);
      cli.set_keep_alive(true);
      cli.set_tcp_nodelay(true);
      cli.set_read_timeout(120, 0);  // 50 Argon2id sign-ins at once take seconds on 2 cores: measured, not cut off
      std::mt19937 r(static_cast<unsigned>(w) * 7919u + 1);
      const auto timed = [&](const std::string& kind, auto&& send) {
        const auto t0 = Clock::now();
        auto res = send();
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (!res) samples.fail(kind + ": " + httplib::to_string(res.error()));
        else if (res->status == 409 && kind == "save a change") ++samples.stale;  // two staff saved one client at once: the API's answer
        else if (res->status >= 400) samples.fail(fmt::format("{}: {}", kind, res->status));
        else samples.add(engine_running ? kind + " (engine running)" : kind, ms);
        return res;
      };
      auto signin = timed(fmt::format("sign in (Argon2id, {} at once)", concurrency), [&] {
        return cli.Post("/api/v1/session", {{"X-Requested-With", "stipple"}},
                        io::Json{{"email", email}, {"password", password}}.dump(), "application/json");
      });
      ++signed_in;  // the load starts once every staff member has signed in (or failed to)
      while (!go) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      if (!signin || signin->status != 201) return;
      const std::string set = signin->get_header_value("Set-Cookie");
      const httplib::Headers auth = {{"Cookie", set.substr(0, set.find(';'))}, {"X-Requested-With", "stipple"}};
      while (!stop) {
        const int pick = static_cast<int>(r() % 10);
        if (pick < 6) {  // search as you type: one to four letters of a name
          const std::string name = kLast[r() % std::size(kLast)];
          const std::string q = name.substr(0, 1 + r() % std::min<std::size_t>(4, name.size()));
          timed("search", [&] { return cli.Get("/api/v1/clients", httplib::Params{{"q", q}, {"limit", "20"}}, auth); });
        } else if (pick < 9) {
          const std::string& id = ids[r() % ids.size()];
          timed("open a client", [&] { return cli.Get("/api/v1/clients/" + id, auth); });
        } else {
          const std::string& id = ids[r() % ids.size()];
          auto got = cli.Get("/api/v1/clients/" + id, auth);
          if (!got || got->status != 200) continue;
          const int version = io::Json::parse(got->body)["version"];
          timed("save a change", [&] {
            return cli.Patch("/api/v1/clients/" + id, auth, io::Json{{"version", version}, {"phone", fmt::format("+44 20 7946 {:04}", r() % 10000)}}.dump(),
                             "application/json");
          });
        }
      }
    });
  while (signed_in < concurrency) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  go = true;
  const auto run_start = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  double run_s = std::chrono::duration<double>(Clock::now() - run_start).count();
  double engine_s = 0, engine_phase_s = 0;
  std::string engine_outcome;
  if (consultation) {
    // A practitioner starts the sample client's consultation; the staff keep working.
    httplib::Client cli("127.0.0.1", *port);
    auto signin = cli.Post("/api/v1/session", {{"X-Requested-With", "stipple"}},
                           io::Json{{"email", practitioner}, {"password", password}}.dump(), "application/json");
    const std::string set = signin ? signin->get_header_value("Set-Cookie") : "";
    const httplib::Headers auth = {{"Cookie", set.substr(0, set.find(';'))}, {"X-Requested-With", "stipple"}};
    store::Client sample;
    sample.name = "Daniel Reyes";
    sample.sex = "male";
    const std::string client = store::create_client(db, sample, store::now_ms()).value().id;
    auto intake = cli.Post("/api/v1/clients/" + client + "/intakes", auth, std::string(studio::sample_client_intake_json()), "application/json");
    if (!intake || intake->status != 201) {
      std::cerr << "studio_load: the sample intake was refused\n";
      return 1;
    }
    const std::string intake_id = io::Json::parse(intake->body)["id"];
    engine_running = true;
    const auto engine_start = Clock::now();
    auto queued = cli.Post("/api/v1/clients/" + client + "/consultations", auth, io::Json{{"intake_id", intake_id}}.dump(), "application/json");
    if (!queued || queued->status != 202) {
      std::cerr << "studio_load: the consultation was refused\n";
      return 1;
    }
    const std::string id = io::Json::parse(queued->body)["id"];
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      auto status = cli.Get("/api/v1/consultations/" + id + "/status", auth);
      const std::string s = status && status->status == 200 ? io::Json::parse(status->body).value("status", "") : "";
      if (s == "done" || s == "failed") {
        engine_s = std::chrono::duration<double>(Clock::now() - engine_start).count();
        engine_outcome = s;
        break;
      }
    }
    // As long again as the first phase, at least: the staff's requests while the engine runs.
    while (Clock::now() - engine_start < std::chrono::seconds(seconds)) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    engine_phase_s = std::chrono::duration<double>(Clock::now() - engine_start).count();
  }
  stop = true;
  for (auto& s : staff) s.join();
  server.stop();
  serving.join();

  std::cout << fmt::format("{}: {} clients (added in {:.1f} s), {} staff on {} request threads for {:.1f} s, {} errors\n", label, clients, seed_s,
                           concurrency, threads, run_s, samples.errors.load());
  if (consultation)
    std::cout << fmt::format("  the sample client's consultation ({} workers, {} threads a step): {} in {:.1f} s; then {:.1f} s of load with it\n",
                             config.engine.workers, config.engine.threads, engine_outcome, engine_s, engine_phase_s);
  std::cout << fmt::format("  {:<37} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "request", "count", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms");
  for (auto& [kind, v] : samples.ms) {
    const std::size_t n = v.size();
    const double span = kind.ends_with("(engine running)") ? engine_phase_s : run_s;
    std::cout << fmt::format("  {:<37} {:>8} {:>9.0f} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f}\n", kind, n, static_cast<double>(n) / span, percentile(v, 0.5),
                             percentile(v, 0.95), percentile(v, 0.99), percentile(v, 1.0));
  }
  if (samples.stale > 0) std::cout << fmt::format("  saves refused as stale (409, another save of the same client came first): {}\n", samples.stale.load());
  for (const auto& [what, n] : samples.error_kinds) std::cout << fmt::format("  error {}: {}\n", what, n);
  std::error_code ec;
  if (!folder.empty()) std::filesystem::remove_all(folder, ec);
  std::filesystem::remove_all(config.data_dir, ec);
  return samples.errors.load() == 0 && (!consultation || engine_outcome == "done") ? 0 : 1;
}
