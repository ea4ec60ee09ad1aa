// stipple/plan/money.h: exact decimal money for the quote.
//
// Amounts are whole numbers of the currency's minor unit (cents for USD, EUR,
// GBP; yen for JPY): no binary floating point ever holds an amount. Price lists
// give amounts as decimal strings ("1500.00") or whole numbers; rates (tax) as
// decimal strings of at most six decimals, held as parts per million. Products
// are rounded once, to the minor unit, by the price list's rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stipple/core/enum_names.h"

namespace stipple::plan {

enum class Rounding { half_up, half_even };

// The largest amount a price list may hold, in major units (a trillion).
inline constexpr std::int64_t kMaxMajor = 1'000'000'000'000;

// "1234.5" -> 123450 with 2 decimals. At most `decimals` fraction digits, an
// optional leading '-', no exponent, no thousands separators, |x| <= kMaxMajor.
std::optional<std::int64_t> parse_amount(std::string_view text, int decimals);
// 123450 -> "1234.50" with 2 decimals (no separators; '-' when negative).
std::string format_amount(std::int64_t minor, int decimals);
// 123450 -> "1,234.50": for people.
std::string format_amount_grouped(std::int64_t minor, int decimals);

// "0.2" -> 200000 parts per million; 0 to 1 inclusive, at most six decimals.
std::optional<std::int64_t> parse_rate(std::string_view text);
// 200000 -> "0.2"; 75000 -> "0.075".
std::string format_rate(std::int64_t ppm);

// 200000 -> "20"; 75000 -> "7.5": the rate as a percentage, for people ("Tax 20%").
std::string format_percent(std::int64_t ppm);

// The tax held in a price that includes it: gross x ppm / (10^6 + ppm),
// rounded to the minor unit by `r` (VAT-inclusive price lists).
std::int64_t included_tax(std::int64_t gross_minor, std::int64_t ppm, Rounding r);

// minor x ppm / 10^6, rounded to the minor unit by `r` (half_up rounds halves
// away from zero; half_even to the even neighbour).
std::int64_t apply_rate(std::int64_t minor, std::int64_t ppm, Rounding r);

}  // namespace stipple::plan

namespace stipple {
template <>
inline constexpr auto enum_names<plan::Rounding> = std::array<std::string_view, 2>{"half_up", "half_even"};
}
