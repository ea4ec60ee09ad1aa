#include "stipple/assess/gate.h"

#include <algorithm>

#include <fmt/format.h>

namespace stipple::assess {

namespace {

// Why a hold waits, in the client's words (no rule ids).
std::string hold_words(RuleId rule) {
  switch (rule) {
    case RuleId::CI_72H: return "72 hours must pass after what you had in the days before the consultation";
    case RuleId::CI_ISOTRETINOIN: return "your skin needs the full wait after the last isotretinoin dose";
    case RuleId::CI_SCAR_IMMATURE: return "your scar must be mature before it is treated";
    default: return "the assessment asks for a wait first";
  }
}

std::string day_text(std::chrono::sys_days d) { return format_intake_date(d); }

}  // namespace

std::string BookingGate::summary() const {
  if (!blocked) return "";
  // `reasons` and the rule groups were filled together; each reason ends with its ids.
  std::string out;
  for (const std::string& r : reasons) out += (out.empty() ? "" : "; ") + r;
  return out;
}

BookingGate booking_gate(const Assessment& a, std::optional<std::chrono::sys_days> fallback_reference) {
  BookingGate g;
  g.reference = a.date ? a.date : fallback_reference;
  const auto group = [&](std::string_view words, const std::vector<RuleId>& rules) {
    if (rules.empty()) return;
    std::string ids;
    for (RuleId id : rules) {
      ids += (ids.empty() ? "" : ", ") + std::string(to_string(id));
      g.blocking.push_back(id);
    }
    g.reasons.push_back(fmt::format("{} ({})", words, ids));
  };
  std::vector<RuleId> refer, decline, open_defer;
  for (const Reason& r : a.referrals) refer.push_back(r.rule);
  for (const ContraindicationFinding& c : a.contraindications) {
    if (c.severity == Severity::decline) decline.push_back(c.rule);
    else if (c.severity == Severity::defer && !c.wait) open_defer.push_back(c.rule);
  }
  group("see a doctor first", refer);
  group("SMP is not advised", decline);
  group("SMP must wait, with no end date known yet", open_defer);
  // Nothing to book when no SMP option is recommended (and nothing above says why).
  const bool smp = std::any_of(a.recommendations.begin(), a.recommendations.end(),
                               [](const RankedOption& r) { return is_smp(r.option); });
  if (!smp && g.reasons.empty()) {
    std::vector<RuleId> why;
    for (RuleId id : {RuleId::REC_EARLY, RuleId::REC_TEMPORARY})
      if (std::find(a.rules_fired.begin(), a.rules_fired.end(), id) != a.rules_fired.end()) why.push_back(id);
    for (const UnrankedOption& n : a.not_recommended)
      if (is_smp(n.option))
        for (const Reason& r : n.rationale)
          if (std::find(why.begin(), why.end(), r.rule) == why.end()) why.push_back(r.rule);
    std::sort(why.begin(), why.end());
    if (why.empty()) g.reasons.push_back("no SMP treatment is recommended from the answers");
    else group("no SMP treatment is recommended", why);
  }
  g.blocked = !g.reasons.empty();
  std::sort(g.blocking.begin(), g.blocking.end());
  g.blocking.erase(std::unique(g.blocking.begin(), g.blocking.end()), g.blocking.end());

  // Holds with a known end, counted from the consultation day.
  for (const ContraindicationFinding& c : a.contraindications) {
    if (!c.wait || !g.reference) continue;
    const auto until = wait_end(*g.reference, *c.wait);
    g.holds.push_back({c.rule, until, fmt::format("The first session is on {} or later: {}.", day_text(until), hold_words(c.rule))});
  }
  std::stable_sort(g.holds.begin(), g.holds.end(), [](const auto& x, const auto& y) { return x.until < y.until; });
  if (!g.holds.empty()) g.earliest = g.holds.back().until;
  return g;
}

io::Json booking_gate_json(const Assessment& a, const BookingGate& g, const std::optional<std::string>& override_reason) {
  io::Json out;
  out["made"] = true;
  out["candidacy"] = to_string(a.candidacy);
  out["blocked"] = g.blocked;
  io::Json rules = io::Json::array();
  for (RuleId id : g.blocking) rules.push_back(to_string(id));
  out["blocking_rules"] = rules;
  if (g.blocked) out["blocked_because"] = g.summary();
  if (g.reference) out["reference_date"] = day_text(*g.reference);
  if (g.earliest) out["earliest_first_session"] = day_text(*g.earliest);
  io::Json holds = io::Json::array();
  for (const BookingHold& h : g.holds)
    holds.push_back({{"rule", to_string(h.rule)}, {"until", day_text(h.until)}, {"text", h.text}});
  out["holds"] = holds;
  if (override_reason) out["override"] = {{"reason", *override_reason}};
  return out;
}

io::Json no_assessment_json() {
  io::Json out;
  out["made"] = false;
  out["note"] = std::string(kNoAssessmentNote);
  return out;
}

}  // namespace stipple::assess
