// stipple/plan/report.h: the consultation report (`stipple plan --pdf`).
//
// A PDF the client takes home and the clinic files: the client's summary, the
// assessment in plain words with its reasons, the design diagram, pictures of
// the result (before, healed, the session progression), the sessions with
// their dates and lengths, the quote beside the brief's market ranges, the
// pre-care and aftercare, and the touch-up forecast. Typeset with Pango on
// Cairo's PDF surface, on A4 or US Letter, every page numbered "page N of M".
// docs/plan.md describes each section.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stipple/assess/assess.h"
#include "stipple/core/error.h"
#include "stipple/design/design.h"
#include "stipple/plan/plan.h"

namespace stipple::plan {

enum class Paper { a4, letter };

// A picture for the report: PNG bytes and what it shows. When `jpeg` holds
// the same picture as a JPEG, the PDF embeds that instead (photographs are a
// tenth of the size; diagrams stay lossless).
struct ReportPicture {
  std::string png, caption;
  std::string jpeg;
};

struct ReportInputs {
  const design::Design* design = nullptr;
  const Plan* plan = nullptr;
  const Clinic* clinic = nullptr;
  // The assessment of the client's intake, when there is one.
  const assess::Assessment* assessment = nullptr;
  const assess::RuleBook* rules = nullptr;
  std::optional<ReportPicture> diagram;   // the design diagram
  std::vector<ReportPicture> pictures;    // before and after, side by side in pairs
  std::optional<ReportPicture> progression;  // the progression sheet, full width
  // What the pictures show of the match with the client's own hair (or of a
  // scar's contrast), in the client's words, printed under them.
  std::vector<std::string> picture_notes;
  Day issued{};                           // the report's date
  // The client's budget and its currency (intake goals.budget, goals.currency),
  // compared with the quote; a currency other than the quote's is named, not converted.
  std::optional<double> budget;
  std::optional<std::string> budget_currency;
};

// The report as PDF bytes. Errors (an unreadable picture) name `file`.
Result<std::string> report_pdf(const ReportInputs& in, Paper paper, const std::string& file);

}  // namespace stipple::plan

namespace stipple {
template <>
inline constexpr auto enum_names<plan::Paper> = std::array<std::string_view, 2>{"A4", "Letter"};
}
