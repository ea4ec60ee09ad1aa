// POST /api/v1/clients/{id}/photos, GET /api/v1/clients/{id}/photos,
// GET /api/v1/photos/{id} and GET /api/v1/photos/{id}/thumbnail.
//
// An upload is the raw picture (JPEG, PNG, WebP or HEIC) with its kind and view
// in the query. It is refused from its header when it is not a photo or is too
// large in pixels or decoding work (422, photo/image.h); the body's bytes are
// bounded by the route (413 past kMaxPhotoUploadBytes). What is stored is the
// picture as decoded: upright, re-encoded (PNG stays PNG, everything else
// becomes a JPEG), so no EXIF, GPS position, XMP or colour profile of the
// original survives, with a thumbnail of at most kThumbnailSide pixels a side.
#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "stipple/io/files.h"
#include "stipple/photo/codec.h"
#include "stipple/photo/image.h"
#include "stipple/store/clients.h"
#include "stipple/store/crypto.h"
#include "stipple/store/photos.h"
#include "stipple/studio/body.h"
#include "stipple/studio/consents.h"
#include "stipple/studio/handlers.h"
#include "stipple/studio/photos.h"
#include "stipple/studio/server.h"

namespace stipple::studio {

namespace {

using io::Json;
namespace fs = std::filesystem;

Json photo_json(const store::Photo& p) {
  Json j = {{"id", p.id},
            {"client_id", p.client_id},
            {"kind", p.kind},
            {"view", p.view},
            {"session", p.session == 0 ? Json() : Json(p.session)},
            {"taken_on", p.taken_on.empty() ? Json() : Json(p.taken_on)},
            {"content_type", p.content_type},
            {"width", p.width},
            {"height", p.height},
            {"size", p.size},
            {"sha256", p.sha256},
            {"source_type", p.source_type},
            {"url", "/api/v1/photos/" + p.id},
            {"thumbnail_url", "/api/v1/photos/" + p.id + "/thumbnail"},
            {"created_at", rfc3339(p.created_at)},
            {"created_by", p.created_by}};
  return j;
}

std::string words(std::span<const std::string_view> list) {
  std::string out;
  for (std::size_t i = 0; i < list.size(); ++i) out += (i == 0 ? "" : i + 1 == list.size() ? " or " : ", ") + std::string(list[i]);
  return out;
}

std::string encode(const cv::Mat& m, const std::string& ext, int quality) {
  if (ext == ".jpg") return photo::encode_jpeg(m, quality, true);
  if (ext == ".png") return photo::encode_png(m, false);  // kept: compressed fully
  return {};
}

std::expected<std::string, std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::unexpected("missing");
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return s;
}

Reply serve_photo_file(Context& ctx, const Request& req, bool thumbnail) {
  auto p = store::find_photo(ctx.db, req.path_params.at("id"));
  if (!p) return store_problem(p.error());
  auto bytes = read_file(fs::path(ctx.config.data_dir) / (thumbnail ? p->thumbnail_path : p->path));
  if (!bytes) return problem(500, "", "the photo's file is missing from the data folder; the error is logged");
  Reply r = bytes_reply(std::move(*bytes), thumbnail ? "image/jpeg" : p->content_type);
  // A photo never changes: the browser keeps it for the session's length (private: never a shared cache).
  r.headers.emplace_back("Cache-Control", "private, max-age=3600");
  r.audit = AuditNote{"read", thumbnail ? "photo thumbnail" : "photo", p->client_id};
  return r;
}

}  // namespace

NormalisedPhoto normalise_photo(const cv::Mat& upright, photo::ImageKind source) {
  NormalisedPhoto n;
  n.lossless = source == photo::ImageKind::png;
  n.content_type = n.lossless ? "image/png" : "image/jpeg";
  n.image = encode(upright, n.lossless ? ".png" : ".jpg", 92);
  n.width = upright.cols;
  n.height = upright.rows;
  const double scale = std::min(1.0, static_cast<double>(kThumbnailSide) / std::max(upright.cols, upright.rows));
  cv::Mat small;
  if (scale < 1)
    cv::resize(upright, small, cv::Size(std::max(1, static_cast<int>(upright.cols * scale + 0.5)), std::max(1, static_cast<int>(upright.rows * scale + 0.5))), 0, 0,
               cv::INTER_AREA);
  else
    small = upright;
  n.thumbnail = encode(small, ".jpg", 80);
  return n;
}

std::expected<store::Photo, PhotoRefusal> save_photo(store::Database& db, const std::string& data_dir, std::string_view bytes,
                                                     const PhotoUpload& u) {
  if (auto c = store::find_client(db, u.client_id); !c) return std::unexpected(PhotoRefusal{404, "", c.error()});
  photo::ImageLimits limits;
  limits.max_bytes = kMaxPhotoUploadBytes;
  const auto header = photo::read_image_header(bytes, "image", limits);
  auto decoded = header ? photo::decode_image(bytes, "image", limits) : std::unexpected(header.error());
  if (!decoded)
    return std::unexpected(PhotoRefusal{422, fmt::format("expected {}, found {}", decoded.error().expected, decoded.error().found), {}});
  const NormalisedPhoto n = normalise_photo(*decoded, header->kind);
  if (n.image.empty() || n.thumbnail.empty()) return std::unexpected(PhotoRefusal{500, "the photo could not be encoded", {}});

  store::Photo p;
  p.id = store::random_id();
  p.client_id = u.client_id;
  p.kind = u.kind;
  p.view = u.view;
  p.session = u.session;
  p.taken_on = u.taken_on;
  p.content_type = n.content_type;
  p.width = n.width;
  p.height = n.height;
  p.size = static_cast<long long>(n.image.size());
  p.sha256 = store::sha256_hex(n.image);
  p.source_type = std::string(photo::mime_type(header->kind));
  const std::string folder = "photos/" + u.client_id;
  p.path = folder + "/" + p.id + (n.lossless ? ".png" : ".jpg");
  p.thumbnail_path = folder + "/" + p.id + ".thumb.jpg";
  p.created_by = u.created_by;
  p.created_at = u.now;
  const fs::path root(data_dir);
  std::error_code ec;
  fs::create_directories(root / folder, ec);
  std::ostringstream unused;
  // Files first, each written whole or not at all; the row last, so a row always names files that exist.
  const auto image = io::write_output((root / p.path).string(), n.image, unused);
  const auto thumb = image ? io::write_output((root / p.thumbnail_path).string(), n.thumbnail, unused) : image;
  auto stored = thumb ? store::create_photo(db, p)
                      : store::StoreResult<store::Photo>(std::unexpected(store::StoreError{store::StoreError::Code::internal, "writing the photo's files"}));
  if (!stored) {
    fs::remove(root / p.path, ec);
    fs::remove(root / p.thumbnail_path, ec);
    return std::unexpected(PhotoRefusal{500, stored.error().message, stored.error()});
  }
  return *stored;
}

Reply post_photo(Context& ctx, const Request& req) {
  static constexpr std::array<std::string_view, 4> kQuery = {"kind", "view", "session", "taken_on"};
  const std::string& client_id = req.path_params.at("id");
  auto query = read_query(req, kQuery);
  if (!query) return query.error();
  FieldReader f(*query, kQuery);
  const TextField kind = f.text("kind", true, false, 20), view = f.text("view", true, false, 20), taken = f.text("taken_on", false, false, 10);
  if (kind.state == TextField::State::value && std::find(store::kPhotoKinds.begin(), store::kPhotoKinds.end(), kind.value) == store::kPhotoKinds.end())
    f.error("kind", fmt::format("expected {}, found '{}'", words(store::kPhotoKinds), kind.value));
  if (view.state == TextField::State::value && std::find(store::kPhotoViews.begin(), store::kPhotoViews.end(), view.value) == store::kPhotoViews.end())
    f.error("view", fmt::format("expected {}, found '{}'", words(store::kPhotoViews), view.value));
  const auto session = query_integer(f, *query, "session", 0, 1, 50);
  if (session && *session != 0 && kind.value != "after" && kind.value != "session")
    f.error("session", "expected no session number, except with kind after or session");
  if (taken.state == TextField::State::value && !past_date(taken.value, 1900, ctx.now))
    f.error("taken_on", fmt::format("expected a date YYYY-MM-DD from 1900 to today, found '{}'", taken.value));
  if (!f.ok()) return f.problem_reply();
  if (!req.content_type.starts_with("image/") && !req.content_type.starts_with("application/octet-stream"))
    return problem(415, problem_type::invalid_request, "a photo is sent as its own bytes, with an image/* Content-Type",
                   {{"", fmt::format("expected an image/* body, found '{}'", req.content_type.empty() ? "no Content-Type" : req.content_type)}});
  if (req.body.empty()) return problem(400, problem_type::invalid_request, "no photo was sent", {{"image", "expected a photo, found an empty body"}});
  // Clinical photos are kept only with the client's consent to them, standing (consents.cpp).
  if (auto c = store::find_client(ctx.db, client_id); !c) return store_problem(c.error());
  const auto consent = current_consent(ctx.db, client_id, "clinical_photos");
  if (!consent) return problem(500, "", "the client's consents cannot be read; the error is logged");
  if (!consent->standing())
    return problem(422, problem_type::unprocessable, "the client has not consented to clinical photos",
                   {{"client_id", consent->consent ? "expected the client's consent to clinical photos, found it withdrawn"
                                                   : "expected the client's signed consent to clinical photos, found none"}});
  PhotoUpload u{client_id, kind.value, view.value, session ? static_cast<int>(*session) : 0, taken.value, req.session->user.id, ctx.now};
  auto stored = save_photo(ctx.db, ctx.config.data_dir, req.body, u);
  if (!stored) {
    if (stored.error().status == 422)
      return problem(422, problem_type::unprocessable, "the photo was refused", {{"image", stored.error().message}});
    if (stored.error().store) return store_problem(*stored.error().store);
    return problem(500, "", "the photo could not be stored; the error is logged");
  }
  Reply r = json_reply(201, photo_json(*stored));
  r.headers.emplace_back("Location", "/api/v1/photos/" + stored->id);
  r.audit = AuditNote{"create", "photo", client_id};
  return r;
}

Reply list_photos(Context& ctx, const Request& req) {
  static constexpr std::array<std::string_view, 1> kQuery = {"limit"};
  const std::string& client_id = req.path_params.at("id");
  auto query = read_query(req, kQuery);
  if (!query) return query.error();
  FieldReader f(*query, kQuery);
  const auto limit = query_integer(f, *query, "limit", 200, 1, 500);
  if (!f.ok()) return f.problem_reply();
  if (auto c = store::find_client(ctx.db, client_id); !c) return store_problem(c.error());
  auto photos = store::photos_of_client(ctx.db, client_id, static_cast<int>(*limit));
  if (!photos) return store_problem(photos.error());
  Json list = Json::array();
  for (const store::Photo& p : *photos) list.push_back(photo_json(p));
  Reply r = json_reply(200, {{"photos", list}});
  r.audit = AuditNote{"read", "photos", client_id};
  return r;
}

Reply get_photo(Context& ctx, const Request& req) { return serve_photo_file(ctx, req, false); }

Reply get_photo_thumbnail(Context& ctx, const Request& req) { return serve_photo_file(ctx, req, true); }

}  // namespace stipple::studio
