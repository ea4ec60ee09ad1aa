// tests/test_clients.h: clients made by the design defaults, with their
// pattern, shared by the tests that need a whole design (made once each).
#pragma once

#include <cstdint>
#include <optional>

#include "stipple/design/design.h"
#include "stipple/pattern/pattern.h"
#include "stipple/scalp/anatomy.h"

namespace stipple::testing {

struct TestClient {
  design::Design d;
  scalp::Anatomy a;
  pattern::Pattern p;
};

// The default design of a man at `norwood` (the design's own look unless
// given), seeded, and its pattern. Kept for the life of the test program.
const TestClient& test_client(assess::Norwood norwood, std::uint64_t seed, std::optional<design::Look> look = std::nullopt);

}  // namespace stipple::testing
