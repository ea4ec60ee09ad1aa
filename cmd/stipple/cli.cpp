#include "stipple/cli.h"

#include "demo_cli.h"
#include "design_cli.h"
#include "pattern_cli.h"
#include "plan_cli.h"
#include "simulate_cli.h"
#include "studio_cli.h"

#include <algorithm>
#include <istream>
#include <ostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "stipple/assess/assess.h"
#include "stipple/assess/assessment_output.h"
#include "stipple/assess/intake.h"
#include "stipple/assess/rulebook.h"
#include "stipple/design/design_json.h"
#include "stipple/plan/plan.h"
#include "stipple/simulate/photo.h"
#include "stipple/io/files.h"
#include "stipple/io/json_document.h"

#include <functional>

namespace stipple {
// Generated from docs/schemas/*.schema.json (CMakeLists.txt).
std::string_view embedded_region_schema_json();
}  // namespace stipple

namespace stipple::cli {

namespace {

std::string one_line(std::string s) {
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return s;
}

struct AssessOptions {
  std::string intake;
  std::string format = "json";
  std::string output = "-";
  std::string rules;
};

int run_assess(const AssessOptions& o, const Streams& io) {
  const assess::RuleBook* book = &assess::RuleBook::builtin();
  assess::RuleBook custom;
  if (!o.rules.empty()) {
    auto text = io::read_input(o.rules, io::JsonLimits{}.max_bytes, io.in);
    if (!text) return bad_input(io, text.error());
    auto parsed = assess::RuleBook::parse(*text, o.rules, io.read);
    if (!parsed) return bad_input(io, parsed.error());
    custom = std::move(*parsed);
    book = &custom;
  }
  auto text = io::read_input(o.intake, io::JsonLimits{}.max_bytes, io.in);
  if (!text) return bad_input(io, text.error());
  auto parsed = assess::read_intake(*text, o.intake, io.read);
  if (!parsed) return bad_input(io, parsed.error());
  const assess::Assessment a = assess::assess(parsed->intake, *book, std::move(parsed->warnings));
  const std::string out = o.format == "text" ? assess::assessment_to_text(a, parsed->intake, *book)
                                             : io::dump_document(assess::assessment_to_json(a, parsed->intake, *book));
  if (auto w = io::write_output(o.output, out, io.out); !w) return bad_input(io, w.error());
  // The client's text carries no notes for the practitioner: they go to stderr (the JSON has them).
  // A lenient read's warnings are printed once, with the others read (print_warnings).
  if (o.format == "text")
    for (const std::string& w : a.warnings)
      if (!io.read.warnings || std::find(io.read.warnings->begin(), io.read.warnings->end(), w) == io.read.warnings->end())
        io.err << "stipple: warning: " << one_line(w) << "\n";
  return kExitOk;
}

// Every input format: its JSON Schema and its reader.
struct InputFormat {
  std::string_view name;
  std::function<io::Json()> schema;
  std::function<Result<void>(std::string_view text, const std::string& file, const io::ReadOptions& options)> read;
};

template <class R>
Result<void> only_errors(const R& r) {
  if (!r) return std::unexpected(r.error());
  return {};
}

io::Json embedded_schema(std::string_view text) { return io::Json::parse(text); }

const std::vector<InputFormat>& input_formats() {
  static const std::vector<InputFormat> formats = {
      {"intake", assess::intake_json_schema,
       [](std::string_view t, const std::string& f, const io::ReadOptions& o) { return only_errors(assess::read_intake(t, f, o)); }},
      {"design", design::design_json_schema,
       [](std::string_view t, const std::string& f, const io::ReadOptions& o) { return only_errors(design::read_design(t, f, o)); }},
      {"rules", assess::rulebook_json_schema,
       [](std::string_view t, const std::string& f, const io::ReadOptions& o) {
         return only_errors(assess::RuleBook::parse(t, f, o));
       }},
      {"region", [] { return embedded_schema(embedded_region_schema_json()); },
       [](std::string_view t, const std::string& f, const io::ReadOptions& o) {
         return only_errors(simulate::parse_photo_region(t, f, o));
       }},
      {"clinic", [] { return embedded_schema(plan::clinic_schema_json()); },
       [](std::string_view t, const std::string& f, const io::ReadOptions& o) { return only_errors(plan::parse_clinic(t, f, o)); }},
      {"pricing", [] { return embedded_schema(plan::pricing_schema_json()); },
       [](std::string_view t, const std::string& f, const io::ReadOptions& o) { return only_errors(plan::parse_pricing(t, f, o)); }},
      {"care", [] { return embedded_schema(plan::care_schema_json()); },
       [](std::string_view t, const std::string& f, const io::ReadOptions& o) { return only_errors(plan::parse_care(t, f, o)); }},
  };
  return formats;
}

int run_schema(const std::string& name, const std::vector<std::string>& check, const std::string& output,
               const Streams& io) {
  const auto& formats = input_formats();
  const auto it = std::find_if(formats.begin(), formats.end(), [&](const InputFormat& f) { return f.name == name; });
  if (!check.empty()) {
    // Reads each file with the format's own reader: one line for each bad file
    // (exit 2), nothing when all are good.
    int code = kExitOk;
    for (const std::string& file : check) {
      auto text = io::read_input(file, io::JsonLimits{}.max_bytes, io.in);
      auto r = text ? it->read(*text, file, io.read) : std::unexpected(text.error());
      if (!r) code = bad_input(io, r.error());
    }
    return code;
  }
  if (auto w = io::write_output(output, io::dump_document(it->schema()), io.out); !w) return bad_input(io, w.error());
  return kExitOk;
}

}  // namespace

void print_warnings(const Streams& io) {
  if (!io.read.warnings) return;
  for (const std::string& w : *io.read.warnings) io.err << "stipple: warning: " << one_line(w) << "\n";
  io.read.warnings->clear();
}

int bad_input(const Streams& io, const InputError& e) {
  print_warnings(io);
  io.err << "stipple: " << e.message() << "\n";
  return kExitBadInput;
}

namespace {
int run_parsed(const std::vector<std::string>& args, const Streams& io);
}  // namespace

int run(const std::vector<std::string>& args, const Streams& caller) {
  // Warnings of lenient reads are gathered here unless the caller gathers them.
  std::vector<std::string> warnings;
  Streams io{caller.in, caller.out, caller.err, caller.read, caller.err_is_terminal};
  if (!io.read.warnings) io.read.warnings = &warnings;
  const int code = run_parsed(args, io);
  print_warnings(io);
  return code;
}

consult::StepOutcome run_step(const std::vector<std::string>& args) {
  std::istringstream in;
  std::ostringstream out, err;
  const int code = run(args, {in, out, err});
  return {code, err.str()};
}

namespace {

int run_parsed(const std::vector<std::string>& args, const Streams& streams) {
  Streams io = streams;
  CLI::App app{"Stipple: scalp micropigmentation, from consultation to touch-up.", "stipple"};
  app.set_version_flag("--version", std::string("stipple ") + STIPPLE_VERSION);
  app.require_subcommand(1);

  AssessOptions assess_opts;
  auto* assess_cmd = app.add_subcommand(
      "assess", "Assess a consultation intake: referrals, contraindications, ranked recommendations.");
  assess_cmd->add_option("INTAKE", assess_opts.intake, "Intake file (stipple.intake/1), or - for stdin")
      ->required();
  assess_cmd->add_option("--format", assess_opts.format, "json (stipple.assessment/1) or text (for the client)")
      ->check(CLI::IsMember({"json", "text"}));
  assess_cmd->add_option("-o,--output", assess_opts.output, "Output file, or - for stdout (default)");
  assess_cmd->add_option("--rules", assess_opts.rules, "A clinic's own rule book (stipple.rules/1)");

  std::string schema_name, schema_out = "-";
  std::vector<std::string> schema_check;
  std::vector<std::string> format_names;
  for (const InputFormat& f : input_formats()) format_names.emplace_back(f.name);
  auto* schema_cmd = app.add_subcommand("schema", "Print the JSON Schema (2020-12) of an input format, or check a file of it.");
  schema_cmd->add_option("NAME", schema_name, "intake, design, rules, region, clinic, pricing or care")
      ->required()
      ->check(CLI::IsMember(format_names));
  schema_cmd->add_option("-o,--output", schema_out, "Output file, or - for stdout (default)");
  schema_cmd->add_option("--check", schema_check,
                         "Read these files with the format's reader instead: exit 0, or 2 with one line for each bad file "
                         "naming its first bad field")
      ->expected(1, -1);

  DesignCommand design_cmd;
  add_design_commands(app, design_cmd);
  PatternCommand pattern_cmd;
  add_pattern_command(app, pattern_cmd);
  SimulateCommand simulate_cmd;
  add_simulate_command(app, simulate_cmd);
  PlanCommand plan_cmd;
  add_plan_command(app, plan_cmd);
  DemoCommand demo_cmd;
  add_demo_command(app, demo_cmd);
  ServeCommand serve_cmd;
  add_serve_command(app, serve_cmd);
  AdminCommand admin_cmd;
  add_admin_commands(app, admin_cmd);

  // Every command that reads input files may be told to ignore unknown fields.
  bool lenient = false;
  for (CLI::App* sub : {assess_cmd, schema_cmd, design_cmd.new_cmd, design_cmd.measure_cmd, design_cmd.validate_cmd,
                        design_cmd.diagram_cmd, pattern_cmd.cmd, simulate_cmd.cmd, plan_cmd.cmd, demo_cmd.cmd})
    sub->add_flag("--lenient", lenient,
                  "Ignore unknown fields in the input files, each with a warning on stderr (default: refuse them, exit 2)");

  std::vector<std::string> argv_storage;
  argv_storage.reserve(args.size() + 1);
  argv_storage.push_back("stipple");
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<const char*> argv;
  for (const auto& a : argv_storage) argv.push_back(a.c_str());

  try {
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::CallForHelp&) {
      return app.exit(CLI::CallForHelp(), io.out, io.err);
    } catch (const CLI::CallForAllHelp&) {
      return app.exit(CLI::CallForAllHelp(), io.out, io.err);
    } catch (const CLI::CallForVersion& e) {
      io.out << e.what() << "\n";
      return kExitOk;
    } catch (const CLI::ParseError& e) {
      const CLI::App* design_sub = parsed_design_command(design_cmd);
      const CLI::App* sub = assess_cmd->parsed()    ? assess_cmd
                            : schema_cmd->parsed()  ? schema_cmd
                            : pattern_cmd.cmd->parsed() ? pattern_cmd.cmd
                            : simulate_cmd.cmd->parsed() ? simulate_cmd.cmd
                            : plan_cmd.cmd->parsed() ? plan_cmd.cmd
                            : demo_cmd.cmd->parsed() ? demo_cmd.cmd
                                                      : design_sub;
      std::string help = "stipple --help";
      const CLI::App* admin_sub = parsed_admin_command(admin_cmd);
      if (serve_cmd.cmd->parsed())
        help = "stipple serve --help";
      else if (admin_sub)
        help = admin_sub == admin_cmd.group ? "stipple admin --help" : "stipple admin " + admin_sub->get_name() + " --help";
      else if (design_sub && design_sub != design_cmd.group)
        help = "stipple design " + design_sub->get_name() + " --help";
      else if (sub)
        help = "stipple " + sub->get_name() + " --help";
      io.err << "stipple: usage: " << one_line(e.what()) << " (see " << help << ")\n";
      return kExitBadInput;
    }
    io.read.lenient = io.read.lenient || lenient;
    if (assess_cmd->parsed()) return run_assess(assess_opts, io);
    if (schema_cmd->parsed()) return run_schema(schema_name, schema_check, schema_out, io);
    if (design_cmd.group->parsed()) return run_design(design_cmd, io);
    if (pattern_cmd.cmd->parsed()) return run_pattern(pattern_cmd, io);
    if (simulate_cmd.cmd->parsed()) return run_simulate(simulate_cmd, io);
    if (plan_cmd.cmd->parsed()) return run_plan(plan_cmd, io);
    if (demo_cmd.cmd->parsed()) return run_demo(demo_cmd, io, &run);
    if (serve_cmd.cmd->parsed()) return run_serve(serve_cmd, io);
    if (admin_cmd.group->parsed()) return run_admin(admin_cmd, io);
    return kExitBadInput;
  } catch (const std::exception& e) {
    io.err << "stipple: internal error: " << one_line(e.what()) << "\n";
    return kExitInternal;
  }
}

}  // namespace

}  // namespace stipple::cli
