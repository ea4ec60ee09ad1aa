// cmd/stipple/pattern_cli.h: `stipple pattern`.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "stipple/cli.h"

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

void add_pattern_command(CLI::App& app, PatternCommand& cmd);
int run_pattern(const PatternCommand& cmd, const Streams& io);

}  // namespace stipple::cli
