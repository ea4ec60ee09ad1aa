// The studio under load: the real server (in this process, on a loopback port)
// with a clinic of N clients, driven by C concurrent staff over HTTP/1.1
// keep-alive connections, as the front desk searches as they type, opens
// records and saves notes. Prints the latency of each kind of request (p50,
// p95, p99, max) and the throughput, for one database; `make bench` runs it on
// SQLite and on a throwaway PostgreSQL, side by side.
//
// usage: studio_load [--db URL] [--clients N] [--seconds S] [--concurrency C]
//   URL: sqlite:PATH or postgresql://... (default: a new SQLite file in /tmp);
//   the database must be new (N clients are added to it). Loopback only; the run
//   stops by itself after S seconds (default 10). N default 10000, C default 8.
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

#include "stipple/io/json_document.h"
#include "stipple/store/clients.h"
#include "stipple/store/crypto.h"
#include "stipple/store/migrations.h"
#include "stipple/store/users.h"
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
  void add(const std::string& kind, double v) {
    std::lock_guard l(m);
    ms[kind].push_back(v);
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
  int clients = 10000, seconds = 10, concurrency = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--db") url = v;
    else if (a == "--clients") clients = std::max(1, std::atoi(v.c_str()));
    else if (a == "--seconds") seconds = std::clamp(std::atoi(v.c_str()), 1, 600);
    else if (a == "--concurrency") concurrency = std::clamp(std::atoi(v.c_str()), 1, 64);
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
  auto opened = store::Database::open(url, 16);
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
  config.threads = 8;
  config.sign_in.max_failures_per_ip = 1000;
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
  std::vector<std::thread> staff;
  for (int w = 0; w < concurrency; ++w)
    staff.emplace_back([&, w] {
      httplib::Client cli("127.0.0.1", *port);
      cli.set_keep_alive(true);
      cli.set_tcp_nodelay(true);
      std::mt19937 r(static_cast<unsigned>(w) * 7919u + 1);
      const auto timed = [&](const std::string& kind, auto&& send) {
        const auto t0 = Clock::now();
        auto res = send();
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (!res || res->status >= 400) ++samples.errors;
        else samples.add(kind, ms);
        return res;
      };
      auto signin = timed("sign in (Argon2id)", [&] {
        return cli.Post("/api/v1/session", {{"X-Requested-With", "stipple"}},
                        io::Json{{"email", email}, {"password", password}}.dump(), "application/json");
      });
      if (!signin) return;
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
  const auto run_start = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& s : staff) s.join();
  const double run_s = std::chrono::duration<double>(Clock::now() - run_start).count();
  server.stop();
  serving.join();

  std::cout << fmt::format("{}: {} clients (added in {:.1f} s), {} staff for {:.1f} s, {} errors\n", label, clients, seed_s, concurrency, run_s, samples.errors.load());
  std::cout << fmt::format("  {:<20} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "request", "count", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms");
  for (auto& [kind, v] : samples.ms) {
    const std::size_t n = v.size();
    std::cout << fmt::format("  {:<20} {:>8} {:>9.0f} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f}\n", kind, n, static_cast<double>(n) / run_s, percentile(v, 0.5),
                             percentile(v, 0.95), percentile(v, 0.99), percentile(v, 1.0));
  }
  std::error_code ec;
  if (!folder.empty()) std::filesystem::remove_all(folder, ec);
  std::filesystem::remove_all(config.data_dir, ec);
  return samples.errors.load() == 0 ? 0 : 1;
}
