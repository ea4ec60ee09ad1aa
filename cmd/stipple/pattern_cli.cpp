#include "pattern_cli.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "stipple/design/design_json.h"
#include "stipple/io/files.h"
#include "stipple/pattern/dots_io.h"
#include "stipple/pattern/pattern.h"

namespace stipple::cli {

namespace {

bool ends_with(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

Result<LoadedDesign> load_design(const std::string& path, std::optional<std::uint64_t> seed, const Streams& io) {
  auto text = io::read_input(path, io::JsonLimits{}.max_bytes, io.in);
  if (!text) return std::unexpected(text.error());
  auto d = design::read_design(*text, path, io.read);
  if (!d) return std::unexpected(d.error());
  if (seed) d->seed = *seed;
  auto a = design::build_anatomy(*d);
  if (!a) return std::unexpected(a.error());
  return LoadedDesign{std::move(*d), std::move(*a)};
}

Result<assess::ParsedIntake> read_client_intake(const std::string& path, const LoadedDesign& loaded,
                                                const std::string& design_path, const Streams& io) {
  auto text = io::read_input(path, io::JsonLimits{}.max_bytes, io.in);
  if (!text) return std::unexpected(text.error());
  auto parsed = assess::read_intake(*text, path, io.read);
  if (!parsed) return std::unexpected(parsed.error());
  const assess::Intake& k = parsed->intake;
  const design::Design& dd = loaded.design;
  if (dd.client_name && k.client.name && *dd.client_name != *k.client.name)
    return std::unexpected(InputError{path, "client.name", fmt::format("the client of {} (\"{}\")", design_path, *dd.client_name),
                                      fmt::format("\"{}\"", *k.client.name)});
  if (dd.client_name && dd.sex != k.client.sex)
    return std::unexpected(InputError{path, "client.sex", fmt::format("the client of {} ({})", design_path, to_string(dd.sex)),
                                      std::string(to_string(k.client.sex))});
  if (dd.client_name && std::abs(dd.age - k.client.age) > 1)
    return std::unexpected(InputError{path, "client.age",
                                      fmt::format("the age of the client of {} ({}, or a year more or less)", design_path, dd.age),
                                      std::to_string(k.client.age)});
  return parsed;
}

int thread_count(int requested) {
  return requested > 0 ? requested : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void add_pattern_command(CLI::App& app, PatternCommand& c) {
  c.cmd = app.add_subcommand("pattern", "Every pigment dot of a design: where, how big, how dark, which needle, which session.");
  c.cmd->add_option("DESIGN", c.design, "Design file (stipple.design/1), or - for stdin")->required();
  c.cmd->add_option("-o,--output", c.output, "Dot file (CSV, JSON or binary), or - for stdout")->required();
  c.cmd->add_option("--format", c.format, "csv, json or bin (default: from the output's extension, else csv)")
      ->check(CLI::IsMember({"csv", "json", "bin"}));
  c.cmd->add_option("--stats", c.stats, "Write stipple.pattern-stats/1 here");
  c.cmd->add_option("--seed", c.seed, "Seed (default: the design's)");
  c.cmd->add_option("--threads", c.threads, "Worker threads (default: every core); the dots do not depend on it")
      ->check(CLI::Range(0, 256));
}

int run_pattern(const PatternCommand& c, const Streams& io) {
  pattern::DotsFormat format = pattern::DotsFormat::csv;
  if (!c.format.empty()) format = *enum_from_string<pattern::DotsFormat>(c.format);
  else if (ends_with(c.output, ".json")) format = pattern::DotsFormat::json;
  else if (ends_with(c.output, ".bin")) format = pattern::DotsFormat::bin;

  auto loaded = load_design(c.design, c.seed, io);
  if (!loaded) return bad_input(io, loaded.error());
  const design::Design* d = &loaded->design;
  const scalp::Anatomy* a = &loaded->anatomy;
  pattern::PatternOptions opt;
  opt.threads = thread_count(c.threads);
  auto p = pattern::make_pattern(*d, *a, opt);
  if (!p) {
    InputError e = p.error();
    e.file = c.design == "-" ? "<stdin>" : c.design;
    return bad_input(io, e);
  }
  // A design with nothing to pigment (no treated zone, no scar; e.g. Norwood I
  // or `design new` without a class) would give an empty dot file that every
  // later step accepts; it is a mistake in the design, so it is named.
  if (p->dots.empty())
    return bad_input(io, {c.design == "-" ? "<stdin>" : c.design, "treatment.zones",
                          "a design with something to pigment (treated zones over hair loss, or scars)",
                          d->treated_zones.empty() ? "no treated zone and no scar" : "zones that give no dot"});
  if (auto w = io::write_output(c.output, pattern::encode_dots(*p, format), io.out); !w) return bad_input(io, w.error());
  if (!c.stats.empty()) {
    if (auto w = io::write_output(c.stats, io::dump_document(pattern::pattern_stats(*p)), io.out); !w) {
      // Nothing half-written: the dots go too.
      if (c.output != "-") std::remove(c.output.c_str());
      return bad_input(io, w.error());
    }
  }
  return kExitOk;
}

}  // namespace stipple::cli
