// Fuzz harness (libFuzzer entry point, run by AFL++ in `make fuzz`): any bytes through the intake reader and, when accepted,
// the rules and both output formats. Built and run by `make fuzz`.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stipple/assess/assess.h"
#include "stipple/assess/assessment_output.h"
#include "stipple/assess/intake.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stipple::assess;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = read_intake(text, "fuzz.json");
  if (!parsed) {
    (void)parsed.error().message();
    return 0;
  }
  const RuleBook& book = RuleBook::builtin();
  const Assessment a = assess(parsed->intake, book, parsed->warnings);
  (void)stipple::io::dump_document(assessment_to_json(a, parsed->intake, book));
  (void)assessment_to_text(a, parsed->intake, book);
  return 0;
}
