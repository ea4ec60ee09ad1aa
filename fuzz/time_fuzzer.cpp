// Fuzz harness (libFuzzer entry point, run by AFL++ in `make fuzz`): any bytes
// through the diary's RFC 3339 reader; an accepted time, written back on a
// clinic's clock (Amsterdam, whose old offsets had seconds), must read back as the same instant.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "stipple/plan/time_zone.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto at = stipple::plan::parse_rfc3339(text);
  if (!at) return 0;
  static const auto zone = stipple::plan::TimeZone::locate("Europe/Amsterdam");
  if (!zone) return 0;
  // Written to the second: the same instant, less its milliseconds (away
  // from the range's ends, where the clinic's offset takes it out of range).
  constexpr long long kFrom = -2'208'902'400'000LL, kTo = 7'257'945'600'000LL;  // 1900-01-02 and 2199-12-30, UTC
  if (*at < kFrom || *at > kTo) return 0;
  const auto again = stipple::plan::parse_rfc3339(stipple::plan::local_rfc3339(*at, *zone));
  if (!again || *again != *at - (((*at % 1000) + 1000) % 1000)) std::abort();
  return 0;
}
