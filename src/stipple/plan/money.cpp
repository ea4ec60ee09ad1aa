#include "stipple/plan/money.h"

#include <fmt/format.h>

#include <algorithm>

namespace stipple::plan {

namespace {

std::int64_t pow10(int n) {
  std::int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// Digits of `text` as a fixed-point integer with `decimals` fraction digits.
std::optional<std::int64_t> parse_fixed(std::string_view text, int decimals, std::int64_t max_major) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') negative = true, text.remove_prefix(1);
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && frac.empty())) return std::nullopt;
  if (static_cast<int>(frac.size()) > decimals || whole.size() > 13) return std::nullopt;
  std::int64_t major = 0, minor = 0;
  for (const char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    major = major * 10 + (c - '0');
  }
  if (major > max_major) return std::nullopt;
  for (int i = 0; i < decimals; ++i) {
    const std::size_t k = static_cast<std::size_t>(i);
    const char c = k < frac.size() ? frac[k] : '0';
    if (c < '0' || c > '9') return std::nullopt;
    minor = minor * 10 + (c - '0');
  }
  const std::int64_t v = major * pow10(decimals) + minor;
  return negative ? -v : v;
}

}  // namespace

std::optional<std::int64_t> parse_amount(std::string_view text, int decimals) {
  if (decimals < 0 || decimals > 4) return std::nullopt;
  return parse_fixed(text, decimals, kMaxMajor);
}

std::string format_amount(std::int64_t minor, int decimals) {
  const std::int64_t p = pow10(decimals);
  const std::uint64_t a = minor < 0 ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
  const std::string sign = minor < 0 ? "-" : "";
  if (decimals == 0) return fmt::format("{}{}", sign, a);
  return fmt::format("{}{}.{:0{}}", sign, a / static_cast<std::uint64_t>(p), a % static_cast<std::uint64_t>(p), decimals);
}

std::string format_amount_grouped(std::int64_t minor, int decimals) {
  const std::string plain = format_amount(minor, decimals);
  const std::size_t sign = !plain.empty() && plain.front() == '-' ? 1 : 0;
  const std::size_t dot = std::min(plain.find('.'), plain.size());
  std::string out = plain.substr(0, sign);
  for (std::size_t i = sign; i < dot; ++i) {
    if (i > sign && (dot - i) % 3 == 0) out += ',';
    out += plain[i];
  }
  return out + plain.substr(dot);
}

std::optional<std::int64_t> parse_rate(std::string_view text) {
  const auto v = parse_fixed(text, 6, 1);
  if (!v || *v < 0 || *v > 1'000'000) return std::nullopt;
  return v;
}

std::string format_rate(std::int64_t ppm) {
  std::string s = format_amount(ppm, 6);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string format_percent(std::int64_t ppm) {
  std::string s = format_amount(ppm, 4);  // ppm / 10^4 is the percentage, to four decimals
  while (s.find('.') != std::string::npos && s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::int64_t included_tax(std::int64_t gross_minor, std::int64_t ppm, Rounding r) {
  // Exact in 128 bits: |gross| <= 10^16 and ppm <= 10^6.
  __extension__ typedef __int128 i128;
  const bool negative = gross_minor < 0;
  const i128 num = static_cast<i128>(negative ? -gross_minor : gross_minor) * ppm;
  const i128 den = 1'000'000 + ppm;
  auto q = static_cast<std::int64_t>(num / den);
  const i128 rem = num % den;
  if (2 * rem > den || (2 * rem == den && (r == Rounding::half_up || q % 2 == 1))) ++q;
  return negative ? -q : q;
}

std::int64_t apply_rate(std::int64_t minor, std::int64_t ppm, Rounding r) {
  // |minor| <= 10^15 and ppm <= 10^6 would overflow 64 bits as one product, so
  // split minor = hi 10^6 + lo: minor ppm / 10^6 = hi ppm + lo ppm / 10^6, and
  // lo ppm < 10^12 leaves the remainder exact.
  constexpr std::int64_t kMillion = 1'000'000;
  const bool negative = minor < 0;
  const std::int64_t a = negative ? -minor : minor;
  const std::int64_t hi = a / kMillion, lo = a % kMillion;
  std::int64_t q = hi * ppm + lo * ppm / kMillion;
  const std::int64_t rem = lo * ppm % kMillion;
  if (2 * rem > kMillion || (2 * rem == kMillion && (r == Rounding::half_up || q % 2 == 1))) ++q;
  return negative ? -q : q;
}

}  // namespace stipple::plan
