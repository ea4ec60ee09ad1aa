// cmd/stipple/studio_cli.h: `stipple serve` and `stipple admin` (shared/spec/STUDIO.md).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "stipple/cli.h"

namespace stipple::cli {

struct ServeCommand {
  CLI::App* cmd = nullptr;
  std::string db = "sqlite:var/stipple.db";
  std::string listen = "127.0.0.1:8080";
  std::string data = "var/data";
  std::string public_url;
  std::string web;  // the built UI; "" = web/dist when it has an index.html, else the API only
  int idle_minutes = 30;
  int lifetime_hours = 12;
  std::size_t max_body_bytes = 1 << 20;
};

struct AdminCommand {
  CLI::App* group = nullptr;
  CLI::App* create_user = nullptr;
  CLI::App* migrate = nullptr;
  CLI::App* backup = nullptr;
  CLI::App* restore = nullptr;
  CLI::App* openapi = nullptr;
  CLI::App* demo = nullptr;
  std::string db, email, name, role;
  std::string output;  // backup -o, openapi -o
  std::string file;    // restore FILE
  std::string data = "var/data";  // demo --data
};

void add_serve_command(CLI::App& app, ServeCommand& cmd);
int run_serve(const ServeCommand& cmd, const Streams& io);

void add_admin_commands(CLI::App& app, AdminCommand& cmd);
// The admin subcommand that was parsed (for usage errors), or null.
const CLI::App* parsed_admin_command(const AdminCommand& cmd);
int run_admin(const AdminCommand& cmd, const Streams& io);

}  // namespace stipple::cli
