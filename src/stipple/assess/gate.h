// stipple/assess/gate.h: the booking gate. Nothing is booked or priced against
// the assessment.
//
// booking_gate() reads an Assessment and says whether sessions may be booked
// and priced, and from which day. It is the one call that `stipple plan`,
// `stipple demo` and the studio share (docs/plan.md, "The booking gate"):
//  - blocked: a referral (RF-*: a doctor first), a decline (CI-MINOR,
//    CI-KELOID, CI-ALLERGY), a deferral with no known end (CI-FLARE,
//    CI-CHEMO, CI-AA-ACTIVE, CI-RETINOID, CI-ISOTRETINOIN while still taken),
//    or no SMP option recommended at all (REC-EARLY, REC-TEMPORARY, or the
//    rules that ruled SMP out). Only a practitioner's override with a reason
//    lets a plan through then.
//  - held: a finding with a known end (CI-72H: 72 hours from the consultation
//    day; CI-ISOTRETINOIN: months after the last dose; CI-SCAR-IMMATURE: until
//    the scar is old enough) moves the first session to the day it ends. A hold
//    is not a change of candidacy.
// Days are counted from the consultation day (intake `date`); without it, from
// the reference day the caller passes (plan: --start), the earliest the
// consultation can have been for a plan starting then.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "stipple/assess/assess.h"
#include "stipple/io/json_document.h"

namespace stipple::assess {

struct BookingHold {
  RuleId rule;
  std::chrono::sys_days until{};  // the first session may be on this day, not before
  std::string text;               // plain words for the client's documents, no rule ids
};

struct BookingGate {
  bool blocked = false;
  std::vector<RuleId> blocking;  // why, in the brief's order; empty unless blocked
  // Plain words for each group of blocking rules, e.g. "SMP is not advised",
  // in the order refer, decline, open-ended deferral, nothing recommended.
  std::vector<std::string> reasons;
  std::vector<BookingHold> holds;                  // latest first-session day last
  std::optional<std::chrono::sys_days> earliest;   // the latest `until` of the holds
  std::optional<std::chrono::sys_days> reference;  // the day the holds count from

  // "SMP is not advised (CI-ALLERGY)"; groups joined by "; ". Empty when not blocked.
  std::string summary() const;
};

// The gate of `a`. `fallback_reference` is used when the assessment has no
// consultation date (Assessment::date); with neither, holds have no day and
// `earliest` stays empty.
BookingGate booking_gate(const Assessment& a, std::optional<std::chrono::sys_days> fallback_reference);

// The gate as the plan's `assessment` object (docs/plan.md):
// {made: true, candidacy, blocked, blocking_rules[], reference_date, earliest_first_session,
//  holds[]: {rule, until, text}, override: {reason}}; `override_reason` only when given.
io::Json booking_gate_json(const Assessment& a, const BookingGate& g, const std::optional<std::string>& override_reason);

// The same object for a plan made without an intake: {made: false, note}.
io::Json no_assessment_json();

// The plain-words sentence the plan, report and calendar print when no intake was assessed.
// In place of the assessment when the design was made from an intake whose
// assessment allows booking, but the plan was made without it.
inline constexpr std::string_view kAssessmentNotGivenNote =
    "This plan was prepared without the consultation's assessment. Your design was made from your questionnaire, and "
    "that assessment allows the treatment, but what it found and what must be checked first are not repeated here: ask "
    "your practitioner for the assessment.";
inline constexpr std::string_view kNoAssessmentNote =
    "No assessment was made: this plan was prepared without the consultation questionnaire, so it does not say "
    "whether scalp micropigmentation suits you or what must be checked first.";

}  // namespace stipple::assess
