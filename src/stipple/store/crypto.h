// stipple/store/crypto.h: random ids, session tokens, SHA-256 and password hashes (libsodium).
//
// Every function is thread-safe once init_crypto() has returned true (it may be
// called any number of times, from any thread).
#pragma once

#include <string>
#include <string_view>

namespace stipple::store {

// Initialises libsodium; false when the system's randomness cannot be had.
bool init_crypto();

// An opaque id: 128 random bits as 26 characters of lowercase RFC 4648 base32
// ("k2n4...": never sequential, never guessable, safe in URLs and file names).
std::string random_id();

// A session token: 256 random bits, base64url without padding (43 characters).
std::string new_token();

// Decodes standard base64 (RFC 4648 section 4, padded, no whitespace) into
// `out`, which must hold at least text.size() * 3 / 4 bytes; `length` is set to
// the bytes written. False for text that is not base64.
bool base64_decode(std::string_view text, std::string& out, std::size_t& length);

// SHA-256 of `data`, as 64 lowercase hexadecimal digits.
std::string sha256_hex(std::string_view data);

// An Argon2id hash of `password` in libsodium's self-describing string form
// ("$argon2id$v=19$m=65536,t=2,p=1$..."), with crypto_pwhash's interactive
// limits (64 MiB, 2 passes: about 0.1 s). Empty when memory runs out. Of all
// the hashes and verifications at one time, as many run as there are cores;
// the rest wait their turn (a burst of sign-ins no longer thrashes memory).
std::string hash_password(std::string_view password);

// True when `password` matches `hash` (hash_password's form); false for any
// other password and for a malformed hash. Takes as long as hashing.
bool verify_password(std::string_view password, const std::string& hash);

// A valid hash of no one's password: verified against when an email is unknown,
// so a sign-in takes as long whether or not the user exists.
const std::string& decoy_password_hash();

// Compares in time independent of where the strings differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace stipple::store
