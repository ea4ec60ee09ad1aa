// stipple/io/files.h: reading inputs and writing outputs the contract's way.
//
// Inputs: a path, or "-" for standard input, read whole with a size bound.
// Outputs: "-" is standard output; anything else is written to a temporary
// file beside the target and renamed over it, so a failure never leaves a
// half-written file behind.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

#include "stipple/core/error.h"

namespace stipple::io {

// Reads all of `path` ("-" = stdin). Fails (naming the file) when it cannot be
// opened, is a directory, or is larger than `max_bytes`.
Result<std::string> read_input(const std::string& path, std::size_t max_bytes, std::istream& standard_input);

// Writes `content` to `path` atomically: a temporary file beside it, synced
// to disk, renamed over `path`, and the folder synced, so a crash leaves the
// old file or the whole new one. "-" writes to stdout; an existing device,
// pipe or socket (/dev/null, a FIFO) is written in place, never replaced. On
// failure nothing is left at `path` or beside it.
Result<void> write_output(const std::string& path, std::string_view content, std::ostream& standard_output);

}  // namespace stipple::io
