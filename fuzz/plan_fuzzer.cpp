// Fuzz harness (libFuzzer entry point, run by AFL++ in `make fuzz`): any bytes
// through the clinic, price-list and care-text readers, and the money and
// date parsers; accepted price lists have every amount formatted back.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stipple/plan/plan.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stipple::plan;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto c = parse_clinic(text, "clinic.json")) {
    (void)c->open_minutes(*parse_date("2027-01-04"));
  } else {
    (void)c.error().message();
  }
  if (auto p = parse_pricing(text, "pricing.json")) {
    for (const AreaTier& t : p->tiers) (void)format_amount_grouped(t.price, p->decimals);
    (void)apply_rate(p->touch_up, p->tax_ppm, p->rounding);
  }
  (void)parse_care(text, "care.json");
  const std::string_view head = text.substr(0, 16);
  (void)parse_amount(head, 2);
  (void)parse_rate(head);
  (void)parse_date(head);
  (void)parse_clock(head);
  return 0;
}
