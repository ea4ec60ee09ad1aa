// stipple/store/text.h: the text keys the store compares and sorts by.
//
// Case-insensitive matching is done here, in C++, rather than by the database:
// SQLite's LIKE and lower() fold ASCII only, PostgreSQL's follow the database's
// locale, so the same search would find different clients on each. Keys are
// stored beside the values they come from and compared bytewise on both.
#pragma once

#include <string>
#include <string_view>

namespace stipple::store {

// Lower-cases UTF-8 text: ASCII, Latin-1, Latin Extended-A, Greek and
// Cyrillic capitals (the simple one-to-one mappings of Unicode's
// UnicodeData.txt for those blocks); every other code point and any invalid
// byte is kept as it is. Never fails.
std::string fold_case(std::string_view text);

// The key an email is unique by: trimmed of spaces and case-folded.
std::string email_key(std::string_view email);

// Only the digits 0-9 of `text` ("+44 (0)20 7946-0018" -> "4402079460018").
std::string digits_of(std::string_view text);

// True for a plausible email address: 3 to 254 bytes, one '@' with something
// before it, a dot in the part after it, no spaces or control characters.
bool plausible_email(std::string_view email);

// `text` escaped for a LIKE pattern with ESCAPE '\': '\', '%' and '_' get a backslash.
std::string escape_like(std::string_view text);

// True when `text` is valid UTF-8 without control characters other than
// newline and tab (those only when `multiline`).
bool clean_utf8(std::string_view text, bool multiline);

}  // namespace stipple::store
