#include "studio_cli.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <istream>
#include <ostream>
#include <thread>

#include <fmt/format.h>

#include "stipple/store/backup.h"
#include "stipple/store/crypto.h"
#include "stipple/store/migrations.h"
#include "stipple/store/text.h"
#include "stipple/store/users.h"
#include "stipple/io/files.h"
#include "stipple/io/json_document.h"
#include "stipple/store/consultations.h"
#include "stipple/studio/demo_clinic.h"
#include "stipple/studio/jobs.h"
#include "stipple/studio/openapi.h"
#include "stipple/studio/server.h"

namespace stipple::cli {

namespace {

constexpr std::size_t kMinPasswordBytes = 12;  // NIST SP 800-63B asks at least 8; staff reach health records
constexpr std::size_t kMaxPasswordBytes = 1024;

int internal_error(const Streams& io, const std::string& what) {
  io.err << "stipple: internal error: " << what << "\n";
  return kExitInternal;
}

// Opens and migrates `url`, printing what was applied on `err`; null after printing the error.
std::unique_ptr<store::Database> open_migrated(const std::string& url, std::size_t pool, const Streams& io, int& code) {
  auto db = store::Database::open(url, pool);
  if (!db) {
    code = bad_input(io, db.error());
    return nullptr;
  }
  auto applied = store::migrate(**db);
  if (!applied) {
    code = internal_error(io, fmt::format("{}: migrations: {}", (*db)->display_url(), applied.error().message));
    return nullptr;
  }
  for (int v : *applied) {
    const auto& m = store::migrations()[static_cast<std::size_t>(v - 1)];
    io.err << "stipple: migration " << v << " applied (" << m.name << ")\n";
  }
  code = kExitOk;
  return std::move(*db);
}

}  // namespace

void add_serve_command(CLI::App& app, ServeCommand& c) {
  c.cmd = app.add_subcommand("serve", "The studio: the clinic's web application, over HTTP (applies pending migrations first).");
  c.cmd->add_option("--db", c.db, "Database: sqlite:PATH (default sqlite:var/stipple.db) or postgresql://...");
  c.cmd->add_option("--listen", c.listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any free one)");
  c.cmd->add_option("--data", c.data, "Folder for the studio's files (default var/data)");
  c.cmd->add_option("--public-url", c.public_url, "How browsers reach the studio (https://... makes the cookie Secure)");
  c.cmd->add_option("--web", c.web, "Folder of the built web UI (default web/dist when it exists; make web builds it)");
  c.cmd->add_option("--session-idle-minutes", c.idle_minutes, "A session ends after this long unused (default 30)")
      ->check(CLI::Range(1, 24 * 60));
  c.cmd->add_option("--session-hours", c.lifetime_hours, "A session ends this long after sign-in, used or not (default 12)")
      ->check(CLI::Range(1, 24 * 7));
  c.cmd->add_option("--max-body-bytes", c.max_body_bytes, "Larger request bodies are refused with 413 (default 1 MiB)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30));
}

int run_serve(const ServeCommand& c, const Streams& io) {
  studio::ServeConfig config;
  if (auto l = studio::parse_listen(c.listen, config); !l) return bad_input(io, l.error());
  if (!c.public_url.empty() && !c.public_url.starts_with("http://") && !c.public_url.starts_with("https://"))
    return bad_input(io, {"--public-url", "", "an http:// or https:// URL", fmt::format("'{}'", c.public_url)});
  config.data_dir = c.data;
  config.public_url = c.public_url;
  config.web_dir = c.web;
  std::error_code ec;
  if (config.web_dir.empty() && std::filesystem::is_regular_file("web/dist/index.html", ec)) config.web_dir = "web/dist";
  config.engine.step = run_step;  // consultations run the engine's own commands, in-process
  config.sessions.idle_timeout_ms = c.idle_minutes * 60LL * 1000;
  config.sessions.absolute_lifetime_ms = c.lifetime_hours * 3600LL * 1000;
  config.max_body_bytes = c.max_body_bytes;
  config.log = &io.err;
  if (!store::init_crypto()) return internal_error(io, "libsodium could not be initialised");
  int code = kExitOk;
  // Connections the request threads share, one held by each engine worker while it runs (store::JobHold), one for the sweep.
  auto db = open_migrated(c.db, config.database_connections + config.engine.workers + 1, io, code);
  if (!db) return code;

  // SIGINT and SIGTERM are taken by one thread, which stops the server; the
  // request threads inherit the blocked mask and never see them.
  sigset_t signals, previous;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR2);  // from this thread: the server stopped on its own
  pthread_sigmask(SIG_BLOCK, &signals, &previous);
  studio::Server server(*db, config);
  auto port = server.bind();
  if (!port) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return bad_input(io, port.error());
  }
  std::atomic<bool> finished{false};
  std::atomic<int> stopped_by{0};
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGUSR2) return;
    stopped_by = sig;  // printed by the main thread: only one thread writes to err at a time
    while (!finished && !server.running()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server.stop();
  });
  if (config.web_dir.empty()) io.err << "stipple: no web UI folder (make web builds web/dist; or --web DIR): serving the API only\n";
  io.err << "stipple: serving " << server.config().public_url << " on " << config.host << ":" << *port
         << " (database " << db->display_url() << ")\n";
  const bool ok = server.run();
  finished = true;
  pthread_kill(waiter.native_handle(), SIGUSR2);
  waiter.join();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (stopped_by != 0) io.err << "stipple: stopped (signal " << stopped_by << ")\n";
  return ok ? kExitOk : internal_error(io, "the server stopped serving");
}

void add_admin_commands(CLI::App& app, AdminCommand& c) {
  c.group = app.add_subcommand("admin", "Administer the studio's database: users, migrations, backups.");
  c.group->require_subcommand(1);
  c.create_user = c.group->add_subcommand("create-user", "Create a user; the password is read from stdin (one line).");
  c.create_user->add_option("--db", c.db, "Database: sqlite:PATH or postgresql://...")->required();
  c.create_user->add_option("--email", c.email, "The user's email (unique, ignoring case)")->required();
  c.create_user->add_option("--name", c.name, "The user's name, as shown in the studio")->required();
  c.create_user->add_option("--role", c.role, "owner, practitioner or front_desk")
      ->required()
      ->check(CLI::IsMember({"owner", "practitioner", "front_desk"}));
  c.migrate = c.group->add_subcommand("migrate", "Apply pending migrations and exit.");
  c.migrate->add_option("--db", c.db, "Database: sqlite:PATH or postgresql://...")->required();
  c.backup = c.group->add_subcommand("backup", "A consistent copy of the database, also while the server runs "
                                                "(SQLite: its online backup API; PostgreSQL: pg_dump).");
  c.backup->add_option("--db", c.db, "Database: sqlite:PATH or postgresql://...")->required();
  c.backup->add_option("-o,--output", c.output, "The backup file (written whole or not at all)")->required();
  c.restore = c.group->add_subcommand("restore", "Copy a backup into an empty database of the same kind "
                                                 "(PostgreSQL: psql, in one transaction).");
  c.restore->add_option("--db", c.db, "Database: sqlite:PATH or postgresql://..., with no tables yet")->required();
  c.restore->add_option("FILE", c.file, "A file written by stipple admin backup")->required();
  c.demo = c.group->add_subcommand("demo", "Create or update the demo clinic (make demo): three staff accounts with public "
                                            "demo passwords and six clients. For a demo database only.");
  c.demo->add_option("--db", c.db, "Database: sqlite:PATH or postgresql://...")->required();
  c.demo->add_option("--data", c.data, "The studio's files, as serve --data (default var/data)");
  c.openapi = c.group->add_subcommand("openapi", "Write the API's OpenAPI 3.1 document (as GET /api/v1/openapi.json serves it).");
  c.openapi->add_option("-o,--output", c.output, "The file, or - for standard output (default)");
}

const CLI::App* parsed_admin_command(const AdminCommand& c) {
  if (c.create_user->parsed()) return c.create_user;
  if (c.migrate->parsed()) return c.migrate;
  if (c.backup->parsed()) return c.backup;
  if (c.restore->parsed()) return c.restore;
  if (c.openapi->parsed()) return c.openapi;
  if (c.demo->parsed()) return c.demo;
  return c.group->parsed() ? c.group : nullptr;
}

int run_admin(const AdminCommand& c, const Streams& io) {
  if (c.openapi->parsed()) {
    if (auto w = io::write_output(c.output.empty() ? "-" : c.output, io::dump_document(studio::openapi_document()), io.out); !w)
      return bad_input(io, w.error());
    return kExitOk;
  }
  if (!store::init_crypto()) return internal_error(io, "libsodium could not be initialised");
  if (c.demo->parsed()) {
    int code = kExitOk;
    // Two workers, each holding a connection while it runs (store::JobHold), and their updates.
    auto db = open_migrated(c.db, 4, io, code);
    if (!db) return code;
    auto demo = studio::seed_demo_clinic(*db, store::now_ms(), c.data);
    if (!demo) return internal_error(io, demo.error().message);
    io.out << fmt::format("demo clinic in {}: {} clients added, {} already there, {} appointments booked next week, {} credentials recorded, {} consents signed, {} lots and {} signed session charts\n",
                          db->display_url(), demo->clients_created, demo->clients_kept, demo->appointments_booked,
                          demo->credentials_recorded, demo->consents_signed, demo->lots_recorded, demo->charts_signed);
    if (!demo->consultations.empty()) {
      // The studio's own queue runs them, as `serve` would, and this waits for the last.
      studio::ServeConfig config;
      config.data_dir = c.data;
      config.engine.step = run_step;
      config.engine.workers = 2;
      studio::JobQueue jobs(*db, config);
      (void)jobs.start();
      for (const std::string& id : demo->consultations) {
        while (true) {
          auto row = store::find_consultation(*db, id);
          if (!row) return internal_error(io, row.error().message);
          if (row->status == "failed") return internal_error(io, "a demo consultation failed: " + row->error);
          if (row->status == "done") break;
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      }
      jobs.stop();
      io.out << fmt::format("  {} consultations run by the engine\n", demo->consultations.size());
    }
    for (const studio::DemoLogin& l : demo->logins) {
      const std::string role = l.role == store::Role::front_desk ? "front desk" : std::string(to_string(l.role));
      io.out << fmt::format("  {:<13} {:<26} password {}\n", role + ":", l.email, l.password);
    }
    return kExitOk;
  }
  if (c.migrate->parsed()) {
    int code = kExitOk;
    auto db = open_migrated(c.db, 1, io, code);
    if (!db) return code;
    auto version = store::schema_version(*db);
    if (!version) return internal_error(io, version.error().message);
    io.out << "schema version " << *version << "\n";
    return kExitOk;
  }
  if (c.backup->parsed() || c.restore->parsed()) {
    auto db = store::Database::open(c.db, 1);
    if (!db) return bad_input(io, db.error());
    const std::string& shown = (*db)->display_url();  // never the password
    const bool postgres = (*db)->backend() == store::Backend::postgresql;
    if (postgres)
      if (auto u = store::check_postgresql_url(c.db); !u)
        return bad_input(io, {"--db", "", "a URL pg_dump and psql can be given", u.error().message});
    if (c.backup->parsed()) {
      if (auto v = store::schema_version(**db); !v || *v == 0)
        return bad_input(io, {"--db", "", "a Stipple database", fmt::format("'{}' with no migrations applied", shown)});
      auto b = postgres ? store::backup_postgresql(c.db, c.output) : store::backup_sqlite(**db, c.output);
      if (!b) {
        if (postgres && b.error().code != store::StoreError::Code::invalid) return internal_error(io, b.error().message);
        return bad_input(io, {"-o", "", "a file the backup can be written to", b.error().message});
      }
      return kExitOk;
    }
    auto r = postgres ? store::restore_postgresql(**db, c.db, c.file) : store::restore_sqlite(**db, c.file);
    if (!r) {
      if (r.error().code == store::StoreError::Code::conflict)
        return bad_input(io, {"--db", "", "an empty database", fmt::format("'{}' with tables in it", shown)});
      if (r.error().code == store::StoreError::Code::invalid) return bad_input(io, {c.file, "", "a backup written by stipple admin backup", r.error().message});
      return internal_error(io, r.error().message);
    }
    if (auto m = store::migrate(**db); !m) return internal_error(io, m.error().message);  // an older backup catches up
    return kExitOk;
  }
  // create-user: everything is checked before the database is touched.
  if (!store::plausible_email(c.email)) return bad_input(io, {"--email", "", "an email address", fmt::format("'{}'", c.email)});
  if (c.name.find_first_not_of(' ') == std::string::npos || c.name.size() > 200 || !store::clean_utf8(c.name, false))
    return bad_input(io, {"--name", "", "a name of 1 to 200 bytes on one line", fmt::format("'{}'", c.name)});
  std::string password;
  std::getline(io.in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes)
    return bad_input(io, {"<stdin>", "password",
                          fmt::format("one line of {} to {} bytes", kMinPasswordBytes, kMaxPasswordBytes),
                          fmt::format("{} bytes", password.size())});  // never the password itself
  int code = kExitOk;
  auto db = open_migrated(c.db, 1, io, code);
  if (!db) return code;
  const store::Role role = enum_from_string<store::Role>(c.role).value_or(store::Role::front_desk);
  auto user = store::create_user(*db, {c.email, c.name, role, password});
  if (!user) {
    if (user.error().code == store::StoreError::Code::conflict)
      return bad_input(io, {"--email", "", "an email no user has yet", fmt::format("'{}' (already a user)", c.email)});
    return internal_error(io, user.error().message);
  }
  io.out << "created user " << user->id << " (" << user->email << ", " << to_string(user->role) << ")\n";
  return kExitOk;
}

}  // namespace stipple::cli
