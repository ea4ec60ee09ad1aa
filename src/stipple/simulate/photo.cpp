#include "stipple/simulate/photo.h"

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "stipple/core/thread_pool.h"
#include "stipple/photo/image.h"
#include "stipple/simulate/splat.h"

namespace stipple::simulate {

using namespace detail;

namespace {

double ita_of(double L, double b) { return std::atan2(L - 50, b) * 180 / kPi; }

// Individual typology angle categories (Chardon et al. 1991; Del Bino &
// Bernerd 2013) and the Fitzpatrick type each roughly corresponds to.
void classify(SkinTone& s) {
  struct Cat {
    double min_deg;
    const char* name;
    int type;
  };
  static constexpr Cat kCats[] = {{55, "very_light", 1}, {41, "light", 2}, {28, "intermediate", 3},
                                  {10, "tan", 4},        {-30, "brown", 5}, {-1000, "dark", 6}};
  for (const Cat& c : kCats)
    if (s.ita_deg > c.min_deg) {
      s.category = c.name;
      s.fitzpatrick = c.type;
      return;
    }
}

// The widest span of the vault across image rows near its centre, in the
// camera's image: the two ends, found by bisection on whether a ray meets it.
std::pair<cv::Point2d, cv::Point2d> head_ends(const Camera& cam, const scalp::Ellipsoid& e) {
  double cx = cam.cx, cy = cam.cy;
  cam.project(e.center, cx, cy);
  const auto meets = [&](double x, double y) { return scalp::hit_vault(e, cam.eye, cam.ray(x, y)).has_value(); };
  const double reach = 4 * cam.focal * std::max({e.ax, e.ay, e.az}) / kEyeDistanceMm;
  const auto edge = [&](double y, double dir) {
    double in = 0, out = reach;
    for (int k = 0; k < 40; ++k) {
      const double mid = 0.5 * (in + out);
      (meets(cx + dir * mid, y) ? in : out) = mid;
    }
    return cx + dir * in;
  };
  std::pair<cv::Point2d, cv::Point2d> best{{cx, cy}, {cx, cy}};
  double widest = -1;
  const double rows = 0.25 * reach;
  for (int k = -40; k <= 40; ++k) {
    const double y = cy + rows * k / 40;
    if (!meets(cx, y)) continue;
    const double l = edge(y, -1), r = edge(y, 1);
    if (r - l > widest) {
      widest = r - l;
      best = {{l, y}, {r, y}};
    }
  }
  return best;
}

// A landmark's point on the design's head.
Vec3 landmark_point(const scalp::Anatomy& a, PhotoLandmark l) {
  const scalp::Landmarks& m = a.landmarks();
  switch (l) {
    case PhotoLandmark::glabella: return m.glabella;
    case PhotoLandmark::nasion: return m.nasion;
    case PhotoLandmark::ear_left: return m.ear_canal_left;
    case PhotoLandmark::ear_right: return m.ear_canal_right;
    case PhotoLandmark::vertex: return m.vertex;
    case PhotoLandmark::crown: return m.crown_whorl;
    case PhotoLandmark::inion: return m.inion;
  }
  return m.vertex;
}

}  // namespace

Camera turned_camera(const Camera& cam, Vec3 c, double yaw, double pitch) {
  const auto about = [](Vec3 v, Vec3 axis, double t) {  // Rodrigues
    return v * std::cos(t) + cross(axis, v) * std::sin(t) + axis * (dot(axis, v) * (1 - std::cos(t)));
  };
  Camera out = cam;
  const Vec3 up{0, 1, 0};
  out.R = about(cam.R, up, yaw), out.U = about(cam.U, up, yaw), out.V = about(cam.V, up, yaw);
  Vec3 eye = about(cam.eye - c, up, yaw);
  out.U = about(out.U, out.R, pitch), out.V = about(out.V, out.R, pitch);
  eye = about(eye, out.R, pitch);
  out.eye = c + eye;
  return out;
}

LandmarkFit fit_landmarks(const scalp::Anatomy& a, const Camera& view, const std::vector<std::pair<PhotoLandmark, cv::Point2d>>& marks,
                          std::optional<double> px_per_mm) {
  const scalp::Ellipsoid& e = a.head().vault();
  std::vector<Vec3> model;
  for (const auto& [l, p] : marks) model.push_back(landmark_point(a, l));
  cv::Point2d mean_c{0, 0};
  for (const auto& m : marks) mean_c += m.second;
  mean_c *= 1.0 / static_cast<double>(marks.size());
  double spread = 0;
  for (const auto& m : marks) spread = std::max(spread, cv::norm(m.second - mean_c));
  // For a turned camera: the least-squares similarity (a + ib) z + t of the
  // projected model points z onto the clicked ones, and its rms error.
  const auto solve = [&](const Camera& c0, Camera& out) {
    std::vector<cv::Point2d> z;
    for (const Vec3& q : model) {
      double x, y;
      if (!c0.project(q, x, y)) return 1e30;
      z.emplace_back(x, y);
    }
    cv::Point2d mz{0, 0};
    for (const auto& q : z) mz += q;
    mz *= 1.0 / static_cast<double>(z.size());
    double num_a = 0, num_b = 0, den = 0;
    for (std::size_t i = 0; i < z.size(); ++i) {
      const cv::Point2d p = z[i] - mz, q = marks[i].second - mean_c;
      num_a += p.x * q.x + p.y * q.y, num_b += p.x * q.y - p.y * q.x, den += p.x * p.x + p.y * p.y;
    }
    if (den <= 0) return 1e30;
    double sa = num_a / den, sb = num_b / den;
    if (px_per_mm) {  // a ruler in the picture fixes the scale
      Camera probe = c0;
      const double want = *px_per_mm / (probe.focal / -dot(e.center - probe.eye, probe.V)), have = std::hypot(sa, sb);
      if (have > 0) sa *= want / have, sb *= want / have;
    }
    out = c0;
    out.sa = sa, out.sb = sb;
    out.tx = mean_c.x - (sa * mz.x - sb * mz.y);
    out.ty = mean_c.y - (sb * mz.x + sa * mz.y);
    double err = 0;
    for (std::size_t i = 0; i < z.size(); ++i) {
      const double x = sa * z[i].x - sb * z[i].y + out.tx, y = sb * z[i].x + sa * z[i].y + out.ty;
      err += (x - marks[i].second.x) * (x - marks[i].second.x) + (y - marks[i].second.y) * (y - marks[i].second.y);
    }
    return std::sqrt(err / static_cast<double>(z.size()));
  };
  // Turns searched on a grid, then finer round the best; a turn costs a little,
  // so two landmarks (which any turn fits) keep the contract view.
  LandmarkFit best;
  best.head_px = std::max(spread, 1.0);
  double best_cost = 1e30;
  const auto consider = [&](double yaw, double pitch) {
    Camera c;
    const double rms = solve(turned_camera(view, e.center, yaw, pitch), c);
    const double cost = rms / best.head_px + kTurnCost * (yaw * yaw + pitch * pitch);
    if (cost < best_cost) best_cost = cost, best.camera = c, best.rms_px = rms, best.yaw_deg = yaw * 180 / kPi, best.pitch_deg = pitch * 180 / kPi;
  };
  const double deg = kPi / 180;
  for (int y = -45; y <= 45; y += 3)
    for (int p = -30; p <= 30; p += 3) consider(y * deg, p * deg);
  const double y0 = best.yaw_deg, p0 = best.pitch_deg;
  for (double y = y0 - 3; y <= y0 + 3; y += 0.5)
    for (double p = p0 - 3; p <= p0 + 3; p += 0.5) consider(y * deg, p * deg);
  return best;
}

Result<cv::Mat> decode_photo(std::string_view bytes, const std::string& file) {
  return photo::decode_image(bytes, file, kPhotoLimits);
}

Result<PhotoRegion> parse_photo_region(std::string_view text, const std::string& file, const io::ReadOptions& options) {
  auto doc = io::parse_json_document(text, file);
  if (!doc) return std::unexpected(doc.error());
  const io::Json& j = *doc;
  const auto bad = [&](std::string field, std::string expected, const io::Json* v) {
    return input_error(file, std::move(field), std::move(expected), v ? io::describe_json(*v) : "nothing");
  };
  if (!j.is_object()) return bad("", "an object", &j);
  if (auto ok = io::check_fields(j, file, "", kRegionFields, options); !ok) return std::unexpected(ok.error());
  const auto get = [&](const io::Json& o, const char* k) -> const io::Json* {
    const auto it = o.find(k);
    return it == o.end() ? nullptr : &*it;
  };
  const io::Json* format = get(j, "format");
  if (!format || *format != "stipple.photo-region/1") return bad("format", "\"stipple.photo-region/1\"", format);
  PhotoRegion r;
  if (const io::Json* v = get(j, "view")) {
    const auto view = v->is_string() ? enum_from_string<View>(v->get<std::string>()) : std::nullopt;
    if (!view) return bad("view", "top, front, back, left, right or three_quarter", v);
    r.view = *view;
  }
  const auto point = [&](const io::Json& v, const std::string& field) -> Result<cv::Point2d> {
    if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
      return bad(field, "a point [x, y] in photo pixels", &v);
    const double x = v[0].get<double>(), y = v[1].get<double>();
    if (!std::isfinite(x) || !std::isfinite(y) || std::abs(x) > 1e6 || std::abs(y) > 1e6)
      return bad(field, "a point [x, y] in photo pixels", &v);
    return cv::Point2d(x, y);
  };
  const io::Json* poly = get(j, "polygon");
  if (!poly || !poly->is_array() || poly->size() < 3 || poly->size() > 10000)
    return bad("polygon", "an array of 3 to 10,000 points [x, y]", poly);
  for (std::size_t i = 0; i < poly->size(); ++i) {
    auto p = point((*poly)[i], index_path("polygon", i));
    if (!p) return std::unexpected(p.error());
    r.polygon.push_back(*p);
  }
  if (std::abs(cv::contourArea(std::vector<cv::Point2f>(r.polygon.begin(), r.polygon.end()))) < 16)
    return bad("polygon", "an outline enclosing at least 16 square pixels", poly);
  if (const io::Json* m = get(j, "mask")) {
    if (!m->is_string() || m->get<std::string>().empty()) return bad("mask", "the path of a mask image", m);
    r.mask = m->get<std::string>();
  }
  if (const io::Json* lm = get(j, "landmarks")) {
    if (!lm->is_object()) return bad("landmarks", "an object of landmarks, e.g. {\"glabella\": [x, y], \"ear_left\": [x, y]}", lm);
    if (auto ok = io::check_fields(*lm, file, "landmarks", enum_names<PhotoLandmark>, options); !ok) return std::unexpected(ok.error());
    for (const auto& [name, v] : lm->items()) {
      const auto which = enum_from_string<PhotoLandmark>(name);
      if (!which) continue;  // ignored with a warning (lenient)
      auto p = point(v, "landmarks." + name);
      if (!p) return std::unexpected(p.error());
      r.landmarks.emplace_back(*which, *p);
    }
    if (r.landmarks.size() < 2) return bad("landmarks", "at least two landmarks", lm);
    for (std::size_t a = 0; a < r.landmarks.size(); ++a)
      for (std::size_t b = a + 1; b < r.landmarks.size(); ++b)
        if (cv::norm(r.landmarks[a].second - r.landmarks[b].second) < 8)
          return bad(fmt::format("landmarks.{}", to_string(r.landmarks[b].first)), "a point at least 8 pixels from the other landmarks", lm);
  }
  const io::Json* head = get(j, "head");
  if (head || r.landmarks.empty()) {
    if (!head || !head->is_array() || head->size() != 2)
      return bad("head", "two points [[x, y], [x, y]]: the ends of the head's outline across the picture (or landmarks)", head);
    auto h0 = point((*head)[0], "head[0]");
    if (!h0) return std::unexpected(h0.error());
    auto h1 = point((*head)[1], "head[1]");
    if (!h1) return std::unexpected(h1.error());
    if (cv::norm(*h1 - *h0) < 8) return bad("head", "two points at least 8 pixels apart", head);
    r.head = std::pair{*h0, *h1};
  }
  if (const io::Json* sc = get(j, "scale")) {
    if (!sc->is_object()) return bad("scale", "an object {from, to, mm}", sc);
    if (auto ok = io::check_fields(*sc, file, "scale", kRegionScaleFields, options); !ok) return std::unexpected(ok.error());
    const io::Json* f = get(*sc, "from");
    const io::Json* t = get(*sc, "to");
    const io::Json* mm = get(*sc, "mm");
    if (!f) return bad("scale.from", "a point [x, y]", f);
    if (!t) return bad("scale.to", "a point [x, y]", t);
    auto a = point(*f, "scale.from");
    if (!a) return std::unexpected(a.error());
    auto b = point(*t, "scale.to");
    if (!b) return std::unexpected(b.error());
    if (cv::norm(*b - *a) < 8) return bad("scale.to", "a point at least 8 pixels from scale.from", t);
    if (!mm || !mm->is_number() || !(mm->get<double>() >= 5 && mm->get<double>() <= 500))
      return bad("scale.mm", "the distance between the points, 5 to 500 mm", mm);
    r.scale_from = *a, r.scale_to = *b, r.scale_mm = mm->get<double>();
  }
  return r;
}

bool has_colour(const cv::Mat& photo) {
  // On a regular stride of at most about 100,000 pixels: the share whose
  // channels differ by more than 6 levels.
  const int stride = std::max(1, static_cast<int>(std::sqrt(static_cast<double>(photo.total()) / 100'000)));
  std::size_t seen = 0, coloured = 0;
  for (int y = 0; y < photo.rows; y += stride) {
    const auto* px = photo.ptr<cv::Vec3b>(y);
    for (int x = 0; x < photo.cols; x += stride) {
      const int b = px[x][0], g = px[x][1], r = px[x][2];
      ++seen;
      coloured += std::max({b, g, r}) - std::min({b, g, r}) > 6;
    }
  }
  return seen > 0 && static_cast<double>(coloured) >= kMinColouredShare * static_cast<double>(seen);
}

std::optional<SkinTone> measure_skin(const cv::Mat& photo, const cv::Mat& region_mask) {
  if (!has_colour(photo)) return std::nullopt;
  // At most about 200,000 pixels, on a regular stride.
  const std::size_t inside = static_cast<std::size_t>(cv::countNonZero(region_mask));
  const int stride = std::max(1, static_cast<int>(std::sqrt(static_cast<double>(inside) / 200'000)));
  std::vector<std::array<double, 3>> lab;
  std::size_t region = 0;
  for (int y = 0; y < photo.rows; y += stride) {
    const auto* m = region_mask.ptr<std::uint8_t>(y);
    const auto* px = photo.ptr<cv::Vec3b>(y);
    for (int x = 0; x < photo.cols; x += stride) {
      if (!m[x]) continue;
      ++region;
      const auto c = linear_to_lab({srgb8_to_linear(px[x][2]), srgb8_to_linear(px[x][1]), srgb8_to_linear(px[x][0])});
      // Skin's colours only: warm hues with some chroma, not black. A grey
      // backdrop, grey or white hair, a cap, deep shadow and black hair fall out.
      const double hue = std::atan2(c[2], c[1]) * 180 / kPi, chroma = std::hypot(c[1], c[2]);
      if (c[0] >= kSkinMinL && chroma >= kSkinMinChroma && hue >= kSkinHueDeg[0] && hue <= kSkinHueDeg[1]) lab.push_back(c);
    }
  }
  if (lab.size() < 200 || static_cast<double>(lab.size()) < kMinSkinShare * static_cast<double>(region)) return std::nullopt;
  // Of those, leave out the darkest fifth (dark hair, dots, shadow) and the
  // brightest tenth (highlights), then take medians.
  std::sort(lab.begin(), lab.end(), [](const auto& p, const auto& q) { return p[0] < q[0]; });
  const std::size_t lo = lab.size() / 5, hi = std::max(lo + 1, lab.size() - lab.size() / 10);
  std::vector<double> ch[3];
  for (std::size_t i = lo; i < hi; ++i)
    for (std::size_t k = 0; k < 3; ++k) ch[k].push_back(lab[i][k]);
  const auto median = [](std::vector<double>& v) {
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  SkinTone s;
  s.L = median(ch[0]), s.a = median(ch[1]), s.b = median(ch[2]);
  s.ita_deg = ita_of(s.L, s.b);
  s.pixels = hi - lo;
  classify(s);
  return s;
}

Result<PhotoComposite> composite_photo(const design::Design& d, const scalp::Anatomy& a,
                                       const std::vector<pattern::Dot>& dots, int sessions, const cv::Mat& photo,
                                       const PhotoRegion& region, const cv::Mat& mask, const std::string& region_file,
                                       const PhotoOptions& o) {
  const int W = photo.cols, H = photo.rows;
  if (!mask.empty() && (mask.cols != W || mask.rows != H))
    return input_error(region_file, "mask", fmt::format("an image of the photo's size, {} x {}", W, H),
                       fmt::format("{} x {}", mask.cols, mask.rows));
  // The treated pixels: inside the polygon and, if given, the mask.
  cv::Mat treated(H, W, CV_8UC1, cv::Scalar::all(0));
  {
    std::vector<cv::Point> pts;
    for (const cv::Point2d& p : region.polygon) pts.emplace_back(cvRound(p.x * 16), cvRound(p.y * 16));
    cv::fillPoly(treated, std::vector<std::vector<cv::Point>>{pts}, cv::Scalar(255), cv::LINE_8, 4);
    if (!mask.empty()) cv::bitwise_and(treated, mask, treated);
  }
  const cv::Rect box = cv::boundingRect(treated);
  if (box.area() == 0)
    return input_error(region_file, "polygon", fmt::format("an outline over the photo ({} x {} pixels)", W, H),
                       "one that covers none of its pixels");

  // The head fitted to the photo: from clicked landmarks when there are any
  // (the view's camera turned, then a similarity), else the contract view's
  // camera and the similarity that carries the ends of its outline onto the
  // marked ones.
  const scalp::Ellipsoid& e = a.head().vault();
  Camera cam = camera_for(region.view, e, W, H);
  const auto scale_at = [&](const Camera& c) {
    const Vec3 top = e.center + Vec3{0, e.ay, 0};
    const Vec3 facing = region.view == View::top ? top : e.center;
    return c.focal / -dot(facing - c.eye, c.V);  // px per mm before the similarity
  };
  double s = 1;
  std::optional<LandmarkFit> fit;
  if (!region.landmarks.empty()) {
    fit = fit_landmarks(a, cam, region.landmarks, region.scale_mm ? std::optional<double>(cv::norm(region.scale_to - region.scale_from) /
                                                                                           *region.scale_mm)
                                                                   : std::nullopt);
    cam = fit->camera;
    s = std::hypot(cam.sa, cam.sb);
  } else {
    const auto [from0, to0] = head_ends(cam, e);
    const cv::Point2d model = to0 - from0, marked = region.head->second - region.head->first;
    s = cv::norm(marked) / cv::norm(model);
    if (region.scale_mm) s = cv::norm(region.scale_to - region.scale_from) / *region.scale_mm / scale_at(cam);
    const double roll = std::atan2(marked.y, marked.x) - std::atan2(model.y, model.x);
    cam.sa = s * std::cos(roll), cam.sb = s * std::sin(roll);
    const cv::Point2d m0 = 0.5 * (from0 + to0), m1 = 0.5 * (region.head->first + region.head->second);
    cam.tx = m1.x - (cam.sa * m0.x - cam.sb * m0.y);
    cam.ty = m1.y - (cam.sb * m0.x + cam.sa * m0.y);
  }
  const double px_per_mm = scale_at(cam);
  // Work in the box's own pixels: shift so that its corner is (0, 0).
  cam.tx -= box.x;
  cam.ty -= box.y;

  PhotoComposite out;
  out.meta.view = region.view;
  out.meta.stage = o.stage;
  out.meta.width = W;
  out.meta.height = H;
  out.meta.px_per_mm = px_per_mm * s;
  if (fit) {
    out.fit = fit;
    out.fit_landmarks = region.landmarks.size();
    if (fit->rms_px > kLandmarkMisfit * fit->head_px)
      out.warnings.push_back(fmt::format("the landmarks fit the head model loosely ({:.0f} px off on average): check that each is "
                                         "where its name says", fit->rms_px));
  }
  out.skin = measure_skin(photo, treated);
  if (!out.skin)
    out.warnings.push_back(has_colour(photo) ? "too little skin in the region to measure its tone (hair, a cap or shadow): no skin type is estimated"
                                             : "the photo has no colour (black and white): no skin type is estimated");
  out.suggested = design::pigment_for(d.pigment.hair_color, out.skin ? std::optional<int>(out.skin->fitzpatrick) : d.pigment.fitzpatrick);
  if (out.meta.px_per_mm < kMinDotPxPerMm)
    out.warnings.push_back(fmt::format("the photo shows the head at {:.1f} px/mm: dots of 0.3-0.7 mm are under {:.0f} px across, "
                                       "so the picture shows the treatment's shade, not its single dots",
                                       out.meta.px_per_mm, 0.7 * out.meta.px_per_mm < 1 ? 1.0 : std::ceil(0.7 * out.meta.px_per_mm)));

  const int fitz = d.pigment.fitzpatrick.value_or(out.skin ? out.skin->fitzpatrick : 3);
  const bool faded = o.stage.kind == Stage::Kind::years;
  const double years = faded ? o.stage.n : 0.0;
  const double contrast = faded ? contrast_after(years, o.sun, fitz) : 1.0;
  const StageDots sd = dots_for_stage(dots, sessions, o.stage);
  ThreadPool pool(std::max(1, o.threads));
  const std::size_t n = sd.healed.size() + sd.fresh.size();
  std::vector<Splat> made(n);
  std::vector<std::uint8_t> drawn(n, 0);
  constexpr std::size_t kChunk = 512;
  pool.for_each((n + kChunk - 1) / kChunk, [&](std::size_t c) {
    for (std::size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
      const bool fresh = i >= sd.healed.size();
      const pattern::Dot& dt = fresh ? *sd.fresh[i - sd.healed.size()] : *sd.healed[i];
      const Vec3 p{dt.x_mm, dt.y_mm, dt.z_mm};
      const Vec3 nrm = vault_normal(e, p);
      if (dot(nrm, cam.eye - p) <= 0) continue;  // on the far side of the head
      Splat& sp = made[i];
      if (!dot_splat(cam, dt, nrm, fresh, years, contrast, box.width, box.height, sp)) continue;
      const int cx = static_cast<int>(std::floor(sp.x)) + box.x, cy = static_cast<int>(std::floor(sp.y)) + box.y;
      if (cx < 0 || cy < 0 || cx >= W || cy >= H || !treated.at<std::uint8_t>(cy, cx)) continue;
      drawn[i] = 1;
    }
  });
  std::vector<Splat> pigment, fresh_only;
  for (std::size_t i = 0; i < n; ++i) {
    if (!drawn[i]) continue;
    ++out.meta.visible_dots;
    pigment.push_back(made[i]);
    if (i >= sd.healed.size()) fresh_only.push_back(made[i]);
  }
  if (n > 0 && pigment.empty())
    return input_error(region_file, "polygon", "an outline over scalp the design treats, seen from its view",
                       fmt::format("one where none of the stage's {} dots falls (check view and head)", n));
  const int tallest = sort_by_top(pigment, H), tallest_fresh = sort_by_top(fresh_only, H);

  cv::Mat od(box.height, box.width, CV_32FC3, cv::Scalar::all(0)), redness;
  if (!fresh_only.empty()) redness = cv::Mat(box.height, box.width, CV_32FC1, cv::Scalar::all(0));
  const int band = 32;
  pool.for_each(static_cast<std::size_t>((box.height + band - 1) / band), [&](std::size_t b) {
    const int r0 = static_cast<int>(b) * band, r1 = std::min(box.height, r0 + band);
    splat_rows(pigment, od, 3, r0, r1, tallest);
    if (!redness.empty()) splat_rows(fresh_only, redness, 1, r0, r1, tallest_fresh);
  });
  if (!redness.empty()) cv::GaussianBlur(redness, redness, cv::Size(0, 0), std::max(0.8, kRednessSigmaMm * out.meta.px_per_mm));

  // Pigment as a transmission over the photo's own light, inside the region only.
  out.image = photo.clone();
  // Redness shows as the skin lets it: the photo's own skin when measured.
  const double redness_gain = kRednessGain * redness_visibility(out.skin ? out.skin->L : skin_lightness(fitz));
  pool.for_each(static_cast<std::size_t>(box.height), [&](std::size_t r) {
    const int y = box.y + static_cast<int>(r);
    auto* px = out.image.ptr<cv::Vec3b>(y);
    const auto* m = treated.ptr<std::uint8_t>(y);
    const float* odr = od.ptr<float>(static_cast<int>(r));
    const float* red = redness.empty() ? nullptr : redness.ptr<float>(static_cast<int>(r));
    for (int i = 0; i < box.width; ++i) {
      const int x = box.x + i;
      if (!m[x]) continue;
      const float* odp = odr + 3 * i;
      const double rd = red ? std::clamp(static_cast<double>(red[i]) * redness_gain, 0.0, 1.0) : 0.0;
      if (odp[0] <= 0 && odp[1] <= 0 && odp[2] <= 0 && rd <= 0) continue;
      for (int k = 0; k < 3; ++k) {
        const auto ch = static_cast<std::size_t>(k);
        const double lin = static_cast<double>(srgb8_to_linear(px[x][2 - k])) * (1 - kRednessLoss[ch] * rd) *
                           static_cast<double>(std::exp(-odp[k]));
        px[x][2 - k] = to_srgb8(lin);
      }
    }
  });
  return out;
}

io::Json photo_meta_json(const PhotoComposite& c) {
  io::Json j = render_meta_json(c.meta);
  if (c.skin)
    j["skin"] = {{"L", std::round(c.skin->L * 10) / 10},
                 {"a", std::round(c.skin->a * 10) / 10},
                 {"b", std::round(c.skin->b * 10) / 10},
                 {"ita_deg", std::round(c.skin->ita_deg * 10) / 10},
                 {"category", c.skin->category},
                 {"fitzpatrick_estimate", c.skin->fitzpatrick},
                 {"pixels", c.skin->pixels}};
  if (c.fit)
    j["fit"] = {{"landmarks", c.fit_landmarks},
                {"yaw_deg", std::round(c.fit->yaw_deg * 10) / 10},
                {"pitch_deg", std::round(c.fit->pitch_deg * 10) / 10},
                {"rms_px", std::round(c.fit->rms_px * 10) / 10}};
  if (!c.warnings.empty()) j["warnings"] = c.warnings;
  j["suggested_pigment"] = {{"shade", c.suggested.shade}, {"water_percent", c.suggested.water_percent}};
  return j;
}

}  // namespace stipple::simulate
