#include "stipple/photo/image.h"

#include <fmt/format.h>
#include <libheif/heif.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "stipple/photo/codec.h"
#include "stipple/photo/colour.h"

namespace stipple::photo {

namespace {

std::uint32_t be16(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at]) << 8 | static_cast<unsigned char>(b[at + 1]));
}
std::uint32_t be32(std::string_view b, std::size_t at) { return be16(b, at) << 16 | be16(b, at + 2); }
std::uint32_t le16(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8);
}
std::uint32_t le24(std::string_view b, std::size_t at) { return le16(b, at) | static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16; }
std::uint32_t le32(std::string_view b, std::size_t at) { return le16(b, at) | le16(b, at + 2) << 16; }
unsigned char byte(std::string_view b, std::size_t at) { return static_cast<unsigned char>(b[at]); }

std::string mp(std::int64_t pixels) { return fmt::format("{:.1f} megapixels", static_cast<double>(pixels) / 1e6); }

// The JPEG frame header (SOF) and every scan: the marker segments are walked,
// and inside entropy-coded data 0xFF is always followed by 0x00 (a stuffed
// byte) or a restart marker, so any other marker there is real. The file must
// end with its end-of-image marker.
Result<ImageHeader> jpeg_header(std::string_view b, const std::string& file, const ImageLimits& limits) {
  ImageHeader h{ImageKind::jpeg, 0, 0, 0};
  const auto truncated = [&] { return input_error(file, "image", "a complete JPEG file (ending with its end-of-image marker)", "a truncated file"); };
  std::size_t at = 2;
  bool frame = false;
  // Before the first scan: marker segments only.
  while (true) {
    if (at + 4 > b.size()) return input_error(file, "image", "a complete JPEG file", "a file that ends inside its headers");
    if (byte(b, at) != 0xFF)
      return input_error(file, "image", "a JPEG marker", fmt::format("byte 0x{:02X} at offset {}", byte(b, at), at));
    const unsigned marker = byte(b, at + 1);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0xD9) return input_error(file, "image", "a JPEG image", "an end-of-image marker before any scan");
    const std::uint32_t len = be16(b, at + 2);
    if (len < 2 || at + 2 + len > b.size()) return input_error(file, "image", "a complete JPEG file", "a file that ends inside its headers");
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (len < 8) return input_error(file, "image", "a JPEG frame header", "a frame header too short");
      h.height = static_cast<int>(be16(b, at + 5));
      h.width = static_cast<int>(be16(b, at + 7));
      frame = true;
    }
    at += 2 + len;
    if (marker == 0xDA) {
      if (!frame) return input_error(file, "image", "a JPEG frame header before the scan", "none");
      h.scans = 1;
      break;
    }
  }
  // The scans: entropy-coded data, with tables and further scans between them.
  for (std::size_t i = at; i + 1 < b.size();) {
    if (byte(b, i) != 0xFF) {
      ++i;
      continue;
    }
    const unsigned m = byte(b, i + 1);
    if (m == 0x00 || (m >= 0xD0 && m <= 0xD7) || m == 0xFF) {
      ++i;
      continue;
    }
    if (m == 0xD9) return h;
    if (i + 4 > b.size()) return truncated();
    const std::uint32_t len = be16(b, i + 2);
    if (len < 2 || i + 2 + len > b.size()) return truncated();
    if (m == 0xDA && ++h.scans > limits.max_jpeg_scans)
      return input_error(file, "image", fmt::format("a JPEG of at most {} scans (slow to decode beyond)", limits.max_jpeg_scans),
                         fmt::format("more than {} scans", limits.max_jpeg_scans));
    i += 2 + len;
  }
  return truncated();
}

Result<ImageHeader> png_header(std::string_view b, const std::string& file) {
  if (b.size() < 33 || b.substr(12, 4) != "IHDR") return input_error(file, "image", "a PNG image header", "none");
  ImageHeader h{ImageKind::png, 0, 0, 1};
  h.width = static_cast<int>(std::min<std::uint32_t>(be32(b, 16), 1u << 30));
  h.height = static_cast<int>(std::min<std::uint32_t>(be32(b, 20), 1u << 30));
  // A complete PNG ends with its IEND chunk (empty, with a fixed CRC).
  static constexpr std::string_view kIend{"\0\0\0\0IEND\xAE\x42\x60\x82", 12};
  if (b.size() < 45 || b.substr(b.size() - 12) != kIend)
    return input_error(file, "image", "a complete PNG file (ending with its IEND chunk)", "a truncated file");
  return h;
}

// RIFF "WEBP" with a VP8 (lossy), VP8L (lossless) or VP8X (extended) first chunk
// (Google's WebP container specification, RFC 9649).
Result<ImageHeader> webp_header(std::string_view b, const std::string& file) {
  ImageHeader h{ImageKind::webp, 0, 0, 1};
  if (b.size() < 30) return input_error(file, "image", "a WebP image header", "a file too short");
  if (static_cast<std::uint64_t>(le32(b, 4)) + 8 > b.size())
    return input_error(file, "image", "a complete WebP file (as long as its RIFF header says)", "a truncated file");
  const std::string_view chunk = b.substr(12, 4);
  if (chunk == "VP8 ") {
    if (byte(b, 23) != 0x9D || byte(b, 24) != 0x01 || byte(b, 25) != 0x2A)
      return input_error(file, "image", "a VP8 frame header", "none");
    h.width = static_cast<int>(le16(b, 26) & 0x3FFF);
    h.height = static_cast<int>(le16(b, 28) & 0x3FFF);
  } else if (chunk == "VP8L") {
    if (byte(b, 20) != 0x2F) return input_error(file, "image", "a VP8L header", "none");
    const std::uint32_t bits = le32(b, 21);
    h.width = static_cast<int>((bits & 0x3FFF) + 1);
    h.height = static_cast<int>(((bits >> 14) & 0x3FFF) + 1);
  } else if (chunk == "VP8X") {
    h.width = static_cast<int>(le24(b, 24) + 1);
    h.height = static_cast<int>(le24(b, 27) + 1);
  } else {
    return input_error(file, "image", "a WebP image (VP8, VP8L or VP8X)", fmt::format("a '{}' chunk", chunk));
  }
  return h;
}

// An ISO base media file whose ftyp box names a HEIF brand of HEVC pictures.
bool is_heic(std::string_view b) {
  if (b.size() < 16 || b.substr(4, 4) != "ftyp") return false;
  const std::size_t box = std::min<std::size_t>(be32(b, 0), b.size());
  static constexpr std::array<std::string_view, 6> kBrands{"heic", "heix", "heim", "heis", "hevc", "hevx"};
  for (std::size_t at = 8; at + 4 <= box; at += 4)
    if (at != 12 && std::find(kBrands.begin(), kBrands.end(), b.substr(at, 4)) != kBrands.end()) return true;  // 12: minor version
  return false;
}

struct HeifContext {
  heif_context* ctx = heif_context_alloc();
  heif_image_handle* handle = nullptr;
  ~HeifContext() {
    if (handle) heif_image_handle_release(handle);
    heif_context_free(ctx);
  }
};

// Parses the HEIF container (no picture is decoded) and opens its primary picture.
Result<void> open_heic(HeifContext& h, std::string_view b, const std::string& file, const ImageLimits& limits) {
  // libheif refuses larger pictures itself, before allocating them.
  heif_context_set_maximum_image_size_limit(h.ctx, limits.max_side);
  heif_error e = heif_context_read_from_memory_without_copy(h.ctx, b.data(), b.size(), nullptr);
  if (e.code == heif_error_Ok) e = heif_context_get_primary_image_handle(h.ctx, &h.handle);
  if (e.code != heif_error_Ok)
    return input_error(file, "image", "a complete HEIC file", fmt::format("a file libheif refused ({})", e.message ? e.message : "no reason"));
  return {};
}

Result<ImageHeader> heic_header(std::string_view b, const std::string& file, const ImageLimits& limits) {
  HeifContext h;
  if (auto o = open_heic(h, b, file, limits); !o) return std::unexpected(o.error());
  return ImageHeader{ImageKind::heic, heif_image_handle_get_width(h.handle), heif_image_handle_get_height(h.handle), 1};
}

// Refuses a picture with any see-through pixel: the composite and the record
// keep a photo's own pixels, and transparency has no colour to keep.
Result<void> check_opaque(const cv::Mat& alpha, const std::string& file) {
  double lo = 255;
  cv::minMaxLoc(alpha, &lo);
  if (lo >= 255) return {};
  const double share = 100.0 * static_cast<double>(alpha.total() - static_cast<std::size_t>(cv::countNonZero(alpha == 255))) /
                       static_cast<double>(alpha.total());
  return input_error(file, "image", "a photo without transparency (flatten it onto a background first)",
                     fmt::format("see-through pixels ({:.1f}% of the picture)", std::max(share, 0.1)));
}

Result<cv::Mat> decode_heic(std::string_view b, const std::string& file, const ImageLimits& limits) {
  HeifContext h;
  if (auto o = open_heic(h, b, file, limits); !o) return std::unexpected(o.error());
  heif_image* img = nullptr;
  // The default options apply the picture's rotation and mirroring (irot, imir).
  const heif_error e = heif_decode_image(h.handle, &img, heif_colorspace_RGB, heif_chroma_interleaved_RGB, nullptr);
  std::unique_ptr<heif_image, void (*)(const heif_image*)> owned(img, heif_image_release);
  if (e.code != heif_error_Ok || img == nullptr)
    return input_error(file, "image", "a HEIC photo that decodes", fmt::format("data libheif refused ({})", e.message ? e.message : "no reason"));
  int stride = 0;
  const std::uint8_t* plane = heif_image_get_plane_readonly(img, heif_channel_interleaved, &stride);
  const int w = heif_image_get_width(img, heif_channel_interleaved), ht = heif_image_get_height(img, heif_channel_interleaved);
  if (plane == nullptr || w <= 0 || ht <= 0) return input_error(file, "image", "a HEIC photo that decodes", "no picture");
  if (heif_image_handle_has_alpha_channel(h.handle)) {
    // The alpha plane: refused if any pixel is see-through.
    int astride = 0;
    const std::uint8_t* alpha = heif_image_get_plane_readonly(img, heif_channel_Alpha, &astride);
    if (alpha) {
      const cv::Mat a(ht, w, CV_8UC1, const_cast<std::uint8_t*>(alpha), static_cast<std::size_t>(astride));
      if (auto opaque = check_opaque(a, file); !opaque) return std::unexpected(opaque.error());
    }
  }
  const cv::Mat rgb(ht, w, CV_8UC3, const_cast<std::uint8_t*>(plane), static_cast<std::size_t>(stride));
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);  // a copy: the plane goes with the heif_image
  // Its colours: an ICC profile in the colr box, or nclx primaries other than sRGB's (BT.709).
  std::string icc;
  switch (heif_image_handle_get_color_profile_type(h.handle)) {
    case heif_color_profile_type_prof:
    case heif_color_profile_type_rICC: {
      icc.resize(heif_image_handle_get_raw_color_profile_size(h.handle));
      if (icc.empty() || heif_image_handle_get_raw_color_profile(h.handle, icc.data()).code != heif_error_Ok) icc.clear();
      break;
    }
    case heif_color_profile_type_nclx: {
      heif_color_profile_nclx* nclx = nullptr;
      if (heif_image_handle_get_nclx_color_profile(h.handle, &nclx).code == heif_error_Ok && nclx) {
        if (nclx->color_primaries != heif_color_primaries_ITU_R_BT_709_5 && nclx->color_primaries != heif_color_primaries_unspecified)
          icc = rgb_profile({nclx->color_primary_red_x, nclx->color_primary_red_y, nclx->color_primary_green_x,
                             nclx->color_primary_green_y, nclx->color_primary_blue_x, nclx->color_primary_blue_y,
                             nclx->color_primary_white_x, nclx->color_primary_white_y});
        heif_nclx_color_profile_free(nclx);
      }
      break;
    }
    default: break;
  }
  convert_to_srgb(bgr, icc);
  return bgr;
}

bool may_have_alpha(std::string_view b, ImageKind kind) {
  if (kind == ImageKind::png) {
    const unsigned type = b.size() > 25 ? static_cast<unsigned char>(b[25]) : 0;
    if (type == 4 || type == 6) return true;
    for (std::size_t at = 8; at + 12 <= b.size();) {
      const std::size_t len = be32(b, at);
      if (len > b.size() - at - 12 || b.substr(at + 4, 4) == "IDAT") break;
      if (b.substr(at + 4, 4) == "tRNS") return true;
      at += len + 12;
    }
    return false;
  }
  if (kind == ImageKind::webp) {
    const std::string_view chunk = b.substr(12, 4);
    if (chunk == "VP8X") return (byte(b, 20) & 0x10) != 0;  // the alpha flag
    if (chunk == "VP8L") return (le32(b, 21) >> 28 & 1) != 0;  // alpha_is_used
  }
  return false;
}

std::string kind_words(unsigned accepted) {
  std::vector<std::string> names;
  if (accepted & kind_bit(ImageKind::jpeg)) names.emplace_back("JPEG");
  if (accepted & kind_bit(ImageKind::png)) names.emplace_back("PNG");
  if (accepted & kind_bit(ImageKind::webp)) names.emplace_back("WebP");
  if (accepted & kind_bit(ImageKind::heic)) names.emplace_back("HEIC");
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

}  // namespace

std::string_view mime_type(ImageKind kind) {
  switch (kind) {
    case ImageKind::jpeg: return "image/jpeg";
    case ImageKind::png: return "image/png";
    case ImageKind::webp: return "image/webp";
    case ImageKind::heic: return "image/heic";
  }
  return "application/octet-stream";
}

Result<ImageHeader> read_image_header(std::string_view b, const std::string& file, const ImageLimits& limits, unsigned accepted) {
  if (b.size() > limits.max_bytes)
    return input_error(file, "image", fmt::format("a file of at most {} MiB", limits.max_bytes >> 20), fmt::format("{} MiB", b.size() >> 20));
  std::optional<ImageKind> kind;
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) kind = ImageKind::png;
  else if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") kind = ImageKind::jpeg;
  else if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") kind = ImageKind::webp;
  else if (is_heic(b)) kind = ImageKind::heic;
  if (!kind || !(accepted & kind_bit(*kind)))
    return input_error(file, "image", fmt::format("a {} photo", kind_words(accepted)), "another kind of file");
  Result<ImageHeader> h;
  switch (*kind) {
    case ImageKind::jpeg: h = jpeg_header(b, file, limits); break;
    case ImageKind::png: h = png_header(b, file); break;
    case ImageKind::webp: h = webp_header(b, file); break;
    case ImageKind::heic: h = heic_header(b, file, limits); break;
  }
  if (!h) return h;
  if (h->width <= 0 || h->height <= 0)
    return input_error(file, "image", "a width and height of at least 1 pixel", fmt::format("{} x {}", h->width, h->height));
  const auto pixels = static_cast<std::int64_t>(h->width) * h->height;
  if (h->width > limits.max_side || h->height > limits.max_side || pixels > limits.max_pixels)
    return input_error(file, "image", fmt::format("at most {} and sides of at most {} pixels", mp(limits.max_pixels), limits.max_side),
                       fmt::format("{} x {} ({})", h->width, h->height, mp(pixels)));
  return h;
}

Result<cv::Mat> decode_image(std::string_view bytes, const std::string& file, const ImageLimits& limits, unsigned accepted) {
  const auto header = read_image_header(bytes, file, limits, accepted);
  if (!header) return std::unexpected(header.error());
  if (header->kind == ImageKind::heic) return decode_heic(bytes, file, limits);
  const std::string_view original = bytes;
  // The colour profile is applied here, not by the decoder: a PNG with one
  // goes to the decoder without it, and without the gAMA and cHRM chunks it
  // overrides (PNG, 3rd edition, 11.3.2). Every chunk is length, type, data and CRC.
  std::string stripped;
  if (header->kind == ImageKind::png && !embedded_icc_profile(original, header->kind).empty()) {
    stripped.assign(bytes.substr(0, 8));
    for (std::size_t at = 8; at + 12 <= bytes.size();) {
      const std::size_t len = be32(bytes, at);
      if (len > bytes.size() - at - 12) return input_error(file, "image", "a complete PNG file", "a chunk that runs past its end");
      const std::string_view type = bytes.substr(at + 4, 4);
      if (type != "iCCP" && type != "gAMA" && type != "cHRM") stripped.append(bytes.substr(at, len + 12));
      at += len + 12;
    }
    bytes = stripped;
  }
  // A picture that may have alpha (a PNG of colour type 4 or 6 or with a tRNS
  // chunk, a WebP that says so) is decoded with it, to see whether it is used.
  const bool alpha = may_have_alpha(original, header->kind);
  cv::Mat img;
  switch (header->kind) {
    case ImageKind::jpeg: img = decode_jpeg(bytes); break;  // its EXIF orientation applied
    case ImageKind::png: img = decode_png(bytes, alpha); break;
    case ImageKind::webp: img = decode_webp(bytes, alpha); break;
    case ImageKind::heic: break;
  }
  if (alpha && img.channels() == 4) {
    cv::Mat a;
    cv::extractChannel(img, a, 3);
    if (auto opaque = check_opaque(a, file); !opaque) return std::unexpected(opaque.error());
    cv::cvtColor(img, img, cv::COLOR_BGRA2BGR);
  }
  if (img.empty() || img.type() != CV_8UC3)
    return input_error(file, "image", fmt::format("a {} photo that decodes", kind_words(kind_bit(header->kind))), "data the decoder refused");
  // Its colours, from the embedded profile to sRGB (photo/colour.h).
  convert_to_srgb(img, embedded_icc_profile(original, header->kind));
  return img;
}

}  // namespace stipple::photo
