// cmd/stipple/cli.h: the `stipple` command line as a function, so tests can
// run exactly what the executable runs, in-process.
//
// Exit codes (shared/spec/CONTRACT.md): 0 done; 2 bad input or usage, with one
// line on `err` naming the file, the field, what was expected and what was
// found; 1 internal error. Output files are written atomically, only on success.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "stipple/core/error.h"

namespace stipple::cli {

struct Streams {
  std::istream& in;   // read for the input "-"
  std::ostream& out;  // written for the output "-" and for help
  std::ostream& err;  // error lines
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitBadInput = 2;

// Writes "stipple: FILE: FIELD: expected ..., found ..." on err; returns kExitBadInput.
int bad_input(const Streams& io, const InputError& e);

// `args` excludes the program name: {"assess", "intake.json", "--format", "text"}.
int run(const std::vector<std::string>& args, const Streams& streams);

}  // namespace stipple::cli
