# Writes OUTPUT, a C++ file defining `std::string_view stipple::SYMBOL()` that
# returns the bytes of INPUT. Run with cmake -P.
file(READ "${INPUT}" content HEX)
string(LENGTH "${content}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace stipple {\nnamespace {\nconstexpr char kBytes[] = {${bytes} '\\0'};\n}\nstd::string_view ${SYMBOL}() { return {kBytes, ${byte_count}}; }\n}  // namespace stipple\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
