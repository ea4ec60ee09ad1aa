// cmd/stipple/simulate_cli.h: `stipple simulate`.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "stipple/cli.h"

namespace stipple::cli {

struct SimulateCommand {
  CLI::App* cmd = nullptr;
  std::string design, dots, output, meta, photo, region, labels, intake;
  std::string view = "top", stage = "healed", size = "1200x1200", sheet, sun = "moderate";
  std::optional<std::uint64_t> seed;
  int threads = 0;  // 0: every core
  double close_up_mm = 0;  // 0: the whole head
};

void add_simulate_command(CLI::App& app, SimulateCommand& cmd);
int run_simulate(const SimulateCommand& cmd, const Streams& io);

}  // namespace stipple::cli
