#include "stipple/photo/colour.h"

#include <lcms2.h>
#include <zlib.h>

#include <algorithm>
#include <map>
#include <memory>

#include "stipple/photo/image.h"

namespace stipple::photo {

namespace {

std::uint32_t be32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8 | static_cast<unsigned char>(b[at + 3]);
}
std::uint32_t le32(std::string_view b, std::size_t at) {
  return static_cast<unsigned char>(b[at]) | static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

// zlib data inflated, or nothing when it is damaged or longer than the cap.
std::optional<std::string> inflate_capped(std::string_view in, std::size_t cap) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return std::nullopt;
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  char buf[16384];
  int r = Z_OK;
  while (r == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    r = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > cap) r = Z_MEM_ERROR;
    if (r == Z_BUF_ERROR && z.avail_in == 0) break;
  }
  inflateEnd(&z);
  if (r != Z_STREAM_END) return std::nullopt;
  return out;
}

std::string png_profile(std::string_view b) {
  for (std::size_t at = 8; at + 12 <= b.size();) {
    const std::size_t len = be32(b, at);
    if (len > b.size() - at - 12) break;
    const std::string_view type = b.substr(at + 4, 4);
    if (type == "IDAT") break;  // iCCP comes before the image data
    if (type == "iCCP") {
      // A name of 1-79 bytes, its NUL, compression method 0, the zlib data.
      const std::string_view data = b.substr(at + 8, len);
      const std::size_t nul = data.find('\0');
      if (nul == std::string_view::npos || nul + 2 > data.size() || data[nul + 1] != 0) return {};
      return inflate_capped(data.substr(nul + 2), kMaxProfileBytes).value_or(std::string{});
    }
    at += len + 12;
  }
  return {};
}

std::string jpeg_profile(std::string_view b) {
  // APP2 segments "ICC_PROFILE\0", sequence number (1-based), count, data.
  static constexpr std::string_view kTag{"ICC_PROFILE\0", 12};
  std::map<int, std::string_view> parts;
  int count = 0;
  for (std::size_t at = 2; at + 4 <= b.size();) {
    if (static_cast<unsigned char>(b[at]) != 0xFF) break;
    const unsigned marker = static_cast<unsigned char>(b[at + 1]);
    if (marker == 0xFF) {
      ++at;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) break;  // the scans: no more headers
    const std::size_t len = static_cast<std::size_t>(static_cast<unsigned char>(b[at + 2])) << 8 | static_cast<unsigned char>(b[at + 3]);
    if (len < 2 || at + 2 + len > b.size()) break;
    const std::string_view seg = b.substr(at + 4, len - 2);
    if (marker == 0xE2 && seg.size() > kTag.size() + 2 && seg.substr(0, kTag.size()) == kTag) {
      const int seq = static_cast<unsigned char>(seg[kTag.size()]);
      count = static_cast<unsigned char>(seg[kTag.size() + 1]);
      parts[seq] = seg.substr(kTag.size() + 2);
    }
    at += 2 + len;
  }
  if (count == 0 || static_cast<int>(parts.size()) != count) return {};
  std::string out;
  for (int k = 1; k <= count; ++k) {
    const auto it = parts.find(k);
    if (it == parts.end() || out.size() + it->second.size() > kMaxProfileBytes) return {};
    out.append(it->second);
  }
  return out;
}

std::string webp_profile(std::string_view b) {
  // RIFF chunks after "WEBP": FourCC, little-endian size, data padded to even.
  for (std::size_t at = 12; at + 8 <= b.size();) {
    const std::size_t len = le32(b, at + 4);
    if (len > b.size() - at - 8) break;
    if (b.substr(at, 4) == "ICCP") return len <= kMaxProfileBytes ? std::string(b.substr(at + 8, len)) : std::string{};
    at += 8 + len + (len & 1);
  }
  return {};
}

// lcms2 reports through a handler; a damaged profile must not print anything.
void silent(cmsContext, cmsUInt32Number, const char*) {}

struct ProfileDeleter {
  void operator()(void* p) const { cmsCloseProfile(p); }
};
using Profile = std::unique_ptr<void, ProfileDeleter>;

}  // namespace

std::string embedded_icc_profile(std::string_view bytes, ImageKind kind) {
  switch (kind) {
    case ImageKind::png: return png_profile(bytes);
    case ImageKind::jpeg: return jpeg_profile(bytes);
    case ImageKind::webp: return webp_profile(bytes);
    case ImageKind::heic: return {};  // libheif reads the colr box (image.cpp)
  }
  return {};
}

std::string rgb_profile(const std::array<double, 8>& xy) {
  cmsSetLogErrorHandler(silent);
  const cmsCIExyY white{xy[6], xy[7], 1.0};
  const cmsCIExyYTRIPLE primaries{{xy[0], xy[1], 1.0}, {xy[2], xy[3], 1.0}, {xy[4], xy[5], 1.0}};
  // The sRGB curve: type 4 parametric, gamma 2.4 with a linear foot.
  const cmsFloat64Number srgb[5] = {2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045};
  cmsToneCurve* curve = cmsBuildParametricToneCurve(nullptr, 4, srgb);
  if (!curve) return {};
  cmsToneCurve* curves[3] = {curve, curve, curve};
  Profile p(cmsCreateRGBProfile(&white, &primaries, curves));
  cmsFreeToneCurve(curve);
  if (!p) return {};
  cmsUInt32Number size = 0;
  if (!cmsSaveProfileToMem(p.get(), nullptr, &size) || size == 0) return {};
  std::string out(size, '\0');
  if (!cmsSaveProfileToMem(p.get(), out.data(), &size)) return {};
  return out;
}

ProfileUse convert_to_srgb(cv::Mat& bgr, std::string_view icc) {
  if (icc.empty()) return ProfileUse::none;
  CV_Assert(bgr.type() == CV_8UC3);
  cmsSetLogErrorHandler(silent);
  Profile in(cmsOpenProfileFromMem(icc.data(), static_cast<cmsUInt32Number>(icc.size())));
  if (!in || cmsGetColorSpace(in.get()) != cmsSigRgbData) return ProfileUse::unreadable;
  Profile out(cmsCreate_sRGBProfile());
  cmsHTRANSFORM t = cmsCreateTransform(in.get(), TYPE_BGR_8, out.get(), TYPE_BGR_8, INTENT_RELATIVE_COLORIMETRIC,
                                       cmsFLAGS_BLACKPOINTCOMPENSATION);
  if (!t) return ProfileUse::unreadable;
  for (int y = 0; y < bgr.rows; ++y) cmsDoTransform(t, bgr.ptr(y), bgr.ptr(y), static_cast<cmsUInt32Number>(bgr.cols));
  cmsDeleteTransform(t);
  return ProfileUse::converted;
}

}  // namespace stipple::photo
