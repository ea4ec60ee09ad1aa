#include "design_cli.h"

#include "pattern_cli.h"

#include <fmt/format.h>

#include "stipple/assess/intake.h"
#include "stipple/design/design_json.h"
#include "stipple/design/diagram.h"
#include "stipple/design/measure.h"
#include "stipple/io/files.h"

namespace stipple::cli {

namespace {

template <class E>
std::vector<std::string> names() {
  std::vector<std::string> out;
  for (std::string_view n : enum_names<E>) out.emplace_back(n);
  return out;
}

template <class E>
E parse_enum(const std::string& s) {
  return *enum_from_string<E>(s);  // CLI11 has checked the spelling
}

Result<design::Design> load(const std::string& path, const Streams& io) {
  auto text = io::read_input(path, io::JsonLimits{}.max_bytes, io.in);
  if (!text) return std::unexpected(text.error());
  return design::read_design(*text, path, io.read);
}

int run_new(const DesignCommand& c, const Streams& io) {
  design::DesignOptions o;
  std::optional<design::Design::IntakeAssessment> assessed;
  if (!c.from_intake.empty()) {
    auto text = io::read_input(c.from_intake, io::JsonLimits{}.max_bytes, io.in);
    if (!text) return bad_input(io, text.error());
    auto intake = assess::read_intake(*text, c.from_intake, io.read);
    if (!intake) return bad_input(io, intake.error());
    o = design::options_from_intake(intake->intake);
    // The design keeps what its intake's assessment says of booking (plan reads it).
    assessed = design::intake_assessment_of(assess::assess(intake->intake, assess::RuleBook::builtin()));
  }
  // Options given on the command line override the intake.
  if (c.new_cmd->count("--sex")) o.sex = parse_enum<assess::Sex>(c.sex);
  if (c.new_cmd->count("--age") || c.from_intake.empty()) o.age = c.age;
  if (!c.norwood.empty()) o.norwood = parse_enum<assess::Norwood>(c.norwood), o.ludwig.reset();
  if (!c.ludwig.empty()) o.ludwig = parse_enum<assess::Ludwig>(c.ludwig), o.norwood.reset();
  if (!c.style.empty()) o.look = parse_enum<design::Look>(c.style);
  if (!c.hairline.empty()) o.hairline = parse_enum<design::HairlineStyle>(c.hairline);
  if (!c.hair_color.empty()) o.hair_color = parse_enum<assess::HairColor>(c.hair_color);
  if (!c.name.empty()) o.client_name = c.name;
  if (c.fitzpatrick) o.fitzpatrick = c.fitzpatrick;
  o.head_circumference_mm = c.circumference;
  o.sagittal_arc_mm = c.sagittal_arc;
  o.coronal_arc_mm = c.coronal_arc;
  o.seed = c.seed;
  o.follicular_units = c.follicular_units;
  for (const std::string& s : c.scars) {
    // fut or fue, optionally with the width in mm: fut:7
    const std::size_t colon = s.find(':');
    const std::string kind = s.substr(0, colon);
    std::optional<double> width;
    if (colon != std::string::npos) {
      char* end = nullptr;
      const double w = std::strtod(s.c_str() + colon + 1, &end);
      if (*end != '\0' || end == s.c_str() + colon + 1 || !(w >= 0.1 && w <= 30))
        return bad_input(io, {"design new", "--scar", "fut or fue, optionally with a width from 0.1 to 30 mm (fut:7)", s});
      width = w;
    }
    if (kind != "fut" && kind != "fue")
      return bad_input(io, {"design new", "--scar", "fut or fue, optionally with a width from 0.1 to 30 mm (fut:7)", s});
    o.scars.push_back({kind == "fut" ? assess::ScarKind::FUT : assess::ScarKind::FUE, std::nullopt, width});
  }
  if (!c.patches.empty()) o.patches.clear();  // patches given here replace the intake's starting layout
  for (const std::string& s : c.patches) {
    auto p = design::parse_patch(s, "--patch");
    if (!p) {
      InputError e = p.error();
      e.file = "design new";
      return bad_input(io, e);
    }
    o.patches.push_back(*p);
  }
  if (!c.pigment_tone.empty()) o.pigment_tone = parse_enum<design::PigmentTone>(c.pigment_tone);
  if (c.face_third) o.face_third_mm = *c.face_third;
  auto d = design::make_design(o);
  if (!d) {
    InputError e = d.error();
    e.file = "design new";
    return bad_input(io, e);
  }
  d->intake_assessment = assessed;
  if (auto w = io::write_output(c.output, io::dump_document(design::design_to_json(*d)), io.out); !w)
    return bad_input(io, w.error());
  return kExitOk;
}

int run_measure(const DesignCommand& c, const Streams& io) {
  auto d = load(c.design, io);
  if (!d) return bad_input(io, d.error());
  auto a = design::build_anatomy(*d);
  if (!a) return bad_input(io, a.error());
  const std::string out = io::dump_document(design::measurement_to_json(design::measure(*d, *a)));
  if (auto w = io::write_output(c.output, out, io.out); !w) return bad_input(io, w.error());
  return kExitOk;
}

int run_validate(const DesignCommand& c, const Streams& io) {
  auto d = load(c.design, io);
  if (!d) return bad_input(io, d.error());
  const std::string name = c.design == "-" ? "<stdin>" : c.design;
  io.out << fmt::format("{}: a valid {} ({} loss regions, {} scars, {} treated zones)\n", name, design::kDesignSchema,
                        d->hair_loss.regions.size(), d->hair_loss.scars.size(), d->treated_zones.size());
  return kExitOk;
}

int run_diagram(const DesignCommand& c, const Streams& io) {
  design::DiagramOptions opt;
  opt.view = parse_enum<design::View>(c.view);
  int w = 0, h = 0;
  char x = 0;
  char extra = 0;
  if (std::sscanf(c.size.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || x != 'x' || w < 300 || h < 300 || w > 4000 ||
      h > 4000)
    return bad_input(io, {"--size", "", "WIDTHxHEIGHT in pixels, each from 300 to 4000", c.size});
  opt.width = w, opt.height = h;
  opt.threads = thread_count(0);
  auto d = load(c.design, io);
  if (!d) return bad_input(io, d.error());
  auto png = design::render_diagram(*d, opt);
  if (!png) return bad_input(io, png.error());
  if (auto wr = io::write_output(c.output, *png, io.out); !wr) return bad_input(io, wr.error());
  return kExitOk;
}

}  // namespace

void add_design_commands(CLI::App& app, DesignCommand& c) {
  c.group = app.add_subcommand("design", "Design the treatment on the client's head: hair loss, hairline, zones.");
  c.group->require_subcommand(1);

  c.new_cmd = c.group->add_subcommand("new", "Make a design (stipple.design/1) from options or an intake.");
  auto* n = c.new_cmd;
  n->add_option("--sex", c.sex, "male, female or other (default male)")->check(CLI::IsMember(names<assess::Sex>()));
  n->add_option("--age", c.age, "Age in years (default 40)")->check(CLI::Range(0, 120));
  n->add_option("--norwood", c.norwood, "Norwood-Hamilton class")->check(CLI::IsMember(names<assess::Norwood>()));
  n->add_option("--ludwig", c.ludwig, "Ludwig grade")->check(CLI::IsMember(names<assess::Ludwig>()));
  n->get_option("--norwood")->excludes(n->get_option("--ludwig"));
  n->add_option("--style", c.style, "The look: shaved, density, scar_camouflage or patch_camouflage")
      ->check(CLI::IsMember(names<design::Look>()));
  n->add_option("--hairline", c.hairline, "natural, soft, defined or mature")
      ->check(CLI::IsMember(names<design::HairlineStyle>()));
  n->add_option("--head-circumference-mm", c.circumference, "Head circumference (default by sex: 570 or 550)");
  n->add_option("--sagittal-arc-mm", c.sagittal_arc, "Tape arc from glabella over the top to the inion");
  n->add_option("--coronal-arc-mm", c.coronal_arc, "Tape arc from ear canal over the top to ear canal");
  n->add_option("--scar", c.scars,
                "A transplant scar to camouflage: fut or fue, optionally with its width in mm, e.g. fut:7 (repeatable)");
  n->add_option("--patch", c.patches,
                "An alopecia areata patch ZONE:CLOCK:DIAMETER_MM, e.g. crown:2:30: in ZONE toward CLOCK (1-12, 12 toward "
                "the face seen from above; occipital and nape seen from behind, 12 up; 0 = the zone's middle) "
                "(repeatable)");
  n->add_option("--pigment-tone", c.pigment_tone, "neutral, warm or cool (default warm for Fitzpatrick V-VI, else neutral)")
      ->check(CLI::IsMember(names<design::PigmentTone>()));
  n->add_option("--face-third-mm", c.face_third,
                "Middle third of the face, glabella to the base of the nose: the juvenile hairline is placed this far "
                "above glabella (default 60, women 52, scaled with the head)")
      ->check(CLI::Range(35.0, 90.0));
  n->add_option("--hair-color", c.hair_color, "Hair colour, for the pigment shade")
      ->check(CLI::IsMember(names<assess::HairColor>()));
  n->add_option("--fitzpatrick", c.fitzpatrick, "Skin type 1-6, for the pigment shade")->check(CLI::Range(1, 6));
  n->add_option("--name", c.name, "Client's name");
  n->add_option("--seed", c.seed, "Seed for everything random in this design (default 1)");
  n->add_option("--follicular-units", c.follicular_units,
                "Fraction 0-0.6 of body dots that head a group of 2-3, like follicular units (default 0)")
      ->check(CLI::Range(0.0, 0.6));
  n->add_option("--from-intake", c.from_intake,
                "Take sex, age, stage, goals, skin, hair and scars from an intake (options given here win)");
  n->add_option("-o,--output", c.output, "Design file, or - for stdout (default)");

  c.measure_cmd = c.group->add_subcommand("measure", "Areas of the scalp, the loss and the treatment (stipple.measure/1).");
  c.measure_cmd->add_option("DESIGN", c.design, "Design file, or - for stdin")->required();
  c.measure_cmd->add_option("-o,--output", c.output, "Output file, or - for stdout (default)");

  c.validate_cmd = c.group->add_subcommand("validate", "Check a design file; exit 2 naming the first bad field.");
  c.validate_cmd->add_option("DESIGN", c.design, "Design file, or - for stdin")->required();

  c.diagram_cmd = c.group->add_subcommand("diagram", "Draw the consultation diagram of a design as a PNG.");
  c.diagram_cmd->add_option("DESIGN", c.design, "Design file, or - for stdin")->required();
  c.diagram_cmd->add_option("--view", c.view, "top, front, left, right or back (default top)")
      ->check(CLI::IsMember(names<design::View>()));
  c.diagram_cmd->add_option("--size", c.size, "WIDTHxHEIGHT in pixels (default 900x900)");
  c.diagram_cmd->add_option("-o,--output", c.output, "PNG file, or - for stdout")->required();
}

const CLI::App* parsed_design_command(const DesignCommand& c) {
  for (const CLI::App* a : {c.new_cmd, c.measure_cmd, c.validate_cmd, c.diagram_cmd})
    if (a && a->parsed()) return a;
  return c.group && c.group->parsed() ? c.group : nullptr;
}

int run_design(const DesignCommand& c, const Streams& io) {
  if (c.new_cmd->parsed()) return run_new(c, io);
  if (c.measure_cmd->parsed()) return run_measure(c, io);
  if (c.validate_cmd->parsed()) return run_validate(c, io);
  if (c.diagram_cmd->parsed()) return run_diagram(c, io);
  return kExitBadInput;
}

}  // namespace stipple::cli
