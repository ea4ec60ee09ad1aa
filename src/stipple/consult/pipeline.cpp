#include "stipple/consult/pipeline.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "stipple/assess/intake.h"
#include "stipple/design/design.h"
#include "stipple/io/files.h"
#include "stipple/plan/plan.h"

namespace stipple::consult {

namespace fs = std::filesystem;
using io::Json;

namespace {

// Each choice: its key, where DesignChoices keeps it, and the engine's words for it.
struct ChoiceField {
  std::string_view key;
  std::optional<std::string> DesignChoices::*member;
  std::vector<std::string_view> words;
};

template <class E>
std::vector<std::string_view> words_of() {
  return {enum_names<E>.begin(), enum_names<E>.end()};
}

const std::vector<ChoiceField>& choice_fields() {
  static const std::vector<ChoiceField> fields = {
      {"norwood", &DesignChoices::norwood, words_of<assess::Norwood>()},
      {"ludwig", &DesignChoices::ludwig, words_of<assess::Ludwig>()},
      {"look", &DesignChoices::look, words_of<design::Look>()},
      {"hairline", &DesignChoices::hairline, words_of<design::HairlineStyle>()},
      {"pigment_tone", &DesignChoices::pigment_tone, words_of<design::PigmentTone>()},
      {"hair_color", &DesignChoices::hair_color, words_of<assess::HairColor>()},
  };
  return fields;
}

std::string words_text(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += fmt::format("\"{}\"", words[i]);
  }
  return out;
}

}  // namespace

std::expected<DesignChoices, std::vector<InputError>> read_design_choices(const Json& object, std::string_view parent) {
  std::vector<InputError> errors;
  DesignChoices out;
  const std::string at(parent);
  if (!object.is_object()) {
    errors.push_back({"", at, "an object of design choices (norwood, ludwig, look, hairline, pigment_tone, hair_color)",
                      io::describe_json(object)});
    return std::unexpected(std::move(errors));
  }
  for (const auto& [key, value] : object.items()) {
    const auto field = std::find_if(choice_fields().begin(), choice_fields().end(), [&](const ChoiceField& f) { return f.key == key; });
    if (field == choice_fields().end()) {
      errors.push_back({"", join_path(at, key), "one of norwood, ludwig, look, hairline, pigment_tone, hair_color", "an unknown choice"});
      continue;
    }
    if (value.is_null()) continue;
    const std::string word = value.is_string() ? value.get<std::string>() : "";
    if (std::find(field->words.begin(), field->words.end(), word) == field->words.end()) {
      errors.push_back({"", join_path(at, key), words_text(field->words) + ", or null for the intake's", io::describe_json(value)});
      continue;
    }
    out.*(field->member) = word;
  }
  if (out.norwood && out.ludwig)
    errors.push_back({"", join_path(at, "ludwig"), "a Norwood class or a Ludwig grade, not both", "both"});
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return out;
}

Json design_choices_json(const DesignChoices& choices) {
  Json out = Json::object();
  for (const ChoiceField& f : choice_fields())
    if (const auto& v = choices.*(f.member)) out[std::string(f.key)] = *v;
  return out;
}

Json design_choice_words() {
  Json out = Json::object();
  for (const ChoiceField& f : choice_fields()) {
    Json words = Json::array();
    for (std::string_view w : f.words) words.push_back(std::string(w));
    out[std::string(f.key)] = words;
  }
  return out;
}

const PipelineFile* PipelineResult::find(std::string_view key) const {
  for (const PipelineFile& f : files)
    if (f.key == key) return &f;
  return nullptr;
}

Json assessment_summary(const Json& a, const assess::BookingGate& gate) {
  Json out = Json::object();
  out["candidacy"] = a.value("candidacy", "");
  out["candidacy_text"] = a.value("candidacy_text", "");
  out["blocked"] = gate.blocked;
  Json rules = Json::array();
  for (assess::RuleId id : gate.blocking) rules.push_back(std::string(to_string(id)));
  out["blocking_rules"] = rules;
  out["summary"] = gate.summary();
  if (a.contains("recommendations") && a["recommendations"].is_array() && !a["recommendations"].empty())
    out["first_choice"] = a["recommendations"][0].value("title", "");
  Json holds = Json::array();
  for (const assess::BookingHold& h : gate.holds)
    holds.push_back({{"rule", std::string(to_string(h.rule))}, {"until", assess::format_intake_date(h.until)}, {"text", h.text}});
  out["holds"] = holds;
  return out;
}

std::expected<PipelineResult, PipelineError> run_pipeline(const PipelineOptions& o, const StepRunner& step,
                                                          const Progress& progress, const Assessed& assessed) {
  const auto fail = [](PipelineError::Kind kind, std::string message) {
    return std::unexpected(PipelineError{kind, std::move(message)});
  };
  const auto start = plan::parse_date(o.start);
  if (!start) return fail(PipelineError::Kind::bad_input, fmt::format("start: expected a date YYYY-MM-DD, found '{}'", o.start));
  if (o.override_reason && o.override_reason->find_first_not_of(" \t\r\n") == std::string::npos)
    return fail(PipelineError::Kind::bad_input, "override_reason: expected a reason in words, found nothing");
  std::istringstream no_stdin;  // the intake is a file, never "-"
  auto text = io::read_input(o.intake, io::JsonLimits{}.max_bytes, no_stdin);
  if (!text) return fail(PipelineError::Kind::bad_input, text.error().message());
  auto parsed = assess::read_intake(*text, o.intake, io::ReadOptions{true, nullptr});
  if (!parsed) return fail(PipelineError::Kind::bad_input, parsed.error().message());

  PipelineResult result;
  // The booking gate `plan` applies (assess/gate.h): a blocked client stops after the assessment.
  result.gate = assess::booking_gate(assess::assess(parsed->intake, assess::RuleBook::builtin()), start);
  result.planned = !result.gate.blocked || o.override_reason.has_value();
  result.overridden = result.gate.blocked && result.planned;

  const fs::path dir(o.folder);
  const auto at = [&](const std::string& key) { return (dir / (o.name + "." + key)).string(); };
  const std::string threads = std::to_string(o.threads);
  const std::string picture = fmt::format("{}x{}", o.picture_px, o.picture_px);
  const std::string sheet = fmt::format("{}x{}", o.sheet_px, o.sheet_px);
  constexpr std::array<const char*, 5> kDiagramViews = {"top", "front", "left", "right", "back"};
  constexpr std::array<const char*, 2> kPictureViews = {"top", "three_quarter"};
  // Every command line, for the fraction done.
  const std::size_t commands =
      2 + (result.planned ? 2 + (o.diagrams ? kDiagramViews.size() : 0) + 1 + 2 * kPictureViews.size() + o.years_later.size() + 2 + 1
                          : 0);
  std::size_t done = 0;

  const auto undo = [&] {
    std::error_code ec;
    for (const PipelineFile& f : result.files) fs::remove(f.path, ec);
    result.files.clear();
  };
  // Runs one command; records the files it wrote under their keys.
  const auto run = [&](std::string_view stage, std::vector<std::string> args,
                       std::vector<std::string> keys) -> std::optional<PipelineError> {
    const StepOutcome out = step(args);
    if (out.exit_code != 0) {
      std::string line = out.err;
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      if (const auto nl = line.rfind('\n'); nl != std::string::npos) line = line.substr(nl + 1);  // the error, after any warnings
      undo();
      return PipelineError{PipelineError::Kind::step_failed,
                           line.empty() ? fmt::format("{} failed with exit code {}", args.front(), out.exit_code) : line};
    }
    for (std::string& k : keys) result.files.push_back({k, at(k)});
    ++done;
    if (progress && !progress(static_cast<double>(done) / static_cast<double>(commands), stage)) {
      undo();
      return PipelineError{PipelineError::Kind::stopped, "stopped before the consultation was finished"};
    }
    return std::nullopt;
  };
#define STIPPLE_STEP(stage, args, keys) \
  if (auto e = run(stage, args, keys)) return std::unexpected(std::move(*e))

  // Assessment: for the practitioner (JSON) and for the client (plain words).
  STIPPLE_STEP("assessment", (std::vector<std::string>{"assess", o.intake, "-o", at("assessment.json")}), {"assessment.json"});
  STIPPLE_STEP("assessment", (std::vector<std::string>{"assess", o.intake, "--format", "text", "-o", at("summary.txt")}),
               {"summary.txt"});
  {
    std::istringstream none;
    auto a = io::read_input(at("assessment.json"), io::JsonLimits{}.max_bytes, none);
    auto doc = a ? io::parse_json_document(*a, at("assessment.json")) : std::unexpected(a.error());
    if (!doc) {
      undo();
      return fail(PipelineError::Kind::step_failed, doc.error().message());
    }
    result.assessment = assessment_summary(*doc, result.gate);
    if (assessed) assessed(result.assessment, result.planned, result.overridden);
  }
  if (!result.planned) return result;  // no design, dots or plan for a client the assessment blocks

  // Design, its measurements and diagrams.
  const std::string design = at("design.json"), dots = at("dots.csv");
  std::vector<std::string> design_args{"design", "new", "--from-intake", o.intake, "-o", design};
  for (const auto& [flag, word] : {std::pair{"--norwood", &o.design.norwood}, {"--ludwig", &o.design.ludwig}, {"--style", &o.design.look},
                                   {"--hairline", &o.design.hairline}, {"--pigment-tone", &o.design.pigment_tone},
                                   {"--hair-color", &o.design.hair_color}})
    if (*word) design_args.insert(design_args.end(), {flag, **word});
  STIPPLE_STEP("design", design_args, {"design.json"});
  STIPPLE_STEP("design", (std::vector<std::string>{"design", "measure", design, "-o", at("measure.json")}), {"measure.json"});
  if (o.diagrams)
    for (const char* view : kDiagramViews) {
      const std::string key = fmt::format("{}.png", view);
      STIPPLE_STEP("design", (std::vector<std::string>{"design", "diagram", design, "--view", view, "-o", at(key)}), {key});
    }
  // The dots.
  STIPPLE_STEP("dots", (std::vector<std::string>{"pattern", design, "-o", dots, "--stats", at("pattern-stats.json"), "--threads", threads}),
               (std::vector<std::string>{"dots.csv", "pattern-stats.json"}));
  // Pictures: before and healed from above and three-quarter, years later from above, the progression and the fading.
  const auto render = [&](const std::string& view, const std::string& stage) -> std::optional<PipelineError> {
    const std::string png = fmt::format("{}.{}.png", view, stage), meta = fmt::format("{}.{}.meta.json", view, stage);
    return run("pictures",
               {"simulate", design, "--dots", dots, "--view", view, "--stage", stage, "--size", picture, "--threads", threads, "-o",
                at(png), "--meta", at(meta)},
               {png, meta});
  };
  for (const char* view : kPictureViews)
    for (const char* stage : {"before", "healed"})
      if (auto e = render(view, stage)) return std::unexpected(std::move(*e));
  for (int years : o.years_later)
    if (auto e = render("top", fmt::format("years-{}", years))) return std::unexpected(std::move(*e));
  STIPPLE_STEP("pictures",
               (std::vector<std::string>{"simulate", design, "--dots", dots, "--view", "three_quarter", "--sheet", "progression",
                                         "--size", sheet, "--threads", threads, "-o", at("progression.png")}),
               {"progression.png"});
  STIPPLE_STEP("pictures",
               (std::vector<std::string>{"simulate", design, "--dots", dots, "--view", "top", "--sheet", "timeline", "--size", sheet,
                                         "--threads", threads, "-o", at("timeline.png")}),
               {"timeline.png"});
  // The plan, with its quote; the client's calendar and the consultation report.
  std::vector<std::string> plan_args{"plan",   design,         "--dots", dots,     "--start", o.start,       "--intake",
                                     o.intake, "-o",           at("plan.json"),    "--ics",   at("ics"),     "--pdf",
                                     at("report.pdf"), "--paper", o.paper};
  for (const auto& [flag, file] : {std::pair{"--clinic", &o.clinic}, {"--pricing", &o.pricing}, {"--care", &o.care}})
    if (!file->empty()) plan_args.insert(plan_args.end(), {flag, *file});
  if (result.overridden) {
    plan_args.push_back("--override");
    plan_args.push_back(*o.override_reason);
  }
  STIPPLE_STEP("plan", plan_args, (std::vector<std::string>{"plan.json", "ics", "report.pdf"}));
#undef STIPPLE_STEP
  return result;
}

}  // namespace stipple::consult
