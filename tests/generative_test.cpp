// Tens of thousands of random and damaged intakes through the whole `stipple
// assess` path (cli::run, in-process): every one must exit 0 or 2, errors
// must be one line naming the input, and every assessment must keep the
// invariants of assess.h. The sanitizer build runs the same cases.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "cli_in_process.h"
#include "intake_generator.h"
#include "stipple/assess/vocabulary.h"
#include "stipple/cli.h"

namespace stipple {
namespace {

using io::Json;

using Outcome = testing::CliOutcome;

Outcome run_assess(const std::string& input, const std::string& format) {
  return testing::run_cli({"assess", "-", "--format", format}, input);
}

bool smp_option(const std::string& o) { return o.rfind("smp_", 0) == 0; }

// The invariants of assess.h, on the JSON a client would receive.
void check_assessment(const Json& a, const std::string& input) {
  SCOPED_TRACE(input);
  ASSERT_EQ(a.at("schema"), "stipple.assessment/1");
  const std::string candidacy = a.at("candidacy");
  const bool needed = a.at("referral").at("needed");
  EXPECT_EQ(needed, !a.at("referral").at("reasons").empty());
  // Red flags make the candidacy refer; a specialist for treatment (kind
  // treatment, active alopecia areata) leaves it to the other rules.
  bool referral = false;
  for (const Json& r : a.at("referral").at("reasons")) {
    const std::string kind = r.at("kind");
    EXPECT_TRUE(kind == "red_flag" || kind == "treatment") << kind;
    EXPECT_EQ(kind == "red_flag", r.at("rule").get<std::string>().rfind("RF-", 0) == 0);
    referral = referral || kind == "red_flag";
  }
  EXPECT_EQ(candidacy == "refer", referral);

  int expected_rank = 1;
  bool smp_ranked = false;
  for (const Json& r : a.at("recommendations")) {
    EXPECT_EQ(r.at("rank").get<int>(), expected_rank++) << "ranks must be 1..n without gaps";
    const std::string option = r.at("option");
    smp_ranked = smp_ranked || smp_option(option);
    EXPECT_FALSE(r.at("rationale").empty()) << option << " ranked without a reason";
    if (referral && smp_option(option)) {
      bool carries = false;
      for (const Json& why : r.at("rationale")) carries = carries || why.at("rule").get<std::string>().rfind("RF-", 0) == 0;
      EXPECT_TRUE(carries) << "a refer ranked " << option << " without the referral";
    }
  }
  bool decline = false, defer = false, precaution = false;
  for (const Json& c : a.at("contraindications")) {
    decline = decline || c.at("severity") == "decline";
    defer = defer || c.at("severity") == "defer";
    // CI-72H is a booking hold, not a condition of the candidacy.
    precaution = precaution || (c.at("severity") == "precaution" && c.at("rule") != "CI-72H");
  }
  if (decline) {
    EXPECT_NE(candidacy, "candidate");
    EXPECT_NE(candidacy, "candidate_with_conditions");
    EXPECT_FALSE(smp_ranked) << "an SMP option ranked despite a decline";
  }
  if (candidacy == "candidate") {
    EXPECT_FALSE(decline || defer || precaution || needed);
  }
  if (candidacy == "candidate" || candidacy == "candidate_with_conditions") {
    EXPECT_TRUE(smp_ranked);
  }
  if (!referral && !decline && defer) {
    EXPECT_EQ(candidacy, "defer");
  }
  // Ranked options never also appear as not recommended.
  std::set<std::string> ranked;
  for (const Json& r : a.at("recommendations")) ranked.insert(r.at("option"));
  for (const Json& n : a.at("not_recommended")) EXPECT_FALSE(ranked.contains(n.at("option")));
}

void check_error(const Outcome& o) {
  ASSERT_FALSE(o.err.empty());
  EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << "error must be exactly one line: " << o.err;
  EXPECT_EQ(o.err.rfind("stipple: <stdin>: ", 0), 0u) << o.err;
  EXPECT_NE(o.err.find("expected "), std::string::npos) << o.err;
  EXPECT_TRUE(o.out.empty()) << "no output on failure";
}

TEST(Generative, RandomAndDamagedIntakesKeepTheContract) {
  const char* env = std::getenv("STIPPLE_GENERATIVE_CASES");
  const int cases = env ? std::atoi(env) : 30000;
  std::mt19937_64 rng(20261121);
  std::map<std::string, int> candidacies;
  std::map<int, int> codes;
  std::set<std::string> rules_seen;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < cases; ++i) {
    Json doc = testing::random_intake(rng);
    std::string text;
    switch (i % 4) {
      case 0:
      case 1: text = doc.dump(); break;                                            // as generated
      case 2: text = testing::mutate_document(doc, rng).dump(); break;             // structural fault
      default: text = testing::mutate_text(doc.dump(), rng); break;                // byte damage
    }
    const Outcome o = run_assess(text, i % 10 == 0 ? "text" : "json");
    ++codes[o.code];
    ASSERT_TRUE(o.code == 0 || o.code == 2) << "exit " << o.code << " for " << text << "\n" << o.err;
    if (o.code == 2) {
      check_error(o);
    } else if (i % 10 != 0) {
      const Json a = Json::parse(o.out);
      check_assessment(a, text);
      ++candidacies[a.at("candidacy")];
      for (const Json& r : a.at("rules_fired")) rules_seen.insert(r);
    }
    if (::testing::Test::HasFatalFailure()) return;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "generative: " << cases << " cases in " << seconds << " s; exit 0: " << codes[0]
            << ", exit 2: " << codes[2] << "; candidacy:";
  for (const auto& [c, n] : candidacies) std::cout << " " << c << "=" << n;
  std::cout << "; rules fired: " << rules_seen.size() << "\n";

  // The generator must reach every rule, or the invariants were checked on too little.
  if (cases >= 10000) {
    for (std::size_t i = 0; i < enum_count<assess::RuleId>(); ++i) {
      const std::string id(to_string(static_cast<assess::RuleId>(i)));
      EXPECT_TRUE(rules_seen.contains(id)) << id << " never fired in " << cases << " cases";
    }
    EXPECT_GT(codes[0], cases / 5) << "too few valid intakes to exercise the rules";
    EXPECT_GT(codes[2], cases / 5) << "too few invalid intakes to exercise the errors";
  }
}

}  // namespace
}  // namespace stipple
