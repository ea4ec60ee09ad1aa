#include "stipple/assess/assessment_output.h"

namespace stipple::assess {

using io::Json;

namespace {
Json reasons_json(const std::vector<Reason>& reasons) {
  Json out = Json::array();
  for (const Reason& r : reasons) out.push_back({{"rule", to_string(r.rule)}, {"text", r.text}});
  return out;
}
}  // namespace

Json assessment_to_json(const Assessment& a, const Intake& in, const RuleBook& book) {
  Json doc;
  doc["schema"] = kAssessmentSchema;
  Json client;
  if (in.client.name) client["name"] = *in.client.name;
  client["sex"] = to_string(in.client.sex);
  client["age"] = in.client.age;
  doc["client"] = client;
  if (a.date) doc["date"] = format_intake_date(*a.date);
  doc["candidacy"] = to_string(a.candidacy);
  doc["candidacy_text"] = book.candidacy_texts[static_cast<std::size_t>(a.candidacy)];
  // referral.reasons[].kind: red_flag (a doctor before any SMP decision: the
  // candidacy is refer) or treatment (a specialist while SMP waits).
  Json referral_reasons = Json::array();
  for (const auto& [list, kind] : {std::pair{&a.referrals, "red_flag"}, std::pair{&a.specialist_referrals, "treatment"}})
    for (const Reason& r : *list) referral_reasons.push_back({{"rule", to_string(r.rule)}, {"text", r.text}, {"kind", kind}});
  doc["referral"] = {{"needed", !referral_reasons.empty()}, {"reasons", referral_reasons}};
  Json cis = Json::array();
  for (const auto& c : a.contraindications) {
    Json ci = {{"rule", to_string(c.rule)}, {"severity", to_string(c.severity)}, {"text", c.text}};
    if (c.wait) ci["wait"] = {{"months", c.wait->months}, {"days", c.wait->days}};
    if (c.earliest_date) ci["earliest_date"] = format_intake_date(*c.earliest_date);
    cis.push_back(std::move(ci));
  }
  doc["contraindications"] = cis;
  Json recs = Json::array();
  for (const auto& r : a.recommendations)
    recs.push_back({{"rank", r.rank},
                    {"option", to_string(r.option)},
                    {"title", r.title},
                    {"score", r.score},
                    {"rationale", reasons_json(r.rationale)}});
  doc["recommendations"] = recs;
  Json nots = Json::array();
  for (const auto& n : a.not_recommended)
    nots.push_back({{"option", to_string(n.option)},
                    {"title", n.title},
                    {"rationale", reasons_json(n.rationale)}});
  doc["not_recommended"] = nots;
  Json causes = Json::array();
  for (const auto& c : a.causes_to_screen) causes.push_back({{"cause", to_string(c.cause)}, {"text", c.text}});
  doc["causes_to_screen"] = causes;
  doc["precare"] = reasons_json(a.precare);
  doc["advice"] = reasons_json(a.advice);
  Json areas = Json::array();
  for (LossArea area : a.loss_areas) areas.push_back(to_string(area));
  doc["loss_areas"] = areas;
  Json fired = Json::array();
  for (RuleId id : a.rules_fired) fired.push_back(to_string(id));
  doc["rules_fired"] = fired;
  doc["warnings"] = a.warnings;
  return doc;
}

}  // namespace stipple::assess
