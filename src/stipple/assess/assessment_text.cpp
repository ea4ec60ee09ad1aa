#include <sstream>

#include "stipple/assess/assessment_output.h"
#include <fmt/format.h>

namespace stipple::assess {

namespace {

constexpr std::size_t kWidth = 78;

// Appends `text` word-wrapped: the first line starts with `first`, the rest are
// indented to the same width.
void wrap(std::string& out, std::string_view text, std::string_view first) {
  const std::string indent(first.size(), ' ');
  std::string line(first);
  std::size_t line_words = 0;
  std::istringstream words{std::string(text)};
  for (std::string w; words >> w;) {
    if (line_words > 0 && line.size() + 1 + w.size() > kWidth) {
      out += line + "\n";
      line = indent;
      line_words = 0;
    }
    if (line_words > 0) line += ' ';
    line += w;
    ++line_words;
  }
  out += line + "\n";
}

void heading(std::string& out, std::string_view title) {
  out += "\n";
  out += title;
  out += "\n";
  out += std::string(title.size(), '-');
  out += "\n";
}

std::string_view severity_label(Severity s) {
  switch (s) {
    case Severity::decline: return "Not possible. ";
    case Severity::defer: return "Not yet. ";
    case Severity::precaution: return "Take care. ";
  }
  return "";
}

}  // namespace

std::string assessment_to_text(const Assessment& a, const Intake& in, const RuleBook& book) {
  std::string out;
  out += "CONSULTATION SUMMARY\n";
  out += fmt::format("{} ({}, {})\n", in.client.name.value_or("Client"), to_string(in.client.sex), in.client.age);

  heading(out, "In short");
  wrap(out, book.candidacy_texts[static_cast<std::size_t>(a.candidacy)], "");

  if (!a.referrals.empty()) {
    heading(out, "Please see your doctor first");
    for (const auto& r : a.referrals) wrap(out, r.text, "- ");
  }

  heading(out, "What we recommend");
  if (a.recommendations.empty())
    wrap(out,
         a.referrals.empty() ? "We cannot recommend a treatment from your answers alone: see the notes below."
                             : "Once your doctor has seen you, we will look at the options together.",
         "");
  for (const auto& r : a.recommendations) {
    wrap(out, r.title, std::to_string(r.rank) + ". ");
    for (const auto& why : r.rationale) wrap(out, why.text, "   - ");
  }

  if (!a.not_recommended.empty()) {
    heading(out, "What we do not recommend, and why");
    for (const auto& n : a.not_recommended) {
      wrap(out, n.title, "- ");
      for (const auto& why : n.rationale) wrap(out, why.text, "    ");
    }
  }

  if (!a.contraindications.empty()) {
    heading(out, "What we must take into account");
    for (const auto& c : a.contraindications) {
      std::string line = std::string(severity_label(c.severity)) + c.text;
      if (c.earliest_date) line += " Not before " + format_intake_date(*c.earliest_date) + ".";
      wrap(out, line, "- ");
    }
  }

  if (!a.causes_to_screen.empty()) {
    heading(out, "Possible causes to talk over with your doctor");
    for (const auto& c : a.causes_to_screen) wrap(out, c.text, "- ");
  }

  if (!a.precare.empty()) {
    heading(out, "Before your sessions");
    for (const auto& p : a.precare) wrap(out, p.text, "- ");
  }

  if (!a.advice.empty()) {
    heading(out, "Good to know");
    for (const auto& p : a.advice) wrap(out, p.text, "- ");
  }
  // Rule ids and the practitioner's warnings stay in the JSON: this text is the client's.
  return out;
}

}  // namespace stipple::assess
