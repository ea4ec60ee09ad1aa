// stipple/assess/assessment_output.h: the assessment as JSON
// (`stipple.assessment/1`, keys in a fixed order) and as a plain-words
// consultation summary written for the client.
#pragma once

#include <string>

#include "stipple/assess/assess.h"
#include "stipple/io/json_document.h"

namespace stipple::assess {

inline constexpr std::string_view kAssessmentSchema = "stipple.assessment/1";

io::Json assessment_to_json(const Assessment& a, const Intake& intake, const RuleBook& book);

// Wrapped at 78 columns, sections in the order a practitioner talks them through.
std::string assessment_to_text(const Assessment& a, const Intake& intake, const RuleBook& book);

}  // namespace stipple::assess
