// Damaged design files through `stipple design validate` and `design measure`
// (cli::run, in-process): every one must exit 0 or 2, errors must be one line
// naming the input and the field, and accepted designs must measure sanely.
// The sanitizer build runs the same cases.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>

#include "cli_in_process.h"
#include "intake_generator.h"
#include "stipple/cli.h"
#include "stipple/design/design_json.h"

namespace stipple {
namespace {

using io::Json;

using Outcome = testing::CliOutcome;
using testing::run_cli;

std::string base_design(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"design", "new"};
  all.insert(all.end(), args.begin(), args.end());
  const Outcome o = run_cli(all, "");
  EXPECT_EQ(o.code, 0) << o.err;
  return o.out;
}

TEST(Generative, DamagedDesignsKeepTheContract) {
  const char* env = std::getenv("STIPPLE_GENERATIVE_CASES");
  const int cases = env ? std::max(1, std::atoi(env) / 10) : 3000;
  const std::vector<Json> bases = {
      Json::parse(base_design({"--norwood", "IV", "--name", "A"})),
      Json::parse(base_design({"--sex", "female", "--ludwig", "II", "--hairline", "soft"})),
      Json::parse(base_design({"--scar", "fut", "--norwood", "IIa", "--head-circumference-mm", "600"})),
  };
  std::mt19937_64 rng(20261122);
  std::map<int, int> codes;
  for (int i = 0; i < cases; ++i) {
    const Json& base = bases[static_cast<std::size_t>(i) % bases.size()];
    const std::string text = i % 2 ? testing::mutate_document(base, rng).dump() : testing::mutate_text(base.dump(), rng);
    const Outcome o = run_cli({"design", "validate", "-"}, text);
    ++codes[o.code];
    ASSERT_TRUE(o.code == 0 || o.code == 2) << "exit " << o.code << " for " << text << "\n" << o.err;
    if (o.code == 2) {
      EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << o.err;
      EXPECT_EQ(o.err.rfind("stipple: <stdin>: ", 0), 0u) << o.err;
      EXPECT_NE(o.err.find("expected "), std::string::npos) << o.err;
    } else if (codes[0] <= 6) {
      // Accepted designs (the first few: measuring takes a second) measure: areas in range, every fraction in 0..1.
      const Outcome m = run_cli({"design", "measure", "-"}, text);
      ASSERT_EQ(m.code, 0) << m.err;
      const Json j = Json::parse(m.out);
      EXPECT_GT(j["scalp_area_cm2"].get<double>(), 300);
      EXPECT_LE(j["bald_area_cm2"].get<double>(), j["scalp_area_cm2"].get<double>() + 0.1);
      for (const Json& z : j["zones"]) {
        EXPECT_GE(z["bald_fraction"].get<double>(), 0);
        EXPECT_LE(z["bald_fraction"].get<double>(), 1);
      }
    }
    if (::testing::Test::HasFatalFailure()) return;
  }
  std::cout << "design generative: " << cases << " cases; exit 0: " << codes[0] << ", exit 2: " << codes[2] << "\n";
  EXPECT_GT(codes[2], cases / 4);
  EXPECT_GT(codes[0], cases / 200);  // strict files refuse most damage, yet some survive
}

}  // namespace
}  // namespace stipple
