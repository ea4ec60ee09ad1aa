#include "stipple/store/backup.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "stipple/store/crypto.h"
#include "stipple/store/migrations.h"

extern char** environ;

namespace stipple::store {

using namespace sqlite_api;  // where SOCI's header puts sqlite3.h

namespace {

constexpr int kPagesPerStep = 256;  // the writer gets the lock back between steps

sqlite3* native(soci::session& sql) { return static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_; }

struct Closer {
  void operator()(sqlite3* c) const { sqlite3_close_v2(c); }
};
using Connection = std::unique_ptr<sqlite3, Closer>;

// Copies every page of `from` into `to`; an error message, or "".
std::string copy(sqlite3* from, sqlite3* to) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (b == nullptr) return sqlite3_errmsg(to);
  int rc;
  do {
    rc = sqlite3_backup_step(b, kPagesPerStep);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(10);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  return rc == SQLITE_DONE ? "" : sqlite3_errstr(rc);
}

}  // namespace

StoreResult<void> backup_sqlite(Database& db, const std::string& path) {
  if (db.backend() != Backend::sqlite)
    return store_error(StoreError::Code::invalid, "backup copies SQLite databases; for PostgreSQL use pg_dump");
  return guarded("backup", [&]() -> StoreResult<void> {
    const std::string temp = fmt::format("{}.partial-{}", path, random_id());
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(temp.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    Connection out(raw);
    if (rc != SQLITE_OK) return store_error(StoreError::Code::internal, fmt::format("cannot create '{}': {}", temp, sqlite3_errstr(rc)));
    Database::Lease lease(db);
    std::string err = copy(native(lease.sql()), out.get());
    if (err.empty() && sqlite3_exec(out.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) != SQLITE_OK)
      err = sqlite3_errmsg(out.get());  // one self-contained file, no -wal beside it
    out.reset();
    std::error_code ec;
    if (err.empty()) std::filesystem::rename(temp, path, ec);
    if (!err.empty() || ec) {
      std::filesystem::remove(temp, ec);
      return store_error(StoreError::Code::internal, fmt::format("cannot write '{}': {}", path, err.empty() ? ec.message() : err));
    }
    return {};
  });
}

StoreResult<void> restore_sqlite(Database& db, const std::string& path) {
  if (db.backend() != Backend::sqlite)
    return store_error(StoreError::Code::invalid, "restore copies SQLite backups; for PostgreSQL use pg_restore");
  return guarded("restore", [&]() -> StoreResult<void> {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    Connection in(raw);
    if (rc != SQLITE_OK) return store_error(StoreError::Code::invalid, fmt::format("cannot open '{}': {}", path, sqlite3_errstr(rc)));
    // A Stipple database: it records its migrations, none newer than this program's.
    sqlite3_stmt* st = nullptr;
    int version = -1;
    if (sqlite3_prepare_v2(in.get(), "SELECT MAX(version) FROM schema_migrations", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version < 1 || version > static_cast<int>(migrations().size()))
      return store_error(StoreError::Code::invalid, fmt::format("'{}' is not a backup of a Stipple database this program knows", path));
    Database::Lease lease(db);
    long long tables = 0;
    lease.sql() << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", soci::into(tables);
    if (tables > 0) return store_error(StoreError::Code::conflict, "the database is not empty");
    const std::string err = copy(in.get(), native(lease.sql()));
    if (!err.empty()) return store_error(StoreError::Code::internal, fmt::format("restore: {}", err));
    lease.sql() << "PRAGMA journal_mode=WAL";
    return {};
  });
}

// PostgreSQL: pg_dump and psql as child processes.

namespace {

constexpr std::size_t kMaxStderrBytes = 64 * 1024;  // enough for the error line; the rest is read and dropped

// The connection of a postgresql:// URL for libpq's tools: a conninfo string
// without the password (it goes on the command line), and the password apart
// (it goes into the child's environment).
struct PgConnection {
  std::string conninfo;
  std::string password;
};

StoreResult<PgConnection> pg_connection(const std::string& url) {
  if (!url.starts_with("postgresql://") && !url.starts_with("postgres://"))
    return store_error(StoreError::Code::invalid, "not a postgresql:// URL");
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &err);
  if (options == nullptr) {
    if (err != nullptr) PQfreemem(err);  // may quote the URL, password and all: not repeated
    return store_error(StoreError::Code::invalid, "a postgresql:// URL libpq cannot read");
  }
  PgConnection c;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string_view keyword = o->keyword, value = o->val;
    if (keyword == "password") {
      c.password = value;
      continue;
    }
    if (keyword == "sslpassword") {  // libpq has no environment variable for it: it would show in `ps`
      PQconninfoFree(options);
      return store_error(StoreError::Code::invalid,
                         "a URL with sslpassword (pg_dump and psql would show it on their command line): use a key "
                         "without a passphrase, or a service file (PGSERVICEFILE)");
    }
    std::string quoted;  // conninfo values in single quotes, with \ and ' escaped
    for (char ch : value) {
      if (ch == '\\' || ch == '\'') quoted += '\\';
      quoted += ch;
    }
    c.conninfo += fmt::format("{}{}='{}'", c.conninfo.empty() ? "" : " ", keyword, quoted);
  }
  PQconninfoFree(options);
  return c;
}

// $STIPPLE_PG_BIN/NAME, else NAME on PATH, else Debian's PostgreSQL 15 client's; "" when none is there.
std::string pg_tool(std::string_view name) {
  const auto runnable = [](const std::string& p) { return ::access(p.c_str(), X_OK) == 0; };
  if (const char* bin = std::getenv("STIPPLE_PG_BIN"); bin != nullptr && *bin != '\0') {
    const std::string p = fmt::format("{}/{}", bin, name);
    return runnable(p) ? p : "";
  }
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    std::string_view dirs = path;
    while (true) {
      const auto colon = dirs.find(':');
      const std::string_view dir = dirs.substr(0, colon);
      if (!dir.empty()) {
        const std::string p = fmt::format("{}/{}", dir, name);
        if (runnable(p)) return p;
      }
      if (colon == std::string_view::npos) break;
      dirs.remove_prefix(colon + 1);
    }
  }
  const std::string debian = fmt::format("/usr/lib/postgresql/15/bin/{}", name);
  return runnable(debian) ? debian : "";
}

// The line of a tool's stderr that says what failed: the first naming an error, else the first at all
// ("" when it printed nothing).
std::string error_line(const std::string& err) {
  std::string first;
  std::size_t at = 0;
  while (at < err.size()) {
    auto end = err.find('\n', at);
    if (end == std::string::npos) end = err.size();
    std::string line = err.substr(at, end - at);
    at = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) continue;
    if (line.find("ERROR") != std::string::npos || line.find("error:") != std::string::npos ||
        line.find("FATAL") != std::string::npos)
      return line;
    if (first.empty()) first = line;
  }
  return first;
}

struct Finished {
  int status = -1;  // the exit code, 128 + the signal that ended it, -1 when it did not start
  std::string err;  // its stderr (the first kMaxStderrBytes)
};

// Why a tool that did not succeed failed, in one line (its own lines name it: "pg_dump: error: ...").
std::string failure_line(std::string_view tool, const Finished& f) {
  if (f.status < 0) return f.err;
  std::string line = error_line(f.err);
  return line.empty() ? fmt::format("{} failed (exit status {})", tool, f.status) : line;
}

// Runs `program` with `args` (no shell), stdin from /dev/null, stdout into
// `out_fd` (or /dev/null when -1), stderr captured; PGPASSWORD=`password` in
// its environment when `password` is not empty.
Finished run_tool(const std::string& program, const std::vector<std::string>& args, int out_fd, const std::string& password) {
  Finished f;
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e)
    if (password.empty() || !std::string_view(*e).starts_with("PGPASSWORD=")) env_strings.emplace_back(*e);
  if (!password.empty()) env_strings.push_back("PGPASSWORD=" + password);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> all = {program};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    f.err = fmt::format("cannot make a pipe: {}", std::strerror(errno));
    return f;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (out_fd >= 0)
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  else
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    f.err = fmt::format("cannot run {}: {}", program, std::strerror(spawned));
    return f;
  }
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (f.err.size() < kMaxStderrBytes) f.err.append(buf, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  f.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return f;
}

// What a plain pg_dump file says about itself, read line by line (COPY data apart).
struct DumpCheck {
  bool header = false;    // "-- PostgreSQL database dump" near the top
  bool complete = false;  // "-- PostgreSQL database dump complete": pg_dump got to the end
  int version = -1;       // the highest schema_migrations.version in it, -1 when it has none
};

DumpCheck check_dump(std::istream& in) {
  DumpCheck d;
  std::string line;
  int number = 0;
  bool in_copy = false;
  int version_column = -1;  // in the schema_migrations COPY block, which field is the version
  while (std::getline(in, line)) {
    ++number;
    if (in_copy) {
      if (line == "\\.") {
        in_copy = false;
        version_column = -1;
        continue;
      }
      if (version_column < 0) continue;
      std::size_t at = 0;
      for (int i = 0; i < version_column && at != std::string::npos; ++i) {
        at = line.find('\t', at);
        if (at != std::string::npos) ++at;
      }
      if (at == std::string::npos) continue;
      const std::string field = line.substr(at, line.find('\t', at) - at);
      if (field.empty() || field.size() > 9 || field.find_first_not_of("0123456789") != std::string::npos) continue;
      d.version = std::max(d.version, std::stoi(field));
      continue;
    }
    if (number <= 5 && line == "-- PostgreSQL database dump") d.header = true;
    if (line == "-- PostgreSQL database dump complete") d.complete = true;
    if (line.starts_with("COPY ") && line.ends_with(" FROM stdin;")) {
      in_copy = true;
      // COPY public.schema_migrations (version, name, applied_at) FROM stdin; (in whichever schema it was)
      constexpr std::string_view kMigrations = ".schema_migrations (";
      const auto table = line.find(kMigrations);
      const auto close = line.find(')');
      if (table == std::string::npos || close == std::string::npos || close < table || line.find(' ', 5) < table) continue;
      const auto first = table + kMigrations.size();
      std::string_view columns = std::string_view(line).substr(first, close - first);
      for (int i = 0; !columns.empty(); ++i) {
        const auto comma = columns.find(',');
        std::string_view c = columns.substr(0, comma);
        while (c.starts_with(' ')) c.remove_prefix(1);
        if (c == "version") version_column = i;
        if (comma == std::string_view::npos) break;
        columns.remove_prefix(comma + 1);
      }
    }
  }
  return d;
}

}  // namespace

StoreResult<void> check_postgresql_url(const std::string& url) {
  auto conn = pg_connection(url);
  if (!conn) return std::unexpected(conn.error());
  return {};
}

StoreResult<void> backup_postgresql(const std::string& url, const std::string& path) {
  auto conn = pg_connection(url);
  if (!conn) return std::unexpected(conn.error());
  const std::string pg_dump = pg_tool("pg_dump");
  if (pg_dump.empty())
    return store_error(StoreError::Code::internal, "pg_dump not found (apt-get install postgresql-client-15, or set STIPPLE_PG_BIN)");
  const std::string temp = fmt::format("{}.partial-{}", path, random_id());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return store_error(StoreError::Code::invalid, fmt::format("cannot create '{}': {}", temp, std::strerror(errno)));
  std::vector<std::string> args = {"--format=plain", "--no-owner", "--no-privileges", "--no-password", "--encoding=UTF8"};
  if (!conn->conninfo.empty()) args.push_back("--dbname=" + conn->conninfo);
  const Finished f = run_tool(pg_dump, args, fd, conn->password);
  std::string failure;
  if (f.status != 0)
    failure = failure_line("pg_dump", f);
  else if (::fsync(fd) != 0)
    failure = fmt::format("cannot write '{}': {}", temp, std::strerror(errno));
  if (::close(fd) != 0 && failure.empty()) failure = fmt::format("cannot write '{}': {}", temp, std::strerror(errno));
  std::error_code ec;
  if (failure.empty()) {
    std::filesystem::rename(temp, path, ec);
    if (ec) failure = fmt::format("cannot write '{}': {}", path, ec.message());
  }
  if (!failure.empty()) {
    std::filesystem::remove(temp, ec);
    return store_error(StoreError::Code::internal, failure);
  }
  return {};
}

StoreResult<void> restore_postgresql(Database& db, const std::string& url, const std::string& path) {
  if (db.backend() != Backend::postgresql)
    return store_error(StoreError::Code::invalid, "restore_postgresql restores into PostgreSQL databases");
  auto conn = pg_connection(url);
  if (!conn) return std::unexpected(conn.error());
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) return store_error(StoreError::Code::invalid, fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
    char magic[16] = {};
    in.read(magic, sizeof magic);
    if (in.gcount() == sizeof magic && std::string_view(magic, sizeof magic) == std::string_view("SQLite format 3\0", 16))
      return store_error(StoreError::Code::invalid, fmt::format("'{}', a SQLite backup (it restores into a sqlite: database)", path));
    in.clear();
    in.seekg(0);
    const DumpCheck d = check_dump(in);
    if (!d.header) return store_error(StoreError::Code::invalid, fmt::format("'{}', not a PostgreSQL dump", path));
    if (!d.complete)
      return store_error(StoreError::Code::invalid, fmt::format("'{}', a dump cut short (no end)", path));
    if (d.version < 1 || d.version > static_cast<int>(migrations().size()))
      return store_error(StoreError::Code::invalid, fmt::format("'{}' is not a backup of a Stipple database this program knows", path));
  }
  auto empty = guarded("restore", [&]() -> StoreResult<void> {
    Database::Lease lease(db);
    long long objects = 0;
    // Anything of anyone's in a schema of its own (not the system's) would clash or mix with the backup.
    lease.sql() << "SELECT (SELECT COUNT(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                   "        WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%')"
                   "     + (SELECT COUNT(*) FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                   "        WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%')",
        soci::into(objects);
    if (objects > 0) return store_error(StoreError::Code::conflict, "the database is not empty");
    return {};
  });
  if (!empty) return empty;
  const std::string psql = pg_tool("psql");
  if (psql.empty())
    return store_error(StoreError::Code::internal, "psql not found (apt-get install postgresql-client-15, or set STIPPLE_PG_BIN)");
  std::vector<std::string> args = {"--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1", "--single-transaction",
                                   "--file=" + path};
  if (!conn->conninfo.empty()) args.push_back("--dbname=" + conn->conninfo);
  const Finished f = run_tool(psql, args, -1, conn->password);
  if (f.status != 0)
    return store_error(StoreError::Code::internal, failure_line("psql", f));
  return {};
}

}  // namespace stipple::store
