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

#include "stipple/consult/pipeline.h"
#include "stipple/core/error.h"
#include "stipple/io/known_fields.h"

namespace stipple::cli {

struct Streams {
  std::istream& in;   // read for the input "-"
  std::ostream& out;  // written for the output "-" and for help
  std::ostream& err;  // error lines and warnings
  // How the readers treat unknown fields: strict unless `--lenient` was given
  // (run() sets it; each warning is printed on `err` as "stipple: warning: ...").
  io::ReadOptions read = {};
  // `err` is a terminal: long commands show their progress there, on one line
  // rewritten in place; otherwise (a file, a pipe, a test) they stay quiet.
  bool err_is_terminal = false;
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitBadInput = 2;

// Prints the warnings gathered so far ("stipple: warning: ..." on err) and clears them.
void print_warnings(const Streams& io);

// Writes "stipple: FILE: FIELD: expected ..., found ..." on err (after any
// pending warnings); returns kExitBadInput.
int bad_input(const Streams& io, const InputError& e);

// `args` excludes the program name: {"assess", "intake.json", "--format", "text"}.
int run(const std::vector<std::string>& args, const Streams& streams);

// run() as the consultation pipeline's step runner (consult/pipeline.h): no
// stdin, strict reads, stdout dropped, stderr returned. Thread-safe.
consult::StepOutcome run_step(const std::vector<std::string>& args);

}  // namespace stipple::cli
