// cmd/stipple/pattern_cli.h: `stipple pattern`.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "stipple/assess/intake.h"
#include "stipple/cli.h"
#include "stipple/design/design.h"
#include "stipple/scalp/anatomy.h"

namespace stipple::cli {

struct PatternCommand {
  CLI::App* cmd = nullptr;
  std::string design;
  std::string output;
  std::string format;  // csv, json or bin; empty: from the output's extension, else csv
  std::string stats;
  std::optional<std::uint64_t> seed;
  int threads = 0;  // 0: every core
};

// A design file read and its head built, for the commands that start from one.
struct LoadedDesign {
  design::Design design;
  scalp::Anatomy anatomy;
};
Result<LoadedDesign> load_design(const std::string& path, std::optional<std::uint64_t> seed, const Streams& io);
// The intake at `path` (stipple.intake/1), refused naming client.name,
// client.sex or client.age when it is not the client of `loaded`, a design
// made for a named client (from `design_path`): another client's health record
// must not reach this client's documents. A design made by hand, without a
// name, carries default sex and age and takes any intake.
Result<assess::ParsedIntake> read_client_intake(const std::string& path, const LoadedDesign& loaded,
                                                const std::string& design_path, const Streams& io);
// Threads to use for `requested` (0: every core).
int thread_count(int requested);

void add_pattern_command(CLI::App& app, PatternCommand& cmd);
int run_pattern(const PatternCommand& cmd, const Streams& io);

}  // namespace stipple::cli
