// cmd/stipple/pattern_cli.h: `stipple pattern`.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

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
// Threads to use for `requested` (0: every core).
int thread_count(int requested);

void add_pattern_command(CLI::App& app, PatternCommand& cmd);
int run_pattern(const PatternCommand& cmd, const Streams& io);

}  // namespace stipple::cli
