#include "stipple/photo/codec.h"

#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>
#include <webp/encode.h>
#include <zlib.h>

#include <algorithm>
#include <csetjmp>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace stipple::photo {
namespace {

const unsigned char* bytes_of(std::string_view b) { return reinterpret_cast<const unsigned char*>(b.data()); }

// libjpeg reports errors through error_exit, which must not return: it jumps
// back to the call that set `jump`, with nothing but plain data in between.
struct JpegErrors {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
};
[[noreturn]] void jpeg_fail(j_common_ptr c) { std::longjmp(reinterpret_cast<JpegErrors*>(c->err)->jump, 1); }
void jpeg_quiet(j_common_ptr, int) {}  // warnings are not printed
// Makes `err` the error manager of a libjpeg compressor or decompressor.
template <class Codec>
void report_to(Codec& c, JpegErrors& err) {
  c.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = jpeg_fail;
  err.mgr.emit_message = jpeg_quiet;
}

// Decodes into `out` (allocated here); false on any error. The setjmp frame
// holds only plain data and the caller's matrix, which stays valid.
bool read_jpeg(const unsigned char* data, std::size_t size, cv::Mat& out, int& orientation) {
  jpeg_decompress_struct d{};
  JpegErrors err{};
  report_to(d, err);
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&d);
    return false;
  }
  jpeg_create_decompress(&d);
  jpeg_mem_src(&d, data, static_cast<unsigned long>(size));
  jpeg_save_markers(&d, JPEG_APP0 + 1, 0xFFFF);
  jpeg_read_header(&d, TRUE);
  orientation = 1;
  for (jpeg_saved_marker_ptr m = d.marker_list; m; m = m->next)
    if (m->marker == JPEG_APP0 + 1) {
      const int o = exif_orientation({reinterpret_cast<const char*>(m->data), m->data_length});
      if (o != 1) orientation = o;
    }
  const bool cmyk = d.jpeg_color_space == JCS_CMYK || d.jpeg_color_space == JCS_YCCK;
  d.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_BGR;
  jpeg_start_decompress(&d);
  out.create(static_cast<int>(d.output_height), static_cast<int>(d.output_width), cmyk ? CV_8UC4 : CV_8UC3);
  while (d.output_scanline < d.output_height) {
    JSAMPROW row = out.ptr<unsigned char>(static_cast<int>(d.output_scanline));
    jpeg_read_scanlines(&d, &row, 1);
  }
  jpeg_finish_decompress(&d);
  jpeg_destroy_decompress(&d);
  return true;
}

bool write_jpeg(const cv::Mat& image, int quality, bool optimize, unsigned char*& buf, unsigned long& size) {
  jpeg_compress_struct c{};
  JpegErrors err{};
  report_to(c, err);
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&c);
    return false;
  }
  jpeg_create_compress(&c);
  jpeg_mem_dest(&c, &buf, &size);
  c.image_width = static_cast<JDIMENSION>(image.cols);
  c.image_height = static_cast<JDIMENSION>(image.rows);
  c.input_components = image.channels();
  c.in_color_space = image.channels() == 1 ? JCS_GRAYSCALE : JCS_EXT_BGR;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, std::clamp(quality, 1, 100), TRUE);
  c.optimize_coding = optimize ? TRUE : FALSE;
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<unsigned char*>(image.ptr<unsigned char>(static_cast<int>(c.next_scanline)));
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  return true;
}

// libpng's errors jump back to the call that set png_jmpbuf; its warnings are dropped.
void png_fail(png_structp p, png_const_charp) { png_longjmp(p, 1); }
void png_quiet(png_structp, png_const_charp) {}
void png_append(png_structp p, png_bytep data, png_size_t n) {
  static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<const char*>(data), n);
}
void png_no_flush(png_structp) {}

bool write_png(const cv::Mat& image, bool fast, std::string& out) {
  png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, png_fail, png_quiet);
  if (!p) return false;
  png_infop info = png_create_info_struct(p);
  if (!info || setjmp(png_jmpbuf(p))) {
    png_destroy_write_struct(&p, &info);
    return false;
  }
  png_set_write_fn(p, &out, png_append, png_no_flush);
  if (fast) {  // as OpenCV writes by default: zlib's fastest level, run-length matches, the Sub filter
    png_set_filter(p, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_compression_level(p, 1);
    png_set_compression_strategy(p, Z_RLE);
  }
  png_set_IHDR(p, info, static_cast<png_uint_32>(image.cols), static_cast<png_uint_32>(image.rows), 8,
               image.channels() == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(p, info);
  if (image.channels() == 3) png_set_bgr(p);
  for (int y = 0; y < image.rows; ++y) png_write_row(p, image.ptr<png_byte>(y));
  png_write_end(p, info);
  png_destroy_write_struct(&p, &info);
  return true;
}

std::uint32_t tiff_u16(const unsigned char* p, bool big) { return big ? (p[0] << 8 | p[1]) : (p[1] << 8 | p[0]); }
std::uint32_t tiff_u32(const unsigned char* p, bool big) {
  return big ? (std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3])
             : (std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0]);
}

}  // namespace

int exif_orientation(std::string_view app1) {
  // "Exif\0\0", then a TIFF file: byte order, 42, the offset of IFD0, whose
  // entries are tag, type, count and value (12 bytes each; Exif 2.32 section 4.6).
  if (app1.size() < 6 + 8 || app1.substr(0, 6) != std::string_view("Exif\0\0", 6)) return 1;
  const auto* t = bytes_of(app1.substr(6));
  const std::size_t n = app1.size() - 6;
  const bool big = t[0] == 'M' && t[1] == 'M';
  if (!big && !(t[0] == 'I' && t[1] == 'I')) return 1;
  if (tiff_u16(t + 2, big) != 42) return 1;
  const std::uint32_t ifd = tiff_u32(t + 4, big);
  if (ifd > n - 2) return 1;
  const std::uint32_t entries = tiff_u16(t + ifd, big);
  for (std::uint32_t i = 0; i < entries; ++i) {
    const std::size_t at = ifd + 2 + std::size_t{12} * i;
    if (at + 12 > n) return 1;
    if (tiff_u16(t + at, big) != 274) continue;
    const std::uint32_t type = tiff_u16(t + at + 2, big), value = tiff_u16(t + at + 8, big);  // SHORT, left-justified
    return type == 3 && value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
  }
  return 1;
}

cv::Mat apply_orientation(const cv::Mat& stored, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2: cv::flip(stored, out, 1); break;   // mirrored
    case 3: cv::flip(stored, out, -1); break;  // upside down
    case 4: cv::flip(stored, out, 0); break;   // upside down, mirrored
    case 5: cv::transpose(stored, out); break;
    case 6: cv::transpose(stored, out), cv::flip(out, out, 1); break;  // turned 90 degrees clockwise to view
    case 7: cv::transpose(stored, out), cv::flip(out, out, -1); break;
    case 8: cv::transpose(stored, out), cv::flip(out, out, 0); break;  // turned 90 degrees counter-clockwise
    default: out = stored; break;
  }
  return out;
}

std::string encode_png(const cv::Mat& image, bool fast) {
  if (image.empty() || image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3)) return {};
  std::string out;
  return write_png(image, fast, out) ? out : std::string();
}

std::string encode_jpeg(const cv::Mat& image, int quality, bool optimize) {
  if (image.empty() || image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3)) return {};
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  const bool ok = write_jpeg(image, quality, optimize, buf, size);
  std::string out = ok ? std::string(reinterpret_cast<const char*>(buf), size) : std::string();
  std::free(buf);  // jpeg_mem_dest's buffer is the caller's to free
  return out;
}

std::string encode_webp(const cv::Mat& image, float quality) {
  if (image.empty() || image.type() != CV_8UC3) return {};
  std::uint8_t* buf = nullptr;
  const std::size_t size = WebPEncodeBGR(image.data, image.cols, image.rows, static_cast<int>(image.step), std::clamp(quality, 0.0f, 100.0f), &buf);
  std::string out = size ? std::string(reinterpret_cast<const char*>(buf), size) : std::string();
  WebPFree(buf);
  return out;
}

cv::Mat decode_png(std::string_view bytes, bool keep_alpha) {
  png_image im{};
  im.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&im, bytes.data(), bytes.size())) return {};
  im.format = keep_alpha ? PNG_FORMAT_BGRA : PNG_FORMAT_BGR;
  im.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;  // 16-bit values without gAMA are sRGB, as viewers take them (not linear)
  // Any alpha dropped is composed onto what the buffer holds: black.
  cv::Mat out = cv::Mat::zeros(static_cast<int>(im.height), static_cast<int>(im.width), keep_alpha ? CV_8UC4 : CV_8UC3);
  if (!png_image_finish_read(&im, nullptr, out.data, static_cast<png_int_32>(out.step), nullptr)) {
    png_image_free(&im);
    return {};
  }
  return out;
}

cv::Mat decode_jpeg(std::string_view bytes) {
  cv::Mat stored;
  int orientation = 1;
  if (!read_jpeg(bytes_of(bytes), bytes.size(), stored, orientation)) return {};
  if (stored.channels() == 4) {  // CMYK as Adobe writes it, inverted: each channel is 255 - ink
    cv::Mat bgr(stored.rows, stored.cols, CV_8UC3);
    for (int y = 0; y < stored.rows; ++y) {
      const auto* in = stored.ptr<cv::Vec4b>(y);
      auto* px = bgr.ptr<cv::Vec3b>(y);
      for (int x = 0; x < stored.cols; ++x) {
        const int k = in[x][3];
        px[x] = {static_cast<unsigned char>(in[x][2] * k / 255), static_cast<unsigned char>(in[x][1] * k / 255),
                 static_cast<unsigned char>(in[x][0] * k / 255)};
      }
    }
    stored = bgr;
  }
  return apply_orientation(stored, orientation);
}

cv::Mat decode_webp(std::string_view bytes, bool keep_alpha) {
  int w = 0, h = 0;
  if (!WebPGetInfo(bytes_of(bytes), bytes.size(), &w, &h) || w <= 0 || h <= 0) return {};
  cv::Mat out(h, w, keep_alpha ? CV_8UC4 : CV_8UC3);
  const std::size_t size = out.step * static_cast<std::size_t>(h);
  const auto* done = keep_alpha ? WebPDecodeBGRAInto(bytes_of(bytes), bytes.size(), out.data, size, static_cast<int>(out.step))
                                : WebPDecodeBGRInto(bytes_of(bytes), bytes.size(), out.data, size, static_cast<int>(out.step));
  return done ? out : cv::Mat();
}

}  // namespace stipple::photo
