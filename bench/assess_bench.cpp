// Throughput of the consultation assessment: reading and validating an intake,
// applying the rules, and writing the JSON and the text summary. A consultation
// runs this once; the figures show it is never what a practitioner waits on.
#include <benchmark/benchmark.h>

#include <fstream>
#include <random>
#include <sstream>

#include "intake_generator.h"
#include "stipple/assess/assess.h"
#include "stipple/assess/assessment_output.h"
#include "stipple/assess/intake.h"
#include "stipple/cli.h"

namespace {

using namespace stipple;

std::string sample_text() {
  std::ifstream in(std::string(STIPPLE_SOURCE_DIR) + "/docs/examples/sample-client.intake.json");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void BM_ReadIntake(benchmark::State& state) {
  const std::string text = sample_text();
  for (auto _ : state) benchmark::DoNotOptimize(assess::read_intake(text, "sample.json"));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ReadIntake);

void BM_Assess(benchmark::State& state) {
  const auto parsed = assess::read_intake(sample_text(), "sample.json");
  const auto& book = assess::RuleBook::builtin();
  for (auto _ : state) benchmark::DoNotOptimize(assess::assess(parsed->intake, book));
}
BENCHMARK(BM_Assess);

void BM_AssessRandomIntakes(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::vector<assess::Intake> intakes;
  while (intakes.size() < 512)
    if (auto p = assess::parse_intake(testing::random_intake(rng), "r.json")) intakes.push_back(p->intake);
  const auto& book = assess::RuleBook::builtin();
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(assess::assess(intakes[i++ % intakes.size()], book));
}
BENCHMARK(BM_AssessRandomIntakes);

// The whole command as the executable runs it, minus process start-up.
void BM_AssessCommand(benchmark::State& state) {
  const std::string text = sample_text();
  const char* format = state.range(0) ? "text" : "json";
  for (auto _ : state) {
    std::istringstream in(text);
    std::ostringstream out, err;
    benchmark::DoNotOptimize(cli::run({"assess", "-", "--format", format}, {in, out, err}));
  }
}
BENCHMARK(BM_AssessCommand)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
