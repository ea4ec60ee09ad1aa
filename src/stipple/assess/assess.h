// stipple/assess/assess.h: the consultation assessment.
//
// assess() applies the decision rules of the domain brief (shared/domain/SMP.md
// section 6) to a validated intake: referral red flags, contraindications with
// their severities, ranked recommendations with their rationales, the
// candidacy (by the brief's precedence), causes to screen and pre-care items.
// It is a pure function of the intake and the rule book; docs/assess.md states
// every condition and how conflicting rules are resolved.
//
// Invariants (checked by tests/generative_test.cpp on random intakes):
//  - ranks are 1..n without gaps;
//  - candidacy is refer exactly when a referral rule (RF-) fired, and then
//    every ranked SMP option carries the referral in its rationale; a
//    specialist referral for treatment (active alopecia areata: a
//    dermatologist) leaves the candidacy to the other rules;
//  - a decline never yields candidate, and no SMP option is ranked after one.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "stipple/assess/intake.h"
#include "stipple/assess/rulebook.h"
#include "stipple/assess/vocabulary.h"

namespace stipple::assess {

struct Reason {
  RuleId rule;
  std::string text;
};

// How long a deferral or a booking hold lasts, counted from the day of the
// consultation, when its end is known: months first, then days.
struct Wait {
  int months = 0;
  int days = 0;
};

struct ContraindicationFinding {
  RuleId rule;
  Severity severity;
  std::string text;
  std::optional<Wait> wait;  // a known end (CI-72H, CI-ISOTRETINOIN after the last dose, CI-SCAR-IMMATURE)
  std::optional<std::chrono::sys_days> earliest_date;  // the consultation day + wait, when the intake has `date`
};

struct RankedOption {
  int rank = 0;  // 1 = best
  Option option;
  int score = 0;
  std::vector<Reason> rationale;
  std::string title;  // the rule book's title; patches get the patch-camouflage title
};

struct UnrankedOption {  // considered, and why it is not recommended
  Option option;
  std::vector<Reason> rationale;
  std::string title;
};

struct CauseFinding {
  Cause cause;
  std::string text;
};

struct Assessment {
  Candidacy candidacy = Candidacy::candidate;
  std::vector<Reason> referrals;  // red flags (RF-): a doctor before any SMP decision
  // A specialist for treatment while SMP waits or goes ahead (CI-AA-ACTIVE: a
  // dermatologist, brief section 11); the candidacy does not change for it.
  std::vector<Reason> specialist_referrals;
  std::vector<ContraindicationFinding> contraindications;  // decline, then defer, then precaution
  std::vector<RankedOption> recommendations;
  std::vector<UnrankedOption> not_recommended;
  std::vector<CauseFinding> causes_to_screen;
  std::vector<Reason> precare;
  std::vector<Reason> advice;  // good to know, e.g. grey hair (REC-GREY); printed in the report
  std::vector<std::string> warnings;
  std::vector<LossArea> loss_areas;  // reported areas plus those implied by the stage
  std::vector<RuleId> rules_fired;   // in the brief's order
  std::optional<std::chrono::sys_days> date;  // the intake's consultation day, if given
};

// The day a wait of `w` that begins on `from` ends: months first (the 31st
// moves to the month's last day when the month is shorter), then days.
std::chrono::sys_days wait_end(std::chrono::sys_days from, const Wait& w);

// Assesses `intake`. `warnings` (e.g. from parsing) are carried into the result.
Assessment assess(const Intake& intake, const RuleBook& book, std::vector<std::string> warnings = {});

}  // namespace stipple::assess
