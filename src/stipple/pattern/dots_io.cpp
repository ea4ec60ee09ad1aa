#include "stipple/pattern/dots_io.h"

#include <fmt/format.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <unordered_set>

#include "stipple/core/enum_names.h"

namespace stipple::pattern {

namespace {

constexpr char kMagic[8] = {'S', 'T', 'P', 'L', 'D', 'O', 'T', '1'};
constexpr std::string_view kCsvHeader = "id,session,zone,x_mm,y_mm,z_mm,diameter_mm,shade,depth_mm,needle,hairline,scar,unit";

void put_u8(std::string& s, std::uint8_t v) { s.push_back(static_cast<char>(v)); }
void put_u16(std::string& s, std::uint16_t v) {
  for (int k = 0; k < 2; ++k) s.push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
}
void put_u32(std::string& s, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) s.push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
}
void put_u64(std::string& s, std::uint64_t v) {
  for (int k = 0; k < 8; ++k) s.push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
}
void put_f32(std::string& s, float v) { put_u32(s, std::bit_cast<std::uint32_t>(v)); }

std::uint64_t get_le(std::string_view b, std::size_t at, int n) {
  std::uint64_t v = 0;
  for (int k = 0; k < n; ++k) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[at + static_cast<std::size_t>(k)])) << (8 * k);
  return v;
}

std::uint16_t micro(float mm) { return static_cast<std::uint16_t>(std::clamp(std::lround(mm * 1000.0f), 0l, 65535l)); }

}  // namespace

std::string dots_csv(const std::vector<Dot>& dots) {
  std::string out(kCsvHeader);
  out += '\n';
  out.reserve(dots.size() * 80);
  for (const Dot& d : dots) {
    fmt::format_to(std::back_inserter(out), "{},{},{},{:.4f},{:.4f},{:.4f},{:.3f},{:.4f},{:.3f},{},{},{},{}\n", d.id, d.session,
                   to_string(d.zone), d.x_mm, d.y_mm, d.z_mm, d.diameter_mm, d.shade, d.depth_mm, to_string(d.needle),
                   d.hairline ? 1 : 0, d.scar ? 1 : 0, d.unit);
  }
  return out;
}

io::Json dots_json(const std::vector<Dot>& dots, int sessions) {
  io::Json arr = io::Json::array();
  const auto r = [](float v, double q) { return std::round(static_cast<double>(v) * q) / q; };
  for (const Dot& d : dots) {
    arr.push_back({{"id", d.id},
                   {"session", d.session},
                   {"zone", std::string(to_string(d.zone))},
                   {"x_mm", r(d.x_mm, 1e4)},
                   {"y_mm", r(d.y_mm, 1e4)},
                   {"z_mm", r(d.z_mm, 1e4)},
                   {"diameter_mm", r(d.diameter_mm, 1e3)},
                   {"shade", r(d.shade, 1e4)},
                   {"depth_mm", r(d.depth_mm, 1e3)},
                   {"needle", std::string(to_string(d.needle))},
                   {"hairline", d.hairline},
                   {"scar", d.scar},
                   {"unit", d.unit}});
  }
  return {{"format", "stipple.dots/1"}, {"sessions", sessions}, {"dots", arr}};
}

std::string dots_binary(const std::vector<Dot>& dots, int sessions) {
  std::string out(kMagic, sizeof kMagic);
  put_u32(out, 1);  // version
  put_u32(out, static_cast<std::uint32_t>(kDotRecordBytes));
  put_u64(out, dots.size());
  put_u32(out, static_cast<std::uint32_t>(sessions));
  put_u32(out, 0);  // reserved
  out.reserve(kDotHeaderBytes + dots.size() * kDotRecordBytes);
  for (const Dot& d : dots) {
    put_u32(out, d.id);
    put_u32(out, d.unit);
    put_f32(out, d.x_mm);
    put_f32(out, d.y_mm);
    put_f32(out, d.z_mm);
    put_u16(out, micro(d.diameter_mm));
    put_u16(out, micro(d.depth_mm));
    put_u16(out, static_cast<std::uint16_t>(std::lround(std::clamp(d.shade, 0.0f, 1.0f) * 65535.0f)));
    put_u8(out, d.session);
    put_u8(out, static_cast<std::uint8_t>(d.zone));
    put_u8(out, static_cast<std::uint8_t>(d.needle));
    put_u8(out, static_cast<std::uint8_t>((d.hairline ? 1 : 0) | (d.scar ? 2 : 0)));
  }
  return out;
}

std::string encode_dots(const Pattern& p, DotsFormat f) {
  switch (f) {
    case DotsFormat::csv: return dots_csv(p.dots);
    case DotsFormat::json: return dots_json(p.dots, p.sessions).dump() + "\n";
    case DotsFormat::bin: return dots_binary(p.dots, p.sessions);
  }
  return {};
}

namespace {

// Ids are unique and every unit names a dot of the file; `record(i)` names dot i.
template <class Name>
Result<DotFile> check_ids(DotFile f, const std::string& file, Name record) {
  std::unordered_set<std::uint32_t> ids;
  ids.reserve(f.dots.size());
  for (std::size_t i = 0; i < f.dots.size(); ++i)
    if (!ids.insert(f.dots[i].id).second)
      return std::unexpected(InputError{file, record(i) + "id", "an id used once", fmt::format("{} again", f.dots[i].id)});
  for (std::size_t i = 0; i < f.dots.size(); ++i)
    if (!ids.contains(f.dots[i].unit))
      return std::unexpected(InputError{file, record(i) + "unit", "the id of a dot in the file", std::to_string(f.dots[i].unit)});
  return f;
}

Result<DotFile> read_binary(std::string_view b, const std::string& file) {
  const auto fail = [&](std::string field, std::string expected, std::string found) {
    return std::unexpected(InputError{file, std::move(field), std::move(expected), std::move(found)});
  };
  if (b.size() < kDotHeaderBytes) return fail("header", "a 32-byte STPLDOT1 header", fmt::format("{} bytes", b.size()));
  if (get_le(b, 8, 4) != 1) return fail("header.version", "version 1", std::to_string(get_le(b, 8, 4)));
  if (get_le(b, 12, 4) != kDotRecordBytes) return fail("header.record_bytes", "30", std::to_string(get_le(b, 12, 4)));
  const std::uint64_t count = get_le(b, 16, 8);
  DotFile out;
  const std::uint64_t sessions = get_le(b, 24, 4);
  if (sessions < 1 || sessions > 4) return fail("header.sessions", "1 to 4", std::to_string(sessions));
  out.sessions = static_cast<int>(sessions);
  const std::size_t body = b.size() - kDotHeaderBytes;
  if (count > body / kDotRecordBytes || body != count * kDotRecordBytes)
    return fail("header.count", fmt::format("{} bytes of records for {} dots", count * kDotRecordBytes, count),
                fmt::format("{} bytes", body));
  out.dots.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t at = kDotHeaderBytes + i * kDotRecordBytes;
    Dot d;
    d.id = static_cast<std::uint32_t>(get_le(b, at, 4));
    d.unit = static_cast<std::uint32_t>(get_le(b, at + 4, 4));
    d.x_mm = std::bit_cast<float>(static_cast<std::uint32_t>(get_le(b, at + 8, 4)));
    d.y_mm = std::bit_cast<float>(static_cast<std::uint32_t>(get_le(b, at + 12, 4)));
    d.z_mm = std::bit_cast<float>(static_cast<std::uint32_t>(get_le(b, at + 16, 4)));
    d.diameter_mm = static_cast<float>(get_le(b, at + 20, 2)) / 1000.0f;
    d.depth_mm = static_cast<float>(get_le(b, at + 22, 2)) / 1000.0f;
    d.shade = static_cast<float>(get_le(b, at + 24, 2)) / 65535.0f;
    const auto session = static_cast<std::uint8_t>(get_le(b, at + 26, 1));
    const auto zone = static_cast<std::uint8_t>(get_le(b, at + 27, 1));
    const auto needle = static_cast<std::uint8_t>(get_le(b, at + 28, 1));
    const auto flags = static_cast<std::uint8_t>(get_le(b, at + 29, 1));
    const std::string rec = fmt::format("dots[{}]", i);
    if (!std::isfinite(d.x_mm) || !std::isfinite(d.y_mm) || !std::isfinite(d.z_mm) || std::abs(d.x_mm) > 1000 ||
        std::abs(d.y_mm) > 1000 || std::abs(d.z_mm) > 1000)
      return fail(rec + ".position", "finite coordinates within 1000 mm", "a value out of range");
    if (session < 1 || session > out.sessions) return fail(rec + ".session", fmt::format("1 to {}", out.sessions), std::to_string(session));
    if (zone >= enum_names<scalp::Zone>.size()) return fail(rec + ".zone", "a zone code 0 to 9", std::to_string(zone));
    if (needle >= enum_names<Needle>.size()) return fail(rec + ".needle", "a needle code 0 or 1", std::to_string(needle));
    if (flags > 3) return fail(rec + ".flags", "bits 0 and 1 only", std::to_string(flags));
    d.session = session;
    d.zone = static_cast<scalp::Zone>(zone);
    d.needle = static_cast<Needle>(needle);
    d.hairline = (flags & 1) != 0;
    d.scar = (flags & 2) != 0;
    out.dots.push_back(d);
  }
  return check_ids(std::move(out), file, [](std::size_t i) { return fmt::format("dots[{}].", i); });
}

// One CSV field as a number within [lo, hi].
template <class T>
bool parse_number(std::string_view text, T& out, double lo, double hi) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) || v < lo || v > hi) return false;
  if constexpr (std::is_integral_v<T>) {
    if (v != std::floor(v)) return false;
  }
  out = static_cast<T>(v);
  return true;
}

Result<DotFile> read_csv(std::string_view b, const std::string& file) {
  DotFile out;
  std::size_t line_no = 0, pos = 0;
  int max_session = 1;
  while (pos < b.size()) {
    std::size_t end = b.find('\n', pos);
    if (end == std::string_view::npos) end = b.size();
    std::string_view line = b.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1) {
      if (line.substr(0, 67) != kCsvHeader.substr(0, 67))
        return std::unexpected(InputError{file, "line 1", fmt::format("the header \"{}\"", kCsvHeader), "another header"});
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::string_view> f;
    for (std::size_t a = 0;;) {
      const std::size_t c = line.find(',', a);
      f.push_back(line.substr(a, c == std::string_view::npos ? std::string_view::npos : c - a));
      if (c == std::string_view::npos) break;
      a = c + 1;
    }
    const std::string where = fmt::format("line {}", line_no);
    if (f.size() != 10 && f.size() != 12 && f.size() != 13)
      return std::unexpected(InputError{file, where, "10, 12 or 13 comma-separated fields", fmt::format("{} fields", f.size())});
    Dot d;
    const auto bad = [&](const char* field, const char* expected, std::string_view found) {
      return std::unexpected(InputError{file, fmt::format("{}, {}", where, field), expected, fmt::format("\"{}\"", found)});
    };
    int session = 0;
    if (!parse_number(f[0], d.id, 0, 4294967295.0)) return bad("id", "an integer id", f[0]);
    if (!parse_number(f[1], session, 1, 4)) return bad("session", "a session 1 to 4", f[1]);
    const auto zone = enum_from_string<scalp::Zone>(f[2]);
    if (!zone) return bad("zone", "a zone name", f[2]);
    if (!parse_number(f[3], d.x_mm, -1000, 1000)) return bad("x_mm", "a coordinate in mm", f[3]);
    if (!parse_number(f[4], d.y_mm, -1000, 1000)) return bad("y_mm", "a coordinate in mm", f[4]);
    if (!parse_number(f[5], d.z_mm, -1000, 1000)) return bad("z_mm", "a coordinate in mm", f[5]);
    if (!parse_number(f[6], d.diameter_mm, 0, 5)) return bad("diameter_mm", "a diameter from 0 to 5 mm", f[6]);
    if (!parse_number(f[7], d.shade, 0, 1)) return bad("shade", "a shade from 0 to 1", f[7]);
    if (!parse_number(f[8], d.depth_mm, 0, 5)) return bad("depth_mm", "a depth from 0 to 5 mm", f[8]);
    const auto needle = enum_from_string<Needle>(f[9]);
    if (!needle) return bad("needle", "1RL or 3RL", f[9]);
    d.unit = d.id;  // single unless the unit column says otherwise
    if (f.size() == 13 && !parse_number(f[12], d.unit, 0, 4294967295.0)) return bad("unit", "the id of the unit's centre dot", f[12]);
    if (f.size() >= 12) {
      if (f[10] != "0" && f[10] != "1") return bad("hairline", "0 or 1", f[10]);
      if (f[11] != "0" && f[11] != "1") return bad("scar", "0 or 1", f[11]);
      d.hairline = f[10] == "1";
      d.scar = f[11] == "1";
    }
    d.session = static_cast<std::uint8_t>(session);
    d.zone = *zone;
    d.needle = *needle;
    max_session = std::max(max_session, session);
    out.dots.push_back(d);
  }
  if (line_no == 0) return std::unexpected(InputError{file, "line 1", "the CSV header", "an empty file"});
  out.sessions = max_session;
  // Rows are dots in order after the header (blank lines aside, which the writer never makes).
  return check_ids(std::move(out), file, [](std::size_t i) { return fmt::format("record {}, ", i + 1); });
}

}  // namespace

Result<DotFile> read_dots(std::string_view bytes, const std::string& file) {
  if (bytes.size() >= sizeof kMagic && std::memcmp(bytes.data(), kMagic, sizeof kMagic) == 0) return read_binary(bytes, file);
  if (!bytes.empty() && bytes.front() == '{') {
    auto doc = io::parse_json_document(bytes, file, {std::size_t{512} << 20, 8});
    if (!doc) return std::unexpected(doc.error());
    // The JSON form is re-encoded as CSV rows field by field through the same checks.
    const io::Json& j = *doc;
    if (!j.is_object() || !j.contains("dots") || !j["dots"].is_array() || j.value("format", "") != "stipple.dots/1")
      return std::unexpected(InputError{file, "format", "a stipple.dots/1 document", "something else"});
    std::string csv(kCsvHeader);
    csv += '\n';
    for (std::size_t i = 0; i < j["dots"].size(); ++i) {
      const io::Json& d = j["dots"][i];
      if (!d.is_object()) return std::unexpected(InputError{file, fmt::format("dots[{}]", i), "an object", "something else"});
      std::string row;
      for (const char* k : {"id", "session", "zone", "x_mm", "y_mm", "z_mm", "diameter_mm", "shade", "depth_mm", "needle", "hairline", "scar", "unit"}) {
        const io::Json* v = d.contains(k) ? &d[k] : nullptr;
        if (!v && std::string_view(k) == "unit") break;  // optional: single dots
        if (!row.empty()) row += ',';
        if (!v) return std::unexpected(InputError{file, fmt::format("dots[{}].{}", i, k), "a value", "nothing"});
        if (v->is_string()) row += v->get<std::string>();
        else if (v->is_boolean()) row += v->get<bool>() ? "1" : "0";
        else if (v->is_number()) row += v->dump();
        else return std::unexpected(InputError{file, fmt::format("dots[{}].{}", i, k), "a number, string or boolean", io::describe_json(*v)});
      }
      csv += row + '\n';
    }
    return read_csv(csv, file);
  }
  return read_csv(bytes, file);
}

}  // namespace stipple::pattern
