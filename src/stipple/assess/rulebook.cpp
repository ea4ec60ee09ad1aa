#include "stipple/assess/rulebook.h"

#include "stipple/io/fields.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

#include <fmt/args.h>
#include <fmt/format.h>

#include "stipple/io/json_document.h"

namespace stipple {
std::string_view default_rules_json();  // generated from data/assess/rules.json
}

namespace stipple::assess {

using io::Json;

namespace {

constexpr std::string_view kRulesSchema = "stipple.rules/1";

// Reads the rule book with field paths in every error. The rule book is our own
// data, so it is read strictly: unknown keys are errors naming the nearest known
// key, warnings only when the options are lenient.
class BookReader : public io::FieldReader {
 public:
  using io::FieldReader::FieldReader;

  Result<std::string> text(const Json& v, const std::string& path) const {
    auto t = plain_text(v, path);
    if (!t) return t;
    auto checked = check_placeholders(*t, path);
    if (!checked) return std::unexpected(checked.error());
    return t;
  }

  // Every {name} must be one of kTextArguments; checked by formatting once.
  Result<void> check_placeholders(const std::string& text, const std::string& path) const {
    static const TextArgs sample = [] {
      TextArgs args;
      for (const char* name : kTextArguments) args.emplace(name, std::string(1, 'x'));
      return args;
    }();
    try {
      (void)render_text(text, sample);
    } catch (const fmt::format_error& e) {
      return input_error(file(), path, "placeholders among {age}, {stage}, {budget}, ... (see docs/assess.md)",
                         fmt::format("a text the formatter rejects ({})", e.what()));
    }
    return {};
  }
};

Result<std::vector<Effect>> read_effects(const BookReader& r, const Json& v, const std::string& path) {
  if (!v.is_array()) return input_error(r.file(), path, "a list of effects", io::describe_json(v));
  std::vector<Effect> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string ep = index_path(path, i);
    if (auto ok = r.only_keys(v[i], ep, {"option", "points", "exclude", "text"}); !ok)
      return std::unexpected(ok.error());
    Effect e;
    TRY(option, r.member(v[i], ep, "option"));
    if (option->is_string() && option->get<std::string>() == "smp_preferred") {
      e.target = EffectTarget::smp_preferred;
    } else if (option->is_string() && option->get<std::string>() == "smp_any") {
      e.target = EffectTarget::smp_any;
    } else {
      auto o = r.word<Option>(*option, join_path(ep, "option"));
      if (!o)
        return input_error(r.file(), join_path(ep, "option"),
                           "smp_preferred, smp_any or one of " + enum_choices<Option>(),
                           io::describe_json(*option));
      e.option = *o;
    }
    TRY(points, r.member(v[i], ep, "points", false));
    if (points) {
      TRY(p, r.integer(*points, join_path(ep, "points"), -10, 10));
      e.points = p;
    }
    TRY(exclude, r.member(v[i], ep, "exclude", false));
    if (exclude) {
      if (!exclude->is_boolean())
        return input_error(r.file(), join_path(ep, "exclude"), "true or false", io::describe_json(*exclude));
      e.exclude = exclude->get<bool>();
    }
    if (e.exclude && e.points != 0)
      return input_error(r.file(), join_path(ep, "points"), "no points on an excluded option",
                         std::to_string(e.points));
    TRY(text_json, r.member(v[i], ep, "text"));
    TRY(text, r.text(*text_json, join_path(ep, "text")));
    e.text = text;
    out.push_back(std::move(e));
  }
  return out;
}

// An object with exactly one entry per enumerator of E (no unknown keys), each
// read by `read_value(json, path) -> Result<T>`.
template <class E, class T, std::size_t N, class ReadValue>
Result<void> read_enum_table(const BookReader& r, const Json& obj, const std::string& path,
                             std::array<T, N>& out, ReadValue read_value) {
  if (!obj.is_object()) return input_error(r.file(), path, "an object", io::describe_json(obj));
  for (const auto& [k, v] : obj.items())
    if (!enum_from_string<E>(k))
      if (auto u = io::unknown_field(r.file(), path, k, enum_names<E>, r.options()); !u) return u;
  for (std::size_t i = 0; i < N; ++i) {
    const std::string key(enum_names<E>[i]);
    TRY(v, r.member(obj, path, key));
    TRY(value, read_value(*v, join_path(path, key)));
    out[i] = value;
  }
  return {};
}

template <class E, std::size_t N>
Result<void> read_text_table(const BookReader& r, const Json& obj, const std::string& path,
                             std::array<std::string, N>& out) {
  return read_enum_table<E>(r, obj, path, out, [&](const Json& v, const std::string& p) { return r.text(v, p); });
}

template <class Stage, std::size_t N>
Result<void> read_area_table(const BookReader& r, const Json& obj, const std::string& path,
                             std::array<std::vector<LossArea>, N>& out) {
  return read_enum_table<Stage>(r, obj, path, out,
                                [&](const Json& v, const std::string& p) { return r.words<LossArea>(v, p); });
}

Result<void> read_stages(const BookReader& r, const Json& obj, StageTables& st) {
  const std::string path = "stages";
  if (auto ok = r.only_keys(obj, path, {"norwood_areas", "ludwig_areas", "early_norwood", "extensive_norwood",
                                        "medical_norwood", "early_ludwig", "medical_ludwig"});
      !ok)
    return ok;
  TRY(nw, r.member(obj, path, "norwood_areas"));
  TRY(lw, r.member(obj, path, "ludwig_areas"));
  if (auto ok = read_area_table<Norwood>(r, *nw, "stages.norwood_areas", st.norwood_areas); !ok) return ok;
  if (auto ok = read_area_table<Ludwig>(r, *lw, "stages.ludwig_areas", st.ludwig_areas); !ok) return ok;
  const auto list = [&](std::string_view key, auto& out) -> Result<void> {
    using E = typename std::remove_reference_t<decltype(out)>::value_type;
    auto v = r.member(obj, path, key);
    if (!v) return std::unexpected(v.error());
    auto w = r.words<E>(**v, join_path(path, key));
    if (!w) return std::unexpected(w.error());
    out = *w;
    return {};
  };
  if (auto ok = list("early_norwood", st.early_norwood); !ok) return ok;
  if (auto ok = list("extensive_norwood", st.extensive_norwood); !ok) return ok;
  if (auto ok = list("medical_norwood", st.medical_norwood); !ok) return ok;
  if (auto ok = list("early_ludwig", st.early_ludwig); !ok) return ok;
  if (auto ok = list("medical_ludwig", st.medical_ludwig); !ok) return ok;
  return {};
}

}  // namespace


Result<RuleBook> RuleBook::parse(std::string_view json_text, std::string_view file_view,
                                 const io::ReadOptions& options) {
  const std::string file(file_view);
  TRY(doc, io::parse_json_document(json_text, file));
  const BookReader r(file, options);
  if (auto ok = r.only_keys(doc, "", {"schema", "thresholds", "stages", "price_ranges", "default_currency",
                                      "options", "patch_camouflage_title", "active_alopecia_areata", "candidacy", "rules", "causes", "precare",
                                      "goal_look_text", "sources"});
      !ok)
    return std::unexpected(ok.error());
  TRY(schema, r.member(doc, "", "schema"));
  if (!schema->is_string() || schema->get<std::string>() != kRulesSchema)
    return input_error(file, "schema", fmt::format("\"{}\"", kRulesSchema), io::describe_json(*schema));

  RuleBook book;
  {  // thresholds
    TRY(t, r.member(doc, "", "thresholds"));
    if (auto ok = r.only_keys(*t, "thresholds", {"adult_age_years", "young_age_years",
                                                 "postpartum_temporary_months", "stress_temporary_months",
                                                 "goal_look_points", "isotretinoin_wait_months",
                                                 "scar_mature_months", "minoxidil_pause_days"});
        !ok)
      return std::unexpected(ok.error());
    const auto field = [&](std::string_view key, int max, int& out) -> Result<void> {
      auto v = r.member(*t, "thresholds", key);
      if (!v) return std::unexpected(v.error());
      auto n = r.integer(**v, join_path("thresholds", key), 0, max);
      if (!n) return std::unexpected(n.error());
      out = *n;
      return {};
    };
    if (auto ok = field("adult_age_years", 120, book.thresholds.adult_age_years); !ok) return std::unexpected(ok.error());
    if (auto ok = field("young_age_years", 120, book.thresholds.young_age_years); !ok) return std::unexpected(ok.error());
    if (auto ok = field("postpartum_temporary_months", 120, book.thresholds.postpartum_temporary_months); !ok)
      return std::unexpected(ok.error());
    if (auto ok = field("stress_temporary_months", 120, book.thresholds.stress_temporary_months); !ok)
      return std::unexpected(ok.error());
    if (auto ok = field("goal_look_points", 10, book.thresholds.goal_look_points); !ok)
      return std::unexpected(ok.error());
    if (auto ok = field("isotretinoin_wait_months", 120, book.thresholds.isotretinoin_wait_months); !ok)
      return std::unexpected(ok.error());
    if (auto ok = field("scar_mature_months", 120, book.thresholds.scar_mature_months); !ok)
      return std::unexpected(ok.error());
    if (auto ok = field("minoxidil_pause_days", 60, book.thresholds.minoxidil_pause_days); !ok)
      return std::unexpected(ok.error());
  }
  {
    TRY(st, r.member(doc, "", "stages"));
    if (auto ok = read_stages(r, *st, book.stages); !ok) return std::unexpected(ok.error());
  }
  {  // price ranges
    TRY(pr, r.member(doc, "", "price_ranges"));
    if (!pr->is_array() || pr->empty())
      return input_error(file, "price_ranges", "a non-empty list", io::describe_json(*pr));
    for (std::size_t i = 0; i < pr->size(); ++i) {
      const std::string p = index_path("price_ranges", i);
      const Json& e = (*pr)[i];
      if (auto ok = r.only_keys(e, p, {"currency", "scope", "low", "high", "source"}); !ok)
        return std::unexpected(ok.error());
      PriceRange range;
      TRY(cur, r.member(e, p, "currency"));
      if (!cur->is_string() || cur->get<std::string>().size() != 3)
        return input_error(file, join_path(p, "currency"), "an ISO 4217 code", io::describe_json(*cur));
      range.currency = cur->get<std::string>();
      TRY(scope, r.member(e, p, "scope"));
      const std::string sc = scope->is_string() ? scope->get<std::string>() : "";
      if (sc == "partial") range.scope = PriceScope::partial;
      else if (sc == "full_shaved") range.scope = PriceScope::full_shaved;
      else if (sc == "any") range.scope = PriceScope::any;
      else return input_error(file, join_path(p, "scope"), "partial, full_shaved or any", io::describe_json(*scope));
      TRY(low, r.member(e, p, "low"));
      TRY(high, r.member(e, p, "high"));
      if (!low->is_number() || !high->is_number() || low->get<double>() <= 0 ||
          high->get<double>() < low->get<double>())
        return input_error(file, join_path(p, "high"), "0 < low <= high", io::describe_json(*high));
      range.low = low->get<double>();
      range.high = high->get<double>();
      book.price_ranges.push_back(range);
    }
    TRY(dc, r.member(doc, "", "default_currency"));
    if (!dc->is_string() || dc->get<std::string>().size() != 3)
      return input_error(file, "default_currency", "an ISO 4217 code", io::describe_json(*dc));
    book.default_currency = dc->get<std::string>();
  }
  {
    TRY(o, r.member(doc, "", "options"));
    if (auto ok = read_text_table<Option>(r, *o, "options", book.option_titles); !ok) return std::unexpected(ok.error());
    TRY(patch, r.member(doc, "", "patch_camouflage_title"));
    TRY(patch_title, r.text(*patch, "patch_camouflage_title"));
    book.patch_camouflage_title = patch_title;
    TRY(aa, r.member(doc, "", "active_alopecia_areata"));
    const std::string aa_policy = aa->is_string() ? aa->get<std::string>() : "";
    if (aa_policy != "defer" && aa_policy != "camouflage")
      return input_error(file, "active_alopecia_areata", "\"defer\" or \"camouflage\"", io::describe_json(*aa));
    book.active_aa_defers = aa_policy == "defer";
    TRY(c, r.member(doc, "", "candidacy"));
    if (auto ok = read_text_table<Candidacy>(r, *c, "candidacy", book.candidacy_texts); !ok)
      return std::unexpected(ok.error());
    TRY(cs, r.member(doc, "", "causes"));
    if (auto ok = read_text_table<Cause>(r, *cs, "causes", book.cause_texts); !ok) return std::unexpected(ok.error());
  }
  {  // rules
    TRY(rules, r.member(doc, "", "rules"));
    if (!rules->is_object()) return input_error(file, "rules", "an object", io::describe_json(*rules));
    for (const auto& [k, v] : rules->items())
      if (!enum_from_string<RuleId>(k))
        if (auto u = io::unknown_field(file, "rules", k, enum_names<RuleId>, options); !u) return std::unexpected(u.error());
    for (std::size_t i = 0; i < enum_count<RuleId>(); ++i) {
      const auto id = static_cast<RuleId>(i);
      const std::string key(to_string(id));
      const std::string p = join_path("rules", key);
      TRY(entry_json, r.member(*rules, "rules", key));
      const RuleKind kind = rule_kind(id);
      if (auto ok = r.only_keys(*entry_json, p, {"text", "condition", "effects", "cases"}); !ok)
        return std::unexpected(ok.error());
      RuleEntry& entry = book.rules_[i];
      const auto worded = text_cases(id);
      TRY(text, r.member(*entry_json, p, "text", kind != RuleKind::recommendation || id == RuleId::REC_GREY));
      if (text && !worded.empty()) {  // one text per case
        if (!text->is_object())
          return input_error(file, join_path(p, "text"), "an object with a text for each case", io::describe_json(*text));
        for (const auto& [name, t_json] : text->items())
          if (std::find(worded.begin(), worded.end(), name) == worded.end())
            return input_error(file, join_path(join_path(p, "text"), name), "one of the rule's cases", "an unknown case");
        for (auto name : worded) {
          TRY(t_json, r.member(*text, join_path(p, "text"), name));
          TRY(t, r.text(*t_json, join_path(join_path(p, "text"), name)));
          entry.texts.emplace(std::string(name), t);
        }
      } else if (text) {
        TRY(t, r.text(*text, join_path(p, "text")));
        entry.text = t;
      }
      TRY(cond, r.member(*entry_json, p, "condition", kind == RuleKind::referral));
      if (cond) {
        TRY(t, r.text(*cond, join_path(p, "condition")));
        entry.condition = t;
      }
      TRY(effects, r.member(*entry_json, p, "effects", false));
      TRY(cases, r.member(*entry_json, p, "cases", false));
      if (effects && cases)
        return input_error(file, join_path(p, "cases"), "either effects or cases, not both", "both");
      if (effects) {
        TRY(list, read_effects(r, *effects, join_path(p, "effects")));
        entry.cases["default"] = list;
      }
      if (cases) {
        if (!cases->is_object()) return input_error(file, join_path(p, "cases"), "an object", io::describe_json(*cases));
        for (const auto& [name, list_json] : cases->items()) {
          TRY(list, read_effects(r, list_json, join_path(join_path(p, "cases"), name)));
          entry.cases[name] = list;
        }
      }
      const auto needed = required_cases(id);
      for (auto name : needed) {
        // Contraindications and REC-GREY (advice, no options) may have no effects.
        const bool optional = kind != RuleKind::recommendation || id == RuleId::REC_GREY;
        if (entry.cases.contains(name) || (optional && name == "default")) continue;
        return input_error(file, join_path(join_path(p, "cases"), name),
                           "the effects of this case (the assessment selects it)", "nothing");
      }
      for (auto it = entry.cases.begin(); it != entry.cases.end();) {
        if (std::find(needed.begin(), needed.end(), it->first) != needed.end()) {
          ++it;
          continue;
        }
        const std::vector<std::string_view> known(needed.begin(), needed.end());
        if (auto u = io::unknown_field(file, join_path(p, "cases"), it->first, known, options); !u)
          return std::unexpected(u.error());
        it = entry.cases.erase(it);
      }
    }
  }
  {
    TRY(goal, r.member(doc, "", "goal_look_text"));
    TRY(t, r.text(*goal, "goal_look_text"));
    book.goal_look_text = t;
  }
  {  // precare
    TRY(pc, r.member(doc, "", "precare"));
    if (!pc->is_array()) return input_error(file, "precare", "a list", io::describe_json(*pc));
    std::set<std::string> ids;
    for (std::size_t i = 0; i < pc->size(); ++i) {
      const std::string p = index_path("precare", i);
      const Json& e = (*pc)[i];
      if (auto ok = r.only_keys(e, p, {"id", "rule", "text"}); !ok) return std::unexpected(ok.error());
      PrecareItem item;
      TRY(id, r.member(e, p, "id"));
      if (!id->is_string()) return input_error(file, join_path(p, "id"), "a text", io::describe_json(*id));
      item.id = id->get<std::string>();
      if (!ids.insert(item.id).second)
        return input_error(file, join_path(p, "id"), "each id once", io::describe_json(*id));
      TRY(rule, r.member(e, p, "rule"));
      TRY(rule_id, r.word<RuleId>(*rule, join_path(p, "rule")));
      item.rule = rule_id;
      TRY(text, r.member(e, p, "text"));
      TRY(t, r.text(*text, join_path(p, "text")));
      item.text = t;
      book.precare.push_back(std::move(item));
    }
    for (std::string_view needed : kPrecareIds)
      if (!ids.contains(std::string(needed)))
        return input_error(file, "precare", fmt::format("an item with id \"{}\"", needed), "none");
  }
  return book;
}

std::vector<std::string_view> RuleBook::text_cases(RuleId id) {
  switch (id) {
    case RuleId::CI_PROGRESSING: return {"hairline", "no_hairline"};
    case RuleId::CI_AA_ACTIVE: return {"defer", "camouflage"};
    case RuleId::CI_ISOTRETINOIN: return {"taking", "stopped"};
    case RuleId::CI_HAIR_MEDICATION: return {"minoxidil", "finasteride", "both"};
    case RuleId::CI_SKIN_V_VI: return {"keloid_unknown", "keloid_none"};
    case RuleId::CI_SCAR_IMMATURE: return {"young", "age_unknown"};
    default: return {};
  }
}

const std::string& RuleBook::text(RuleId id, std::string_view case_name) const {
  const RuleEntry& e = rule(id);
  const auto it = e.texts.find(case_name);
  return it == e.texts.end() ? e.text : it->second;
}

std::vector<std::string_view> RuleBook::required_cases(RuleId id) {
  switch (id) {
    case RuleId::CI_ALLERGY: return {"usable_donor", "donor_unknown", "no_transplant"};
    case RuleId::CI_AA_ACTIVE: return {"defer", "camouflage"};
    case RuleId::CI_PROGRESSING: return {"hairline", "no_hairline", "young_progressing"};
    case RuleId::REC_EARLY: return {"early", "no_loss"};
    case RuleId::REC_TEMPORARY: return {"postpartum", "stress"};
    case RuleId::REC_FRONTAL: return {"shaved", "keep_hair", "undecided"};
    case RuleId::REC_FRONT_AND_BACK: return {"shaved", "usable_donor", "donor_unknown"};
    case RuleId::REC_AA: return {"total", "stable_patches", "active_patches"};
    default: return {"default"};
  }
}

const std::vector<Effect>& RuleBook::effects(RuleId id, std::string_view case_name) const {
  static const std::vector<Effect> kNone;
  const auto& cases = rule(id).cases;
  const auto it = cases.find(case_name);
  return it == cases.end() ? kNone : it->second;
}

std::string render_text(std::string_view text, const TextArgs& args) {
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  for (const auto& [name, value] : args) store.push_back(fmt::arg(name.c_str(), value));
  return fmt::vformat(text, store);
}

std::string_view default_rules_json_text() { return stipple::default_rules_json(); }

const RuleBook& RuleBook::builtin() {
  static const RuleBook book = [] {
    auto parsed = RuleBook::parse(default_rules_json_text(), "data/assess/rules.json (built in)");
    if (!parsed) {
      std::fprintf(stderr, "stipple: internal error: %s\n", parsed.error().message().c_str());
      std::abort();
    }
    return *std::move(parsed);
  }();
  return book;
}

}  // namespace stipple::assess
