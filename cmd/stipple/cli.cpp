#include "stipple/cli.h"

#include "demo_cli.h"
#include "design_cli.h"
#include "pattern_cli.h"
#include "plan_cli.h"
#include "simulate_cli.h"

#include <algorithm>
#include <istream>
#include <ostream>

#include <CLI/CLI.hpp>

#include "stipple/assess/assess.h"
#include "stipple/assess/assessment_output.h"
#include "stipple/assess/intake.h"
#include "stipple/assess/rulebook.h"
#include "stipple/io/files.h"
#include "stipple/io/json_document.h"

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
    auto parsed = assess::RuleBook::parse(*text, o.rules);
    if (!parsed) return bad_input(io, parsed.error());
    custom = std::move(*parsed);
    book = &custom;
  }
  auto text = io::read_input(o.intake, io::JsonLimits{}.max_bytes, io.in);
  if (!text) return bad_input(io, text.error());
  auto parsed = assess::read_intake(*text, o.intake);
  if (!parsed) return bad_input(io, parsed.error());
  const assess::Assessment a = assess::assess(parsed->intake, *book, std::move(parsed->warnings));
  const std::string out = o.format == "text" ? assess::assessment_to_text(a, parsed->intake, *book)
                                             : io::dump_document(assess::assessment_to_json(a, parsed->intake, *book));
  if (auto w = io::write_output(o.output, out, io.out); !w) return bad_input(io, w.error());
  // The client's text carries no notes for the practitioner: they go to stderr (the JSON has them).
  if (o.format == "text")
    for (const std::string& w : a.warnings) io.err << "stipple: warning: " << one_line(w) << "\n";
  return kExitOk;
}

int run_schema(const std::string& name, const std::string& output, const Streams& io) {
  (void)name;  // CLI11 restricts it to the known schemas
  if (auto w = io::write_output(output, io::dump_document(assess::intake_json_schema()), io.out); !w)
    return bad_input(io, w.error());
  return kExitOk;
}

}  // namespace

int bad_input(const Streams& io, const InputError& e) {
  io.err << "stipple: " << e.message() << "\n";
  return kExitBadInput;
}

int run(const std::vector<std::string>& args, const Streams& io) {
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
  auto* schema_cmd = app.add_subcommand("schema", "Print the JSON Schema of an input format.");
  schema_cmd->add_option("NAME", schema_name, "intake")->required()->check(CLI::IsMember({"intake"}));
  schema_cmd->add_option("-o,--output", schema_out, "Output file, or - for stdout (default)");

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
      if (design_sub && design_sub != design_cmd.group)
        help = "stipple design " + design_sub->get_name() + " --help";
      else if (sub)
        help = "stipple " + sub->get_name() + " --help";
      io.err << "stipple: usage: " << one_line(e.what()) << " (see " << help << ")\n";
      return kExitBadInput;
    }
    if (assess_cmd->parsed()) return run_assess(assess_opts, io);
    if (schema_cmd->parsed()) return run_schema(schema_name, schema_out, io);
    if (design_cmd.group->parsed()) return run_design(design_cmd, io);
    if (pattern_cmd.cmd->parsed()) return run_pattern(pattern_cmd, io);
    if (simulate_cmd.cmd->parsed()) return run_simulate(simulate_cmd, io);
    if (plan_cmd.cmd->parsed()) return run_plan(plan_cmd, io);
    if (demo_cmd.cmd->parsed()) return run_demo(demo_cmd, io, &run);
    return kExitBadInput;
  } catch (const std::exception& e) {
    io.err << "stipple: internal error: " << one_line(e.what()) << "\n";
    return kExitInternal;
  }
}

}  // namespace stipple::cli
