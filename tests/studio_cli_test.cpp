// End-to-end tests of `stipple admin` and `stipple serve`: the real executable in
// a child process, on a real database (SQLite here, PostgreSQL through
// tools/pg-test.sh), its exit codes and one-line errors, and a server that
// answers over HTTP and stops on SIGTERM.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <barrier>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include "stipple/store/audit.h"
#include "stipple/store/clients.h"
#include "stipple/store/database.h"
#include "stipple/store/migrations.h"
#include "stipple/store/test_databases.h"
#include "stipple/store/users.h"
#include "child_process.h"

namespace {

namespace fs = std::filesystem;
using stipple::store::Backend;

using stipple::testing::Outcome;
using stipple::testing::scratch;
using stipple::testing::slurp;
using stipple::testing::wait_for;

pid_t spawn(const std::vector<std::string>& args, const std::string& input, const std::string& tag) {
  return stipple::testing::spawn_stipple(args, input, tag);
}

Outcome stipple(const std::vector<std::string>& args, const std::string& input = "") {
  return stipple::testing::run_stipple(args, input);
}

class StudioCli : public ::testing::TestWithParam<Backend> {
 protected:
  stipple::store::testing::TestDatabase db_{GetParam()};
  const std::string& url() const { return db_.url(); }
};

INSTANTIATE_TEST_SUITE_P(Backends, StudioCli, ::testing::Values(Backend::sqlite, Backend::postgresql),
                         stipple::store::testing::backend_name);

TEST_P(StudioCli, AdminMigratesAndCreatesUsersWithThePasswordFromStdin) {
  ASSERT_FALSE(url().empty());
  Outcome r = stipple({"admin", "migrate", "--db", url()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "schema version " + std::to_string(stipple::store::migrations().size()) + "\n");
  EXPECT_NE(r.err.find("migration 1 applied"), std::string::npos) << r.err;
  r = stipple({"admin", "migrate", "--db", url()});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "") << "nothing left to apply";

  r = stipple({"admin", "create-user", "--db", url(), "--email", "Pat@Clinic.example", "--name", "Pat Practitioner",
               "--role", "practitioner"},
              "a long enough passphrase\n");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("created user [a-z2-7]{26} \\(Pat@Clinic.example, practitioner\\)\n"))) << r.out;
  EXPECT_EQ(r.err.find("passphrase"), std::string::npos) << "the password is never printed";

  auto db = stipple::store::Database::open(url(), 1);
  ASSERT_TRUE(db.has_value());
  auto user = stipple::store::authenticate(**db, "pat@clinic.example", "a long enough passphrase");
  ASSERT_TRUE(user.has_value() && user->has_value()) << "the password is the line read, without its newline";

  r = stipple({"admin", "create-user", "--db", url(), "--email", "pat@clinic.EXAMPLE", "--name", "Pat Again", "--role",
               "owner"},
              "another long passphrase\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "stipple: --email: expected an email no user has yet, found 'pat@clinic.EXAMPLE' (already a user)\n");
  r = stipple({"admin", "create-user", "--db", url(), "--email", "x@clinic.example", "--name", "X", "--role", "owner"},
              "short\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "stipple: <stdin>: password: expected one line of 12 to 1024 bytes, found 5 bytes\n");
  r = stipple({"admin", "create-user", "--db", url(), "--email", "not-an-email", "--name", "X", "--role", "owner"},
              "a long enough passphrase\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "stipple: --email: expected an email address, found 'not-an-email'\n");
  r = stipple({"admin", "create-user", "--db", url(), "--email", "x@clinic.example", "--name", "X", "--role", "boss"},
              "a long enough passphrase\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("(see stipple admin create-user --help)"), std::string::npos) << r.err;
}

TEST(StudioCliBackup, BackupAndRestoreRoundTripASqliteDatabase) {
  stipple::store::testing::TestDatabase from(Backend::sqlite), to(Backend::sqlite);
  Outcome r = stipple({"admin", "create-user", "--db", from.url(), "--email", "b@clinic.example", "--name", "B", "--role",
                       "owner"},
                      "a long enough passphrase\n");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string file = (scratch() / "studio.backup").string();
  r = stipple({"admin", "backup", "--db", from.url(), "-o", file});
  EXPECT_EQ(r.code, 0) << r.err;
  r = stipple({"admin", "restore", "--db", to.url(), file});
  EXPECT_EQ(r.code, 0) << r.err;
  auto db = stipple::store::Database::open(to.url(), 1);
  ASSERT_TRUE(db.has_value());
  auto user = stipple::store::authenticate(**db, "b@clinic.example", "a long enough passphrase");
  EXPECT_TRUE(user.has_value() && user->has_value()) << "the restored database signs the user in";
  r = stipple({"admin", "restore", "--db", to.url(), file});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "stipple: --db: expected an empty database, found '" + to.url() + "' with tables in it\n");
  const std::string blank = "sqlite:" + (scratch() / "blank.db").string();
  r = stipple({"admin", "backup", "--db", blank, "-o", file + ".blank"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "stipple: --db: expected a Stipple database, found '" + blank + "' with no migrations applied\n");
  EXPECT_FALSE(fs::exists(file + ".blank"));
}

TEST(StudioCliErrors, BadDatabaseUrlsAreOneLineAndExit2) {
  Outcome r = stipple({"admin", "migrate", "--db", "mysql://root:hunter2@db/x"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "stipple: --db: expected sqlite:PATH or postgresql://..., found 'mysql://root:***@db/x'\n");
  r = stipple({"serve", "--db", "sqlite:" + (scratch() / "s.db").string(), "--listen", "nowhere"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "stipple: --listen: expected HOST:PORT with a port from 0 to 65535, found 'nowhere'\n");
  r = stipple({"admin", "migrate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--db is required"), std::string::npos) << r.err;
}

// Signs `email` in on the server at `port`: the headers of its requests
// (the session cookie and the X-Requested-With header), or no cookie on failure.
httplib::Headers signed_in(int port, const std::string& email, const std::string& password) {
  httplib::Client c("127.0.0.1", port);
  auto r = c.Post("/api/v1/session", {{"X-Requested-With", "stipple"}},
                  nlohmann::json{{"email", email}, {"password", password}}.dump(), "application/json");
  const std::string set = r ? r->get_header_value("Set-Cookie") : "";
  return httplib::Headers{{"Cookie", set.substr(0, set.find(';'))}, {"X-Requested-With", "stipple"}};
}

// Starts `stipple serve` on `db` at any free port; its pid and port (0 when it did not start).
std::pair<pid_t, int> start_server(const std::string& db, const fs::path& data, const std::string& tag) {
  const pid_t pid = spawn({"serve", "--db", db, "--listen", "127.0.0.1:0", "--data", data.string()}, "", tag);
  if (pid <= 0) return {pid, 0};
  // The port the server picked, from its start line.
  const std::regex started("serving http://127.0.0.1:([0-9]+) on 127.0.0.1:[0-9]+ ");
  for (int i = 0; i < 200; ++i) {
    std::smatch m;
    const std::string err = slurp(scratch() / (tag + ".err"));
    if (std::regex_search(err, m, started)) return {pid, std::stoi(m[1])};
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return {pid, 0};
}

TEST_P(StudioCli, ServeMigratesAnswersAndStopsOnSigterm) {
  ASSERT_FALSE(url().empty());
  const fs::path data = scratch() / "serve-data";
  const auto [pid, port] = start_server(url(), data, "serve");
  ASSERT_GT(pid, 0);
  ASSERT_GT(port, 0) << slurp(scratch() / "serve.err");
  httplib::Client client("127.0.0.1", port);
  auto res = client.Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"status":"ok"})");
  res = client.Get("/api/v1/me");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_TRUE(fs::is_directory(data));

  // A consultation runs the engine in the server's background (a declined client: the assessment only).
  ASSERT_EQ(stipple({"admin", "create-user", "--db", url(), "--email", "p@clinic.example", "--name", "P", "--role", "practitioner"},
                    "a long enough passphrase\n")
                .code,
            0);
  const httplib::Headers csrf = {{"X-Requested-With", "stipple"}};
  res = client.Post("/api/v1/session", csrf, R"({"email": "p@clinic.example", "password": "a long enough passphrase"})",
                    "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201);
  const std::string set_cookie = res->get_header_value("Set-Cookie");
  httplib::Headers as = {{"X-Requested-With", "stipple"}, {"Cookie", set_cookie.substr(0, set_cookie.find(';'))}};
  res = client.Post("/api/v1/clients", as, R"({"name": "Samuel Okafor", "sex": "male"})", "application/json");
  ASSERT_TRUE(res && res->status == 201);
  const std::string client_id = nlohmann::json::parse(res->body)["id"];
  res = client.Post("/api/v1/clients/" + client_id + "/intakes", as,
                    R"({"schema": "stipple.intake/1",
                        "client": {"name": "Samuel Okafor", "sex": "male", "age": 50, "fitzpatrick": 6, "hair_color": "black"},
                        "hair_loss": {"pattern": "androgenetic", "norwood": "VI", "family_history": true, "progressing": false},
                        "scalp": {"keloid_prone": true, "pigment_allergy": "none", "donor_density": "fair"},
                        "goals": {"look": "shaved"}})",
                    "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const std::string intake = nlohmann::json::parse(res->body)["id"];
  res = client.Post("/api/v1/clients/" + client_id + "/consultations", as, nlohmann::json{{"intake_id", intake}}.dump(),
                    "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  const std::string consultation = nlohmann::json::parse(res->body)["id"];
  nlohmann::json c;
  for (int i = 0; i < 600; ++i) {
    res = client.Get("/api/v1/consultations/" + consultation, as);
    ASSERT_TRUE(res && res->status == 200);
    c = nlohmann::json::parse(res->body);
    if (c["status"] == "done" || c["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(c["status"], "done") << c.dump();
  EXPECT_EQ(c["assessment"]["candidacy"], "not_recommended") << c.dump();
  EXPECT_TRUE(c["documents"].contains("assessment.json")) << c.dump();
  kill(pid, SIGTERM);
  EXPECT_EQ(wait_for(pid), 0);
  const std::string err = slurp(scratch() / "serve.err");
  EXPECT_NE(err.find("migration 4 applied"), std::string::npos) << err;
  EXPECT_NE(err.find("127.0.0.1 GET /healthz 200"), std::string::npos) << err;
  EXPECT_NE(err.find("stopped (signal 15)"), std::string::npos) << err;
  // The log has addresses, methods, paths and statuses: never a password, a session token or a client's data.
  const std::string token = set_cookie.substr(set_cookie.find('=') + 1, set_cookie.find(';') - set_cookie.find('=') - 1);
  ASSERT_GE(token.size(), 40u);
  EXPECT_EQ(err.find("a long enough passphrase"), std::string::npos) << err;
  EXPECT_EQ(err.find(token), std::string::npos) << "the session token is not logged";
  EXPECT_EQ(err.find("Samuel Okafor"), std::string::npos) << err;
  EXPECT_EQ(err.find("keloid"), std::string::npos) << err;
}

// kill -9 in the middle of writes: every client the server acknowledged (201)
// is there after a restart, whole, with its audit entry, and the log's chain holds.
TEST_P(StudioCli, AServerKilledMidWriteLosesNothingItAcknowledged) {
  ASSERT_FALSE(url().empty());
  const std::string password = "a long enough passphrase";
  ASSERT_EQ(stipple({"admin", "create-user", "--db", url(), "--email", "o@clinic.example", "--name", "Owner", "--role", "owner"},
                    password + "\n").code, 0);
  const fs::path data = scratch() / "kill-data";
  const auto [pid, port] = start_server(url(), data, "killed");
  ASSERT_GT(port, 0) << slurp(scratch() / "killed.err");
  const auto sign_in = [&](int p) { return signed_in(p, "o@clinic.example", password); };
  const httplib::Headers auth = sign_in(port);
  std::mutex m;
  std::vector<std::pair<std::string, std::string>> acknowledged;  // id, name
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&, w] {
      httplib::Client c("127.0.0.1", port);
      for (int i = 0; !stop; ++i) {
        const std::string name = "Writer " + std::to_string(w) + " client " + std::to_string(i);
        auto r = c.Post("/api/v1/clients", auth, R"({"name":")" + name + R"(","sex":"female","notes":"kept"})", "application/json");
        if (!r) break;  // the server is gone
        if (r->status == 201) {
          const std::string body = r->body;
          const auto at = body.find("\"id\":\"") + 6;
          std::lock_guard l(m);
          acknowledged.emplace_back(body.substr(at, body.find('"', at) - at), name);
        }
      }
    });
  // Let the writers get going, then kill the server without warning.
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard l(m);
      if (acknowledged.size() >= 40) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  EXPECT_EQ(wait_for(pid), 128 + SIGKILL);
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_GE(acknowledged.size(), 40u);

  const auto [again, port2] = start_server(url(), data, "restarted");
  ASSERT_GT(port2, 0) << slurp(scratch() / "restarted.err");
  const httplib::Headers auth2 = sign_in(port2);
  httplib::Client c("127.0.0.1", port2);
  std::size_t found = 0;
  for (const auto& [id, name] : acknowledged) {
    auto r = c.Get("/api/v1/clients/" + id, auth2);
    ASSERT_TRUE(r);
    if (r->status == 200 && r->body.find(name) != std::string::npos) ++found;
  }
  EXPECT_EQ(found, acknowledged.size()) << "every acknowledged client survived the kill";
  auto audit = c.Get("/api/v1/audit?client=" + acknowledged.front().first, auth2);
  ASSERT_TRUE(audit);
  EXPECT_NE(audit->body.find(R"("intact":true)"), std::string::npos) << audit->body;
  EXPECT_NE(audit->body.find(R"("action":"create")"), std::string::npos) << audit->body;
  kill(again, SIGTERM);
  EXPECT_EQ(wait_for(again), 0);
}

// Two `stipple serve` processes on one database race for the same slot of one
// practitioner, a thousand times: each time exactly one booking wins (201) and
// the other is refused naming the practitioner (409), whichever server took
// it; the diary then holds one appointment a slot.
TEST_P(StudioCli, TwoServersRacingForOneSlotLetExactlyOneWinEachTime) {
  ASSERT_FALSE(url().empty());
  const std::string password = "a long enough passphrase";
  ASSERT_EQ(stipple({"admin", "create-user", "--db", url(), "--email", "o@clinic.example", "--name", "Owner", "--role", "owner"},
                    password + "\n").code, 0);
  const auto [pid_a, port_a] = start_server(url(), scratch() / "race-data", "race-a");
  const auto [pid_b, port_b] = start_server(url(), scratch() / "race-data", "race-b");
  ASSERT_GT(port_a, 0) << slurp(scratch() / "race-a.err");
  ASSERT_GT(port_b, 0) << slurp(scratch() / "race-b.err");
  const auto sign_in = [&](int p) { return signed_in(p, "o@clinic.example", password); };
  const httplib::Headers auth_a = sign_in(port_a), auth_b = sign_in(port_b);
  httplib::Client setup("127.0.0.1", port_a);
  auto me = setup.Get("/api/v1/me", auth_a);
  ASSERT_TRUE(me && me->status == 200);
  const std::string owner_id = nlohmann::json::parse(me->body)["id"];
  auto made = setup.Post("/api/v1/clients", auth_a, R"({"name": "Rae Race", "sex": "female"})", "application/json");
  ASSERT_TRUE(made && made->status == 201);
  const std::string client_id = nlohmann::json::parse(made->body)["id"];
  // Slots of 15 minutes through the default clinic's weekday hours (New York,
  // open 10:00-17:00 every weekday, EST in January and February 2027), from
  // Monday 4 January.
  constexpr int kRounds = 1000, kPerDay = 28;
  const auto slot = [&](int round) {
    int weekday_index = round / kPerDay, day = 4;  // weekdays from Monday 4 January
    int d = 0;
    for (int seen = 0;; ++d) {
      if ((d % 7) < 5 && seen++ == weekday_index) break;
    }
    day += d;
    const int minute = 10 * 60 + (round % kPerDay) * 15;
    const int month = day > 31 ? 2 : 1;
    return fmt::format("2027-{:02}-{:02}T{:02}:{:02}:00-05:00", month, month == 2 ? day - 31 : day, minute / 60, minute % 60);
  };
  std::barrier sync(2);
  std::array<std::vector<int>, 2> statuses;
  std::array<std::vector<std::string>, 2> fields;
  std::vector<std::thread> racers;
  for (int side = 0; side < 2; ++side)
    racers.emplace_back([&, side] {
      httplib::Client c("127.0.0.1", side == 0 ? port_a : port_b);
      const httplib::Headers& auth = side == 0 ? auth_a : auth_b;
      for (int round = 0; round < kRounds; ++round) {
        const std::string body = nlohmann::json{{"client_id", client_id}, {"practitioner_id", owner_id}, {"kind", "consultation"},
                                                {"start", slot(round)}, {"duration_min", 15}}.dump();
        sync.arrive_and_wait();
        auto r = c.Post("/api/v1/appointments", auth, body, "application/json");
        statuses[static_cast<std::size_t>(side)].push_back(r ? r->status : 0);
        std::string field;
        if (r && r->status == 409) field = nlohmann::json::parse(r->body)["errors"][0]["field"];
        fields[static_cast<std::size_t>(side)].push_back(field);
      }
    });
  for (auto& t : racers) t.join();
  int one_winner = 0, a_won = 0;
  for (int round = 0; round < kRounds; ++round) {
    const int sa = statuses[0][static_cast<std::size_t>(round)], sb = statuses[1][static_cast<std::size_t>(round)];
    const bool ok = (sa == 201 && sb == 409 && fields[1][static_cast<std::size_t>(round)] == "practitioner_id") ||
                    (sb == 201 && sa == 409 && fields[0][static_cast<std::size_t>(round)] == "practitioner_id");
    EXPECT_TRUE(ok) << "round " << round << " (" << slot(round) << "): " << sa << " and " << sb;
    one_winner += ok;
    a_won += sa == 201;
  }
  EXPECT_EQ(one_winner, kRounds);
  EXPECT_GT(a_won, 0) << "each server wins some rounds";
  EXPECT_LT(a_won, kRounds) << "each server wins some rounds";
  // The diary holds exactly one appointment a slot.
  auto list = setup.Get("/api/v1/appointments?from=2027-01-04&days=62", auth_a);
  ASSERT_TRUE(list && list->status == 200);
  EXPECT_EQ(nlohmann::json::parse(list->body)["appointments"].size(), static_cast<std::size_t>(kRounds));
  kill(pid_a, SIGTERM);
  kill(pid_b, SIGTERM);
  EXPECT_EQ(wait_for(pid_a), 0);
  EXPECT_EQ(wait_for(pid_b), 0);
}

// A backup taken while the server writes is the database of one moment: restored
// into an empty database it signs the staff in, holds every client the server had
// acknowledged before the backup began, and its audit chain holds, append-only
// again. Restore never goes over data and takes only whole Stipple backups.
TEST_P(StudioCli, ABackupTakenWhileServingRestoresIntoAnEmptyDatabase) {
  ASSERT_FALSE(url().empty());
  stipple::store::testing::TestDatabase target(GetParam()), other(GetParam());
  ASSERT_FALSE(target.url().empty());
  ASSERT_FALSE(other.url().empty());
  const std::string password = "a long enough passphrase";
  ASSERT_EQ(stipple({"admin", "create-user", "--db", url(), "--email", "b@clinic.example", "--name", "B", "--role", "owner"},
                    password + "\n").code, 0);
  const auto [pid, port] = start_server(url(), scratch() / "backup-data", "backup-serve");
  ASSERT_GT(port, 0) << slurp(scratch() / "backup-serve.err");
  httplib::Client http("127.0.0.1", port);
  auto res = http.Post("/api/v1/session", {{"X-Requested-With", "stipple"}},
                       R"({"email":"b@clinic.example","password":")" + password + "\"}", "application/json");
  ASSERT_TRUE(res && res->status == 201);
  const std::string set = res->get_header_value("Set-Cookie");
  const httplib::Headers auth = {{"Cookie", set.substr(0, set.find(';'))}, {"X-Requested-With", "stipple"}};
  std::mutex m;
  std::vector<std::string> acknowledged;  // client ids, in order
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    httplib::Client c("127.0.0.1", port);
    for (int i = 0; !stop; ++i) {
      auto r = c.Post("/api/v1/clients", auth, R"({"name":"Backed Up )" + std::to_string(i) + R"(","sex":"male","notes":"kept"})",
                      "application/json");
      if (!r) break;
      if (r->status == 201) {
        std::lock_guard l(m);
        acknowledged.push_back(nlohmann::json::parse(r->body)["id"]);
      }
    }
  });
  const auto count = [&] {
    std::lock_guard l(m);
    return acknowledged.size();
  };
  for (int i = 0; i < 500 && count() < 20; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const std::size_t before = count();
  const std::string file = (scratch() / "serving.backup").string();
  const Outcome b = stipple({"admin", "backup", "--db", url(), "-o", file});
  const std::size_t during = count();
  stop = true;
  writer.join();
  kill(pid, SIGTERM);
  EXPECT_EQ(wait_for(pid), 0);
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_EQ(b.err, "");
  ASSERT_GE(before, 20u);
  for (const auto& e : fs::directory_iterator(scratch()))
    EXPECT_EQ(e.path().filename().string().find(".partial-"), std::string::npos) << e.path() << ": no partial file left";

  Outcome r = stipple({"admin", "restore", "--db", target.url(), file});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "") << "the backup was at the current schema version: nothing to migrate";
  {
    auto db = stipple::store::Database::open(target.url(), 1);
    ASSERT_TRUE(db.has_value());
    auto user = stipple::store::authenticate(**db, "b@clinic.example", password);
    EXPECT_TRUE(user.has_value() && user->has_value()) << "the restored database signs the owner in";
    for (std::size_t i = 0; i < before; ++i) {
      auto c = stipple::store::find_client(**db, acknowledged[i]);
      ASSERT_TRUE(c.has_value()) << "client " << i << " of " << before << " acknowledged before the backup";
      EXPECT_EQ(c->notes, "kept");
    }
    long long clients = 0;
    {
      stipple::store::Database::Lease lease(**db);
      lease.sql() << "SELECT COUNT(*) FROM clients", soci::into(clients);
    }
    EXPECT_GE(clients, static_cast<long long>(before));
    EXPECT_LE(clients, static_cast<long long>(during) + 1) << "no more than the server had written (one may be unanswered)";
    auto chain = stipple::store::verify_audit_chain(**db);
    ASSERT_TRUE(chain.has_value()) << chain.error().message;
    EXPECT_GE(chain->entries, static_cast<long long>(before));
    EXPECT_EQ(chain->first_bad_seq, 0) << "the copy is one moment of the log";
    EXPECT_EQ(stipple::store::schema_version(**db).value(), static_cast<int>(stipple::store::migrations().size()));
    stipple::store::Database::Lease lease(**db);
    EXPECT_THROW(lease.sql() << "DELETE FROM audit_log", std::exception) << "the log is append-only again";
    EXPECT_THROW(lease.sql() << "UPDATE audit_log SET action = 'none'", std::exception);
    if (GetParam() == Backend::postgresql) {
      EXPECT_THROW(lease.sql() << "TRUNCATE audit_log", std::exception);
    }
  }

  r = stipple({"admin", "restore", "--db", target.url(), file});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "stipple: --db: expected an empty database, found '" + target.url() + "' with tables in it\n");

  // Only whole Stipple backups, and nothing is left behind when one is refused.
  const std::string junk = (scratch() / "junk.backup").string();
  std::ofstream(junk) << "--\n-- not a backup\n";
  const std::string cut = (scratch() / "cut.backup").string();
  {
    const std::string whole = slurp(file);
    std::ofstream(cut, std::ios::binary) << whole.substr(0, whole.size() / 2);
  }
  std::vector<std::string> refused = {junk, junk + ".missing"};
  stipple::store::testing::TestDatabase lite(Backend::sqlite);
  const std::string lite_file = (scratch() / "lite.backup").string();
  if (GetParam() == Backend::postgresql) {
    refused.push_back(cut);  // a dump without its end
    ASSERT_EQ(stipple({"admin", "migrate", "--db", lite.url()}).code, 0);
    ASSERT_EQ(stipple({"admin", "backup", "--db", lite.url(), "-o", lite_file}).code, 0);
    refused.push_back(lite_file);  // a SQLite backup
  }
  for (const std::string& bad : refused) {
    r = stipple({"admin", "restore", "--db", other.url(), bad});
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_TRUE(r.err.starts_with("stipple: " + bad + ": expected a backup written by stipple admin backup, found ")) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  r = stipple({"admin", "migrate", "--db", other.url()});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.err.find("migration 1 applied"), std::string::npos) << "the refused restores left the database empty: " << r.err;

  if (GetParam() == Backend::postgresql) {
    r = stipple({"admin", "backup", "--db", url() + "&sslpassword=hush", "-o", file + ".ssl"});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.starts_with("stipple: --db: expected a URL pg_dump and psql can be given, found a URL with sslpassword"))
        << r.err;
    EXPECT_EQ(r.err.find("hush"), std::string::npos) << "a secret is never printed";
    EXPECT_FALSE(fs::exists(file + ".ssl"));
  }
  r = stipple({"admin", "backup", "--db", url(), "-o", (scratch() / "no-such-folder" / "x.backup").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.err.starts_with("stipple: -o: expected a file the backup can be written to, found ")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
