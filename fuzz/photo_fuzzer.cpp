// Fuzz harness (libFuzzer entry point, run by AFL++ in `make fuzz`): any bytes
// as a client's photo (header limits, then the decoder) and as a photo region
// file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stipple/simulate/photo.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stipple::simulate;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto img = decode_photo(bytes, "fuzz.jpg"); !img) (void)img.error().message();
  if (auto r = parse_photo_region(bytes, "fuzz.region.json"); !r) (void)r.error().message();
  return 0;
}
