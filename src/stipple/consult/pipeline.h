// stipple/consult/pipeline.h: one client's whole consultation, step by step.
//
// The order of the engine's steps and the arguments of each, shared by
// `stipple demo` and the studio's consultation jobs: assessment (JSON and plain
// words) -> design (`design new --from-intake`, its measurements and diagrams)
// -> dots (`pattern`) -> pictures (`simulate`: before, healed and years later,
// from above and three-quarter; the progression and timeline sheets) -> plan,
// quote, calendar (.ics) and the PDF report (`plan`). Each step is a command
// line run by the caller's StepRunner (in-process, the CLI's own `run`), so a
// consultation produces exactly what the separate commands would.
//
// The booking gate holds (assess/gate.h): a client the assessment refers,
// declines or defers with no end in sight gets the assessment only, unless an
// override reason is given; then the plan is made with `plan --override REASON`,
// which prints the reason in the plan, the calendar and the report.
//
// No SMP rule lives here: the gate is the engine's booking_gate(), every file
// is the engine's own output.
#pragma once

#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/assess/gate.h"
#include "stipple/core/error.h"
#include "stipple/io/json_document.h"

namespace stipple::consult {

// What one command line did: its exit code (0 done, 2 bad input, 1 internal)
// and what it printed on stderr (one line on failure).
struct StepOutcome {
  int exit_code = 0;
  std::string err;
};

// Runs one command line ({"assess", "in.json", "-o", "out.json"}, without the
// program's name). Must be safe to call from any thread.
using StepRunner = std::function<StepOutcome(const std::vector<std::string>& args)>;

// The practitioner's choices for the design over what the intake gives
// (`design new --from-intake` options), each a word of the engine's vocabulary:
// the Norwood-Hamilton class or the Ludwig grade (one of them), the look
// (shaved, density, scar_camouflage, patch_camouflage), the hairline's style
// (natural, soft, defined, mature), the pigment's tone (neutral, warm, cool)
// and the hair colour the shade is matched to. None set: the intake's.
struct DesignChoices {
  std::optional<std::string> norwood, ludwig, look, hairline, pigment_tone, hair_color;
  bool empty() const { return !norwood && !ludwig && !look && !hairline && !pigment_tone && !hair_color; }
};

// Reads {"norwood": "IV", "look": "density", ...}: every key of DesignChoices,
// each a word of the engine's vocabulary or null (the intake's). Every error
// (an unknown key, a word not in the vocabulary, both a Norwood class and a
// Ludwig grade) is returned, at "PARENT.KEY", in the CLI's words.
std::expected<DesignChoices, std::vector<InputError>> read_design_choices(const io::Json& object, std::string_view parent);
// The choices set, as read_design_choices reads them ({} for none).
io::Json design_choices_json(const DesignChoices& choices);
// The words each choice takes, for the OpenAPI document and the UI: {"norwood": [...], ...}.
io::Json design_choice_words();

struct PipelineOptions {
  std::string folder;   // an existing folder the files are written into
  std::string name;     // their stem: NAME.assessment.json, NAME.plan.json, ...
  std::string intake;   // the intake file (stipple.intake/1), already checked with read_intake
  std::string start;    // the first day for sessions, YYYY-MM-DD
  // The clinic's own files for `plan` (stipple.clinic/1, stipple.pricing/1,
  // stipple.care/1); "" for each: the bundled default.
  std::string clinic, pricing, care;
  DesignChoices design;
  // Plan although the assessment blocks booking, for this reason (non-blank).
  // Ignored when the gate does not block.
  std::optional<std::string> override_reason;
  int threads = 0;               // per step; 0: every core
  std::string paper = "A4";      // the report's paper: A4 or Letter
  int picture_px = 1200;         // the square before/healed/years-later pictures, 64..8192
  int sheet_px = 600;            // each tile of the progression and timeline sheets, 64..8192
  bool diagrams = true;          // the design's five diagrams (top, front, left, right, back)
  std::vector<int> years_later;  // also a picture from above N years after healing, for each N (1..30)
};

// One file the pipeline wrote.
struct PipelineFile {
  std::string key;   // the file name after "NAME.": "assessment.json", "top.healed.png", "ics", "report.pdf"
  std::string path;  // folder/NAME.key
};

struct PipelineResult {
  assess::BookingGate gate;
  bool planned = false;     // false: stopped after the assessment (the gate blocks, no override)
  bool overridden = false;  // planned although the gate blocks (override_reason used)
  io::Json assessment;      // assessment_summary() of the run's assessment
  std::vector<PipelineFile> files;  // in the order written
  const PipelineFile* find(std::string_view key) const;
};

// Where the pipeline is: after each step, the fraction done (0..1, rising) and
// the step's name ("assessment", "design", "dots", "pictures", "plan"). Return
// false to stop the run between steps (the caller is shutting down).
using Progress = std::function<bool(double fraction, std::string_view step)>;

// Called once the assessment is written, before any later step: its summary
// (assessment_summary()) and whether a plan follows.
using Assessed = std::function<void(const io::Json& summary, bool planned, bool overridden)>;

struct PipelineError {
  enum class Kind { bad_input, step_failed, stopped } kind = Kind::step_failed;
  std::string message;  // one line: the intake's error, or the failing step's stderr
};

// The consultation's assessment for the studio and the demo's summary:
// {candidacy, candidacy_text, blocked, blocking_rules[], summary,
//  first_choice?, holds[]: {rule, until, text}}; read from the assessment.json
// the assess step wrote and the gate.
io::Json assessment_summary(const io::Json& assessment_json, const assess::BookingGate& gate);

// Runs every step. On failure (or a stop) the files this call wrote are
// removed again, so the folder holds all of a run or none of it (the intake
// file itself is the caller's).
std::expected<PipelineResult, PipelineError> run_pipeline(const PipelineOptions& options, const StepRunner& step,
                                                          const Progress& progress = {}, const Assessed& assessed = {});

}  // namespace stipple::consult
