// stipple/design/design_json.h: `stipple.design/1` documents.
//
// The writer puts every field in a fixed order with lengths rounded to 0.01 mm,
// so reading a design and writing it again gives the same bytes. The reader is
// strict: every field is checked for type and range, unknown fields are refused
// naming the nearest known field (a misspelt field in a hand-edited design would
// otherwise do nothing; io/known_fields.h, lenient on request), and
// every error names the field path, e.g. `hair_loss.regions[0].outline_mm[3]`.
#pragma once

#include <string_view>

#include "stipple/design/design.h"
#include "stipple/io/json_document.h"
#include "stipple/io/known_fields.h"

namespace stipple::design {

inline constexpr std::string_view kDesignSchema = "stipple.design/1";

io::Json design_to_json(const Design& d);
// JSON Schema (2020-12) of stipple.design/1, for `stipple schema design`.
io::Json design_json_schema();
Result<Design> design_from_json(const io::Json& doc, std::string_view file, const io::ReadOptions& options = {});
// Parses and reads a whole document (text as read from `file`).
Result<Design> read_design(std::string_view text, std::string_view file, const io::ReadOptions& options = {});

}  // namespace stipple::design
