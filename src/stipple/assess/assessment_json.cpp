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
  doc["referral"] = {{"needed", !a.referrals.empty()}, {"reasons", reasons_json(a.referrals)}};
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
