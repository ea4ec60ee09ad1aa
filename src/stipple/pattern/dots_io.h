// stipple/pattern/dots_io.h: the dot files of `stipple pattern`.
//
// Three encodings of the same list (docs/pattern.md): CSV with the contract's
// columns (plus `hairline` and `scar` flags and the follicular `unit`), JSON (`stipple.dots/1`) and a
// compact little-endian binary (`STPLDOT1`, 30 bytes a dot). Readers are
// strict: an error names the file, the record and the field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stipple/core/error.h"
#include "stipple/io/json_document.h"
#include "stipple/pattern/pattern.h"

namespace stipple::pattern {

enum class DotsFormat { csv, json, bin };

std::string dots_csv(const std::vector<Dot>& dots);
io::Json dots_json(const std::vector<Dot>& dots, int sessions);
std::string dots_binary(const std::vector<Dot>& dots, int sessions);
std::string encode_dots(const Pattern& p, DotsFormat f);

inline constexpr std::size_t kDotRecordBytes = 30, kDotHeaderBytes = 32;

struct DotFile {
  int sessions = 0;
  std::vector<Dot> dots;
};

// Reads any of the three encodings (told apart by their first bytes). `file`
// names the input in errors.
Result<DotFile> read_dots(std::string_view bytes, const std::string& file);

}  // namespace stipple::pattern

namespace stipple {
template <>
inline constexpr auto enum_names<pattern::DotsFormat> = std::array<std::string_view, 3>{"csv", "json", "bin"};
}
