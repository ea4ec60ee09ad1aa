#include "demo_cli.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <filesystem>
#include <sstream>
#include <vector>

#include "stipple/assess/gate.h"
#include "stipple/consult/pipeline.h"
#include "stipple/assess/intake.h"
#include "stipple/io/files.h"
#include "stipple/io/json_document.h"
#include "stipple/plan/money.h"
#include "stipple/plan/plan.h"

namespace stipple {
// Generated from docs/examples/sample-client.intake.json (CMakeLists.txt).
std::string_view embedded_sample_intake_json();
}  // namespace stipple

namespace stipple::cli {

namespace fs = std::filesystem;
using io::Json;

namespace {

// Today's date on the local clock, as the plan's default start.
std::string today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return fmt::format("{:04}-{:02}-{:02}", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

// "client.intake.json" -> "client".
std::string client_stem(const std::string& path) {
  std::string stem = fs::path(path).filename().string();
  for (const std::string_view suffix : {".json", ".intake"})
    if (stem.size() > suffix.size() && stem.ends_with(suffix)) stem.resize(stem.size() - suffix.size());
  return stem.empty() || stem == "-" ? "client" : stem;
}

Json read_json(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return Json::parse(s.str());
}

std::string weekday_date(const std::string& iso) {
  static constexpr std::array<std::string_view, 7> kNames{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const auto d = plan::parse_date(iso);
  if (!d) return iso;
  return fmt::format("{} {}", kNames[std::chrono::weekday(*d).c_encoding()], iso);
}

// "3000.00" in `currency` -> "USD 3,000.00".
std::string money(const Json& amount, const std::string& currency) {
  const std::string text = amount.get<std::string>();
  const std::size_t dot = text.find('.');
  const int decimals = dot == std::string::npos ? 0 : static_cast<int>(text.size() - dot - 1);
  const auto minor = plan::parse_amount(text, decimals);
  return fmt::format("{} {}", currency, minor ? plan::format_amount_grouped(*minor, decimals) : text);
}


std::string grouped(std::size_t n) { return plan::format_amount_grouped(static_cast<std::int64_t>(n), 0); }

}  // namespace

void add_demo_command(CLI::App& app, DemoCommand& c) {
  c.cmd = app.add_subcommand("demo", "The whole consultation of the bundled sample client (or --client) into one folder.");
  c.cmd->add_option("-o,--output", c.output, "Folder for every file (default out/demo)");
  c.cmd->add_option("--client", c.client, "Another client's intake (stipple.intake/1) instead of the bundled sample");
  c.cmd->add_option("--start", c.start, "First day for sessions, YYYY-MM-DD (default: today)");
  c.cmd->add_option("--threads", c.threads, "Worker threads (default: every core)")->check(CLI::Range(0, 256));
  c.cmd->add_option("--paper", c.paper, "The consultation report's paper: A4 (default) or Letter")
      ->check(CLI::IsMember({"A4", "Letter"}));
}

int run_demo(const DemoCommand& c, const Streams& io, StepRunner step) {
  const std::string start = c.start.empty() ? today() : c.start;
  std::ostringstream report;  // printed once everything is written
  if (!plan::parse_date(start)) return bad_input(io, {"--start", "start", "a calendar date YYYY-MM-DD between 2000 and 2199", start});
  // The intake: the bundled sample, or the client's file (read and checked first).
  std::string intake_text(embedded_sample_intake_json());
  std::string name = "sample-client";
  if (!c.client.empty()) {
    auto text = io::read_input(c.client, io::JsonLimits{}.max_bytes, io.in);
    if (!text) return bad_input(io, text.error());
    // Checked here, so that an error names the client's own file and nothing is written.
    if (auto parsed = assess::read_intake(*text, c.client, io.read); !parsed) return bad_input(io, parsed.error());
    print_warnings(io);
    intake_text = std::move(*text);
    name = client_stem(c.client);
  }
  // Checked here, so that an error names the client's own file and nothing is written.
  auto parsed = assess::read_intake(intake_text, c.client.empty() ? "the bundled sample intake" : c.client);
  if (!parsed) return bad_input(io, parsed.error());
  std::error_code ec;
  const bool existed = fs::exists(c.output, ec);
  fs::create_directories(c.output, ec);
  if (ec || !fs::is_directory(c.output)) return bad_input(io, {c.output, "", "a folder that can be created and written", ec ? ec.message() : "not a folder"});
  const fs::path dir(c.output);
  const auto at = [&](const std::string& suffix) { return (dir / (name + suffix)).string(); };
  const auto undo_folder = [&] {
    if (!existed && fs::is_empty(dir, ec)) fs::remove(dir, ec);
  };
  const std::string intake = at(".intake.json");
  if (auto w = io::write_output(intake, intake_text, io.out); !w) {
    undo_folder();
    return bad_input(io, w.error());
  }

  // Every step, in the order the studio runs them too (consult/pipeline.h).
  consult::PipelineOptions options;
  options.folder = dir.string();
  options.name = name;
  options.intake = intake;
  options.start = start;
  options.threads = c.threads;
  options.paper = c.paper;
  int failed_code = kExitOk;
  std::string failed_err;  // the failing step's stderr, printed as it was
  const consult::StepRunner runner = [&](const std::vector<std::string>& args) {
    std::ostringstream out, err;
    std::istringstream in;
    // The steps read what this run has checked: as lenient, their warnings already printed.
    const int code = step(args, {in, out, err, io::ReadOptions{io.read.lenient, nullptr}});
    if (code != kExitOk) {
      failed_code = code;
      failed_err = err.str();
    }
    return consult::StepOutcome{code, err.str()};
  };
  auto run = consult::run_pipeline(options, runner);
  if (!run) {
    fs::remove(intake, ec);
    undo_folder();
    if (failed_code != kExitOk) io.err << failed_err;
    else io.err << "stipple: " << run.error().message << "\n";
    return failed_code != kExitOk ? failed_code : kExitBadInput;
  }
  const auto file = [&](std::string_view key) { return run->find(key)->path; };
  std::vector<std::string> written{intake};
  for (const consult::PipelineFile& f : run->files) written.push_back(f.path);
  const assess::BookingGate& gate = run->gate;

  const std::string assessment = file("assessment.json"), summary = file("summary.txt");
  const Json a = read_json(assessment);
  const std::string candidacy = a["candidacy"].get<std::string>();
  std::string who = a["client"].contains("name") ? a["client"]["name"].get<std::string>() : name;
  if (c.client.empty()) who += " (the bundled sample client)";
  report << fmt::format("Stipple demo: {} -> {}/\n\n", who, dir.string());
  report << fmt::format("Assessment   {}\n", a["candidacy_text"].get<std::string>());
  if (!a["recommendations"].empty()) report << fmt::format("             first choice: {}\n", a["recommendations"][0]["title"].get<std::string>());
  if (!run->planned) {
    // No design for a client the assessment refers, declines or defers with no end in sight.
    report << fmt::format("\nNo design, dots or plan: the assessment is \"{}\": {} (see {}).\n", candidacy, gate.summary(),
                          summary);
    report << fmt::format("Files: {}, {}, {}\n", intake, assessment, summary);
    io.out << report.str();
    return kExitOk;
  }

  for (const assess::BookingHold& h : gate.holds)
    report << fmt::format("Hold         first session from {} ({})\n", assess::format_intake_date(h.until), to_string(h.rule));

  const std::string design = file("design.json"), measure = file("measure.json"), dots = file("dots.csv"),
                    stats = file("pattern-stats.json"), progression = file("progression.png"), timeline = file("timeline.png"),
                    plan_file = file("plan.json"), ics = file("ics"), pdf = file("report.pdf");
  std::vector<std::string> diagrams, pictures;
  for (const char* view : {"top", "front", "left", "right", "back"}) diagrams.push_back(file(fmt::format("{}.png", view)));
  for (const char* view : {"top", "three_quarter"})
    for (const char* stage : {"before", "healed"}) {
      pictures.push_back(file(fmt::format("{}.{}.png", view, stage)));
      pictures.push_back(file(fmt::format("{}.{}.meta.json", view, stage)));
    }

  // The key figures.
  const Json m = read_json(measure), p = read_json(plan_file), d = read_json(design);
  std::size_t total_dots = 0;
  int sessions = 0;
  for (const Json& s : p["sessions"]) {
    total_dots += s["dots"].get<std::size_t>();
    if (!s["extra"].get<bool>()) sessions = std::max(sessions, s["pattern_session"].get<int>());
  }
  report << fmt::format("Design       {} look; treatment area {} cm² of {} cm² of scalp\n", [&] { std::string w = d["look"].get<std::string>(); std::ranges::replace(w, '_', ' '); return w; }(),
                        plan::whole_cm2(m["treatment_area_cm2"].get<double>()), plan::whole_cm2(m["scalp_area_cm2"].get<double>()));
  report << fmt::format("Pattern      {} dots over {} sessions\n", grouped(total_dots), sessions);
  std::string label = "Sessions";
  if (p.contains("patch_test")) {
    const Json& t = p["patch_test"];
    report << fmt::format("{:<13}{:<11} {} {}  {}\n", label, "patch test", weekday_date(t["date"].get<std::string>()),
                          t["start"].get<std::string>(), plan::duration_words(t["duration_min"].get<int>()));
    label.clear();
  }
  for (const Json& s : p["sessions"]) {
    const bool extra = s["extra"].get<bool>();  // fills in where the pigment did not hold: no dots of its own
    report << fmt::format("{:<13}{:<11} {} {}  {:<12} {}\n", label, fmt::format("{}{}", s["session"].get<int>(), extra ? " (extra)" : ""),
                          weekday_date(s["date"].get<std::string>()), s["start"].get<std::string>(),
                          plan::duration_words(s["duration_min"].get<int>()),
                          extra ? std::string("fill-in") : grouped(s["dots"].get<std::size_t>()) + " dots");
    label.clear();
  }
  const std::string currency = p["quote"]["currency"].get<std::string>();
  report << fmt::format("Quote        {} in total ({} before tax)\n", money(p["quote"]["total"], currency), money(p["quote"]["subtotal"], currency));
  const Json& t = p["touch_up"];
  report << fmt::format("Touch-up     in about {:.1f} years ({:.1f}-{:.1f}), around {}, {}\n", t["years"].get<double>(),
                        t["years_min"].get<double>(), t["years_max"].get<double>(), t["date"].get<std::string>(),
                        money(t["price"], currency));
  report << fmt::format("\n{} files in {}/:\n", written.size(), dir.string());
  const auto base = [](const std::string& f) { return fs::path(f).filename().string(); };
  const auto list = [&](std::string_view what, const std::vector<std::string>& files) {
    std::string names;
    for (const std::string& f : files) names += (names.empty() ? "" : ", ") + base(f);
    report << fmt::format("  {:<12} {}\n", what, names);
  };
  list("intake", {intake});
  list("assessment", {assessment, summary});
  list("design", {design, measure});
  list("diagrams", diagrams);
  list("dots", {dots, stats});
  list("pictures", pictures);
  list("sheets", {progression, timeline});
  list("plan", {plan_file, ics, pdf});
  io.out << report.str();
  return kExitOk;
}

}  // namespace stipple::cli
