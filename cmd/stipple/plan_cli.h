// cmd/stipple/plan_cli.h: `stipple plan`.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "stipple/cli.h"

namespace stipple::cli {

struct PlanCommand {
  CLI::App* cmd = nullptr;
  std::string design, dots, start, intake, pricing, clinic, care, ics, pdf;
  std::string override_reason;  // --override: plan although the assessment blocks booking
  std::string time;  // the client's preferred start time, HH:MM
  std::string paper = "A4";
  std::string output = "-";
  std::string issued;  // --issued: empty for now
};

void add_plan_command(CLI::App& app, PlanCommand& cmd);
int run_plan(const PlanCommand& cmd, const Streams& io);

}  // namespace stipple::cli
