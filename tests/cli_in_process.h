// tests/cli_in_process.h: runs the `stipple` command line in-process (cli::run,
// exactly what the executable runs) with a given stdin, for generative tests.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "stipple/cli.h"

namespace stipple::testing {

struct CliOutcome {
  int code;
  std::string out, err;
};

inline CliOutcome run_cli(const std::vector<std::string>& args, const std::string& input) {
  std::istringstream in(input);
  std::ostringstream out, err;
  const int code = cli::run(args, {in, out, err});
  return {code, out.str(), err.str()};
}

}  // namespace stipple::testing
