// cmd/stipple/demo_cli.h: `stipple demo`, the whole consultation for one
// client on built-in defaults: assessment, design, dots, pictures, plan and
// calendar in one folder, and a short summary of the key figures.
//
// Every step runs the same code as its own command (in-process), so the demo
// shows exactly what a clinic gets from the separate commands.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "stipple/cli.h"

namespace stipple::cli {

// The command line that runs one step of the consultation.
using StepRunner = int (*)(const std::vector<std::string>& args, const Streams& io);

struct DemoCommand {
  CLI::App* cmd = nullptr;
  std::string output = "out/demo";
  std::string client;  // an intake file; empty: the bundled sample client
  std::string start;   // the first day for sessions; empty: today
  int threads = 0;
  std::string paper = "A4";
};

void add_demo_command(CLI::App& app, DemoCommand& cmd);
int run_demo(const DemoCommand& cmd, const Streams& io, StepRunner step);

}  // namespace stipple::cli
