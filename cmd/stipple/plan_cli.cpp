#include "plan_cli.h"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <utility>
#include <vector>

#include "pattern_cli.h"
#include "stipple/assess/gate.h"
#include "stipple/assess/intake.h"
#include "stipple/design/diagram.h"
#include "stipple/io/files.h"
#include "stipple/pattern/dots_io.h"
#include "stipple/photo/codec.h"
#include "stipple/plan/ics.h"
#include "stipple/plan/plan.h"
#include "stipple/plan/report.h"
#include "stipple/simulate/render.h"

namespace stipple::cli {

namespace {

// A clinic data file given on the command line, or the bundled default.
Result<std::string> data_file(const std::string& path, std::string_view fallback, const Streams& io) {
  if (path.empty()) return std::string(fallback);
  return io::read_input(path, io::JsonLimits{}.max_bytes, io.in);
}

// Writes every (path, content) in order; when one fails, the files written
// before it are removed again, so the command leaves all or nothing.
Result<void> write_all(const std::vector<std::pair<std::string, std::string>>& files, const Streams& io) {
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (auto w = io::write_output(files[i].first, files[i].second, io.out); !w) {
      for (std::size_t k = 0; k < i; ++k)
        if (files[k].first != "-") std::remove(files[k].first.c_str());
      return w;
    }
  }
  return {};
}

// A photoreal picture for the report: lossless for reading back, JPEG to embed.
plan::ReportPicture photo(const cv::Mat& image, std::string caption) {
  return {photo::encode_png(image), std::move(caption), photo::encode_jpeg(image, 90)};
}

// What the healed pictures show of the match with the client's shaved hair
// (docs/simulate.md, "The match") and of a scar's contrast, in the client's
// words: no figures, and grey or white hair told plainly that pigment heals
// grey, never silver (SMP.md section 11).
std::vector<std::string> picture_notes(const simulate::RenderMeta& today, const simulate::RenderMeta& healed) {
  std::vector<std::string> notes;
  if (const auto& m = healed.match) {
    if (!m->possible)
      notes.push_back("Your hair is grey or white. Its stubble is lighter than any pigment heals (the dots heal grey, never silver), "
                      "so the treated area will look like a soft shadow, a little darker than your shaved hair. Keeping the head "
                      "shaved clean makes the two read alike.");
    else if (m->delta_e00 <= 3)
      notes.push_back("Healed, the treated area has the shade of your own shaved hair in these pictures.");
    else
      notes.push_back(fmt::format("Healed, the treated area is a little {} than your own shaved hair in these pictures; the shade "
                                  "can be adjusted at your sessions.",
                                  m->treated_lab[0] > m->hair_lab[0] ? "lighter" : "darker"));
  }
  if (today.scar && healed.scar && healed.scar->delta_e00 < today.scar->delta_e00)
    notes.push_back("Healed, the scar shows less against the hair around it.");
  return notes;
}

// The consultation report: the assessment of the intake (when given), the
// design diagram, pictures before and after from the top and three-quarter
// views, the progression sheet, and the plan.
Result<std::string> report(const PlanCommand& c, const LoadedDesign& loaded, const std::vector<pattern::Dot>& dots,
                           int sessions, const plan::Plan& p, const plan::Clinic& clinic,
                           const assess::Assessment* assessment, const assess::Intake* intake) {
  plan::ReportInputs in;
  in.design = &loaded.design;
  in.plan = &p;
  in.clinic = &clinic;
  in.issued = p.start;
  in.rules = &assess::RuleBook::builtin();
  in.assessment = assessment;
  if (intake) {
    in.budget = intake->goals.budget;
    in.budget_currency = intake->goals.currency;
  }
  const int threads = thread_count(0);
  design::DiagramOptions dopt;
  dopt.width = dopt.height = 900;
  dopt.threads = threads;
  dopt.for_client = true;
  // Scar camouflage is seen from behind, where transplant and most surgical scars are.
  const bool scars = loaded.design.look == design::Look::scar_camouflage;
  if (scars) dopt.view = design::View::back;
  auto diagram = design::render_diagram(loaded.design, dopt);
  if (!diagram) return std::unexpected(diagram.error());
  in.diagram = plan::ReportPicture{std::move(*diagram),
                                   scars ? "The treatment area seen from behind: the scar, the blend into the hair around it, and the "
                                           "density the dots build up to."
                                         : loaded.design.hairline.designed()
                                             ? "The treatment area seen from above: what will be pigmented, the hairline and the density "
                                               "the dots build up to."
                                             : "The treatment area seen from above: what will be pigmented (your own hairline is kept) and "
                                               "the density the dots build up to.",
                                   {}};
  const simulate::Scene scene(loaded.design, loaded.anatomy, threads);
  // Views that show the treatment: scars are camouflaged at the back of the head (donor area) more than anywhere.
  const std::array<simulate::View, 2> views = scars ? std::array{simulate::View::back, simulate::View::left}
                                                    : std::array{simulate::View::top, simulate::View::three_quarter};
  const auto view_words = [](simulate::View v) {
    switch (v) {
      case simulate::View::top: return "from above";
      case simulate::View::three_quarter: return "from above, at the front right";  // the camera's eye is at +x, +y, +z: above, the client's right, in front
      case simulate::View::back: return "from behind";
      case simulate::View::left: return "from the left";
      case simulate::View::right: return "from the right";
      case simulate::View::front: return "from the front";
    }
    return "";
  };
  std::array<simulate::RenderMeta, 2> first;  // the first view's metas, today and healed
  for (const simulate::View v : views) {
    for (const simulate::Stage::Kind k : {simulate::Stage::Kind::before, simulate::Stage::Kind::healed}) {
      simulate::RenderOptions o;
      o.view = v;
      o.stage = {k, 0};
      o.width = o.height = 720;
      o.threads = threads;
      const std::string view = view_words(v);
      const simulate::Rendered r = simulate::render_head(scene, dots, sessions, o);
      if (v == views[0]) first[k == simulate::Stage::Kind::healed ? 1 : 0] = r.meta;
      in.pictures.push_back(photo(r.image, fmt::format("{}, {}", k == simulate::Stage::Kind::before ? "Today" : "Healed", view)));
    }
  }
  // The density look changes only the scalp showing between the hairs, which
  // the whole head at this size hardly shows: a close-up of the treated area
  // from above, 60 mm across, shows it.
  if (loaded.design.look == design::Look::density)
    for (const simulate::Stage::Kind k : {simulate::Stage::Kind::before, simulate::Stage::Kind::healed}) {
      simulate::RenderOptions o;
      o.view = simulate::View::top;
      o.stage = {k, 0};
      o.width = o.height = 720;
      o.threads = threads;
      o.close_up_mm = 60;
      const simulate::Rendered r = simulate::render_head(scene, dots, sessions, o);
      in.pictures.push_back(photo(r.image, fmt::format("{}, close up from above: 6 cm across the thinning",
                                                       k == simulate::Stage::Kind::before ? "Today" : "Healed")));
    }
  in.picture_notes = picture_notes(first[0], first[1]);
  simulate::RenderOptions so;
  so.view = views[0];
  so.width = so.height = 360;
  so.threads = threads;
  in.progression = photo(simulate::render_sheet(scene, dots, sessions, simulate::Sheet::progression, so).image,
                         fmt::format("Session by session, {}: today, after each session, and healed.", view_words(views[0])));
  return plan::report_pdf(in, c.paper == "Letter" ? plan::Paper::letter : plan::Paper::a4, c.pdf);
}

}  // namespace

void add_plan_command(CLI::App& app, PlanCommand& c) {
  c.cmd = app.add_subcommand("plan", "Sessions, dates, pre-care and aftercare, the touch-up forecast and the quote.");
  c.cmd->add_option("DESIGN", c.design, "Design file (stipple.design/1), or - for stdin")->required();
  c.cmd->add_option("--dots", c.dots, "Dot file of `stipple pattern`")->required();
  c.cmd->add_option("--start", c.start, "Earliest day for the first session, YYYY-MM-DD")->required();
  c.cmd->add_option("--intake", c.intake, "The client's intake (stipple.intake/1): skin type, sun exposure, patch test");
  c.cmd->add_option("--pricing", c.pricing, "Price list (stipple.pricing/1; default: the bundled data/pricing/default.json)");
  c.cmd->add_option("--clinic", c.clinic, "Clinic file (stipple.clinic/1; default: the bundled data/clinic/default.json)");
  c.cmd->add_option("--care", c.care, "Care texts (stipple.care/1; default: the bundled data/plan/care.json)");
  c.cmd->add_option("--time", c.time, "The client's preferred start time, HH:MM (default: the clinic's usual start); a visit "
                                       "that would end after closing starts earlier");
  c.cmd->add_option("-o,--output", c.output, "Plan file (stipple.plan/1), or - for stdout (default)");
  c.cmd->add_option("--ics", c.ics, "Also write the client's calendar (iCalendar, RFC 5545) here");
  c.cmd->add_option("--issued", c.issued,
                    "Time of issue for the calendar's DTSTAMP and SEQUENCE, YYYY-MM-DDTHH:MM:SSZ (UTC) or YYYY-MM-DD "
                    "(default: now); a plan issued later updates the events of an earlier one");
  c.cmd->add_option("--pdf", c.pdf, "Also write the consultation report (PDF) here");
  c.cmd->add_option("--paper", c.paper, "The report's paper: A4 (default) or Letter")
      ->check(CLI::IsMember({"A4", "Letter"}));
  c.cmd->add_option("--override", c.override_reason,
                    "Plan although the assessment blocks booking, for this REASON (printed in the plan, calendar and report)");
}

int run_plan(const PlanCommand& c, const Streams& io) {
  const auto start = plan::parse_date(c.start);
  if (!start) return bad_input(io, {"--start", "start", "a calendar date YYYY-MM-DD between 2000 and 2199", c.start});
  std::optional<int> time;
  if (!c.time.empty()) {
    time = plan::parse_clock(c.time);
    if (!time || *time >= 24 * 60) return bad_input(io, {"--time", "time", "a time of day HH:MM, 00:00 to 23:59", c.time});
  }
  std::chrono::sys_seconds issued = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (!c.issued.empty()) {
    const auto t = plan::parse_issued(c.issued);
    if (!t) return bad_input(io, {"--issued", "issued", "a time of issue YYYY-MM-DDTHH:MM:SSZ (UTC) or YYYY-MM-DD, years 2000-2199", c.issued});
    issued = *t;
  }
  const std::string clinic_name = c.clinic.empty() ? "data/clinic/default.json" : c.clinic;
  const std::string pricing_name = c.pricing.empty() ? "data/pricing/default.json" : c.pricing;
  const std::string care_name = c.care.empty() ? "data/plan/care.json" : c.care;
  auto clinic_text = data_file(c.clinic, plan::default_clinic_json(), io);
  if (!clinic_text) return bad_input(io, clinic_text.error());
  auto clinic = plan::parse_clinic(*clinic_text, clinic_name, io.read);
  if (!clinic) return bad_input(io, clinic.error());
  auto pricing_text = data_file(c.pricing, plan::default_pricing_json(), io);
  if (!pricing_text) return bad_input(io, pricing_text.error());
  auto prices = plan::parse_pricing(*pricing_text, pricing_name, io.read);
  if (!prices) return bad_input(io, prices.error());
  auto care_text = data_file(c.care, plan::default_care_json(), io);
  if (!care_text) return bad_input(io, care_text.error());
  auto care = plan::parse_care(*care_text, care_name, io.read);
  if (!care) return bad_input(io, care.error());

  auto loaded = load_design(c.design, std::nullopt, io);
  if (!loaded) return bad_input(io, loaded.error());
  auto bytes = io::read_input(c.dots, std::size_t{1} << 30, io.in);
  if (!bytes) return bad_input(io, bytes.error());
  auto dots = pattern::read_dots(*bytes, c.dots);
  if (!dots) return bad_input(io, dots.error());
  // The dots must be this design's (stipple pattern DESIGN): its sessions, and
  // where it places dots; another client's dots would plan the wrong work.
  if (const pattern::DotsFit fit = pattern::dots_fit(loaded->design, loaded->anatomy, dots->dots);
      dots->sessions > loaded->design.sessions || fit.on_design < pattern::kMinDotsFit || fit.design_covered < pattern::kMinDotsFit)
    return bad_input(io, {c.dots, "dots", fmt::format("the dots of {} (stipple pattern {})", c.design, c.design),
                          fmt::format("dots of another design ({} sessions; {:.0f}% of the dots where this design places dots, "
                                      "{:.0f}% of its area covered)",
                                      dots->sessions, 100 * fit.on_design, 100 * fit.design_covered)});

  plan::PlanInputs in;
  in.start = *start;
  std::optional<assess::ParsedIntake> parsed;
  std::optional<assess::Assessment> assessment;
  std::optional<assess::BookingGate> gate;
  const bool overridden = c.cmd->count("--override") > 0;
  if (overridden && c.override_reason.find_first_not_of(" \t") == std::string::npos)
    return bad_input(io, {"--override", "", "a reason in words (why plan against the assessment)", "nothing"});
  if (overridden && c.intake.empty())
    return bad_input(io, {"--override", "", "--intake as well (there is no assessment to override)", "no --intake"});
  in.fitzpatrick = loaded->design.pigment.fitzpatrick.value_or(3);
  if (!c.intake.empty()) {
    auto intake = read_client_intake(c.intake, *loaded, c.design, io);
    if (!intake) return bad_input(io, intake.error());
    parsed = std::move(*intake);
    const assess::Intake& k = parsed->intake;
    if (k.client.fitzpatrick) in.fitzpatrick = *k.client.fitzpatrick;
    if (k.lifestyle.sun_exposure) in.sun = *enum_from_string<simulate::Sun>(to_string(*k.lifestyle.sun_exposure));
    // CI-PATCH (docs/assess.md): no passed patch test yet means one comes first.
    in.patch_test = k.scalp.patch_test != assess::PatchTest::passed;
    // The booking gate (assess/gate.h): nothing booked or priced against the assessment.
    assessment = assess::assess(k, assess::RuleBook::builtin());
    gate = assess::booking_gate(*assessment, *start);
    if (gate->blocked && !overridden) {
      io.err << "stipple: " << (c.intake == "-" ? "<stdin>" : c.intake) << ": assessment: " << gate->summary()
             << "; use --override \"REASON\" to plan anyway\n";
      return kExitBadInput;
    }
    if (gate->earliest && *gate->earliest > in.start) in.start = *gate->earliest;  // a hold moves session 1
    in.conditions = plan::care_conditions(k, loaded->design);
  } else {
    // A design made from an intake keeps its assessment's gate: without the
    // intake (and its override), a blocked client is not booked either.
    if (const auto& ia = loaded->design.intake_assessment; ia && !ia->blocking_rules.empty()) {
      std::string ids;
      for (assess::RuleId id : ia->blocking_rules) ids += (ids.empty() ? "" : ", ") + std::string(to_string(id));
      return bad_input(io, {c.design, "intake_assessment",
                            "a design whose intake's assessment allows booking, or --intake INTAKE with --override \"REASON\"",
                            fmt::format("{} ({})", to_string(ia->candidacy), ids)});
    }
    in.conditions = plan::care_conditions(assess::Intake{}, loaded->design);
  }
  in.start_min = time;
  auto p = plan::make_plan(loaded->design, loaded->anatomy, dots->dots, *clinic, *prices, *care, in, clinic_name);
  if (!p) return bad_input(io, p.error());
  if (gate) {
    for (const assess::BookingHold& h : gate->holds)
      if (h.until > *start) p->notes.push_back(h.text);
    if (gate->blocked) {  // the reason as written, without the spaces around it
      const std::size_t first = c.override_reason.find_first_not_of(" \t\r\n"), last = c.override_reason.find_last_not_of(" \t\r\n");
      p->override_reason = c.override_reason.substr(first, last - first + 1);
    }
    else if (overridden) io.err << "stipple: warning: --override ignored: the assessment does not block booking\n";
  }
  std::vector<std::pair<std::string, std::string>> files;
  if (!c.ics.empty())
    files.emplace_back(c.ics, plan::plan_to_ics(*p, *clinic, {loaded->design.client_name.value_or(""), loaded->design.seed, issued}));
  if (!c.pdf.empty()) {
    auto pdf = report(c, *loaded, dots->dots, dots->sessions, *p, *clinic, assessment ? &*assessment : nullptr,
                      parsed ? &parsed->intake : nullptr);
    if (!pdf) return bad_input(io, pdf.error());
    files.emplace_back(c.pdf, std::move(*pdf));
  }
  io::Json plan_json = plan::plan_to_json(*p, *clinic);
  plan_json["assessment"] = gate ? assess::booking_gate_json(*assessment, *gate, p->override_reason)
                                 : assess::no_assessment_json();
  if (!gate && loaded->design.intake_assessment)  // the design's intake was assessed: what it said
    plan_json["assessment"]["design_intake_candidacy"] = to_string(loaded->design.intake_assessment->candidacy);
  files.emplace_back(c.output, io::dump_document(plan_json));
  if (auto w = write_all(files, io); !w) return bad_input(io, w.error());
  return kExitOk;
}

}  // namespace stipple::cli
