// tests/intake_generator.h: random and mutated intake documents for the
// generative test, the fuzzer's seeds and the benchmark. Deterministic for a
// given generator state.
#pragma once

#include <random>
#include <string>

#include "stipple/io/json_document.h"

namespace stipple::testing {

// A document whose every field is well-formed on its own (drawn from the
// reader's own field table); the answers may still contradict each other.
io::Json random_intake(std::mt19937_64& rng);

// The same document with one structural fault: a value of the wrong type or
// out of range, an unknown word, a missing required field, an unknown field,
// a wrong schema, or a list entry given twice.
io::Json mutate_document(io::Json doc, std::mt19937_64& rng);

// The document's text with byte-level damage: flipped bytes, truncation,
// inserted characters, a duplicated key.
std::string mutate_text(std::string text, std::mt19937_64& rng);

}  // namespace stipple::testing
