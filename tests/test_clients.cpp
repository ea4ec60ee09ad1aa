#include "test_clients.h"

#include <map>
#include <memory>
#include <mutex>
#include <tuple>

namespace stipple::testing {

const TestClient& test_client(assess::Norwood norwood, std::uint64_t seed, std::optional<design::Look> look) {
  static std::mutex mutex;
  static std::map<std::tuple<int, std::uint64_t, int>, std::unique_ptr<TestClient>> made;
  const std::lock_guard lock(mutex);
  auto& slot = made[{static_cast<int>(norwood), seed, look ? static_cast<int>(*look) : -1}];
  if (!slot) {
    design::DesignOptions o;
    o.norwood = norwood;
    o.look = look;
    o.seed = seed;
    design::Design d = *design::make_design(o);
    scalp::Anatomy a = *design::build_anatomy(d);
    pattern::Pattern p = *pattern::make_pattern(d, a);
    slot = std::make_unique<TestClient>(TestClient{std::move(d), std::move(a), std::move(p)});
  }
  return *slot;
}

}  // namespace stipple::testing
