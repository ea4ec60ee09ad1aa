// Fuzz harness (libFuzzer entry point, run by AFL++ in `make fuzz`): any bytes
// through the clinic, price-list and care-text readers, and the money and
// date parsers; accepted price lists have every amount formatted back, and
// accepted clinics and care texts go into a calendar with the raw bytes as
// the client's name (escaping and folding of any text).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "stipple/plan/ics.h"
#include "stipple/plan/plan.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stipple::plan;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // A small plan for the calendar: two appointments a fortnight apart.
  Plan plan;
  plan.start = *parse_date("2027-01-04");
  plan.appointments = {{1, 1, 1, 1, plan.start, 9 * 60, 95, 4000, 200, false}, {2, 2, 1, 1, plan.start + std::chrono::days{14}, 9 * 60, 80, 3000, 100, false}};
  plan.touch_up.date = plan.start + std::chrono::days{1900};
  const std::string client(text.substr(0, 200));
  if (auto c = parse_clinic(text, "clinic.json")) {
    (void)c->open_minutes(*parse_date("2027-01-04"));
    c->name = client;
    (void)plan_to_ics(plan, *c, {client, 7});
  } else {
    (void)c.error().message();
  }
  if (auto p = parse_pricing(text, "pricing.json")) {
    for (const AreaTier& t : p->tiers) (void)format_amount_grouped(t.price, p->decimals);
    (void)apply_rate(p->touch_up, p->tax_ppm, p->rounding);
    (void)included_tax(p->touch_up, p->tax_ppm, p->rounding);
    (void)format_percent(p->tax_ppm);
  }
  if (auto care = parse_care(text, "care.json")) {
    plan.aftercare = care->aftercare;
    for (const CareText& t : care->precare) plan.precare.push_back({plan.start - std::chrono::days{t.days_before}, 1, t.id, t.text, t.needs_patch_test});
    (void)plan_to_ics(plan, Clinic{}, {client, 7});
  }
  const std::string_view head = text.substr(0, 16);
  (void)parse_amount(head, 2);
  (void)parse_rate(head);
  (void)parse_date(head);
  (void)parse_clock(head);
  return 0;
}
