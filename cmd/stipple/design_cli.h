// cmd/stipple/design_cli.h: `stipple design new|measure|validate|diagram`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "stipple/cli.h"

namespace stipple::cli {

struct DesignCommand {
  CLI::App* group = nullptr;
  CLI::App *new_cmd = nullptr, *measure_cmd = nullptr, *validate_cmd = nullptr, *diagram_cmd = nullptr;
  // design new
  std::string sex = "male";
  int age = 40;
  std::string norwood, ludwig, style, hairline, hair_color, name, from_intake;
  std::optional<double> circumference, sagittal_arc, coronal_arc;
  std::optional<int> fitzpatrick;
  std::vector<std::string> scars, patches;
  std::string pigment_tone;
  std::optional<double> face_third;
  std::uint64_t seed = 1;
  double follicular_units = 0;
  // measure, validate, diagram
  std::string design;
  std::string view = "top";
  std::string size = "900x900";
  std::string output = "-";
};

void add_design_commands(CLI::App& app, DesignCommand& cmd);
// The subcommand that was parsed, for usage messages (null when none).
const CLI::App* parsed_design_command(const DesignCommand& cmd);
int run_design(const DesignCommand& cmd, const Streams& io);

}  // namespace stipple::cli
