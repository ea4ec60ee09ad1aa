// Fuzz harness (libFuzzer entry point, run by AFL++ in `make fuzz`): any bytes
// through the design reader and, when accepted, the writer, a coarse measure
// and a small diagram.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stipple/design/design_json.h"
#include "stipple/design/diagram.h"
#include "stipple/design/measure.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stipple::design;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto d = read_design(text, "fuzz.json");
  if (!d) {
    (void)d.error().message();
    return 0;
  }
  (void)stipple::io::dump_document(design_to_json(*d));
  if (auto a = build_anatomy(*d)) (void)measure(*d, *a, {24, 48});
  (void)render_diagram(*d, {View::top, 96, 96});
  return 0;
}
