// End-to-end tests of `stipple admin` and `stipple serve`: the real executable in
// a child process, on a real database (SQLite here, PostgreSQL through
// tools/pg-test.sh), its exit codes and one-line errors, and a server that
// answers over HTTP and stops on SIGTERM.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "stipple/store/database.h"
#include "stipple/store/test_databases.h"
#include "stipple/store/users.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using stipple::store::Backend;

struct Outcome {
  int code = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path scratch() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("stipple-studio-cli-test-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

// Starts stipple with `args`, stdin from `input`, stdout and stderr to files named by `tag`.
pid_t spawn(const std::vector<std::string>& args, const std::string& input, const std::string& tag) {
  const fs::path in = scratch() / (tag + ".in"), out = scratch() / (tag + ".out"), err = scratch() / (tag + ".err");
  std::ofstream(in, std::ios::binary) << input;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> all = {STIPPLE_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, STIPPLE_BINARY, &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Outcome stipple(const std::vector<std::string>& args, const std::string& input = "") {
  Outcome r;
  const pid_t pid = spawn(args, input, "run");
  if (pid < 0) return r;
  r.code = wait_for(pid);
  r.out = slurp(scratch() / "run.out");
  r.err = slurp(scratch() / "run.err");
  return r;
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
  EXPECT_EQ(r.out, "schema version 4\n");
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
  r = stipple({"admin", "backup", "--db", "postgresql://u@/db", "-o", file});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "stipple: --db: expected a sqlite: database (PostgreSQL: use pg_dump), found a PostgreSQL database\n");
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

TEST_P(StudioCli, ServeMigratesAnswersAndStopsOnSigterm) {
  ASSERT_FALSE(url().empty());
  const fs::path data = scratch() / "serve-data";
  const pid_t pid = spawn({"serve", "--db", url(), "--listen", "127.0.0.1:0", "--data", data.string()}, "", "serve");
  ASSERT_GT(pid, 0);
  // The port the server picked, from its start line.
  int port = 0;
  const std::regex started("serving http://127.0.0.1:([0-9]+) on 127.0.0.1:[0-9]+ ");
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::smatch m;
    const std::string err = slurp(scratch() / "serve.err");
    if (std::regex_search(err, m, started)) port = std::stoi(m[1]);
    else std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
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
}

}  // namespace
