#include "simulate_cli.h"

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <cstdio>
#include <ostream>

#include "pattern_cli.h"
#include "stipple/io/files.h"
#include "stipple/pattern/dots_io.h"
#include "stipple/pattern/pattern.h"
#include "stipple/photo/codec.h"
#include "stipple/simulate/photo.h"
#include "stipple/simulate/render.h"

namespace stipple::cli {

namespace {

// The image encoding of an output name, or empty.
std::string image_extension(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos) return {};
  std::string ext = path.substr(dot);
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (ext == ".jpeg") ext = ".jpg";
  return ext == ".png" || ext == ".jpg" || ext == ".webp" ? ext : std::string{};
}

// "WxH" with both sides 64-8192 px.
bool parse_size(const std::string& s, int& w, int& h) {
  const std::size_t x = s.find('x');
  if (x == std::string::npos) return false;
  const auto num = [](std::string_view t, int& v) {
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return ec == std::errc() && end == t.data() + t.size() && v >= 64 && v <= 8192;
  };
  return num(std::string_view(s).substr(0, x), w) && num(std::string_view(s).substr(x + 1), h);
}

// While alive, the process's stderr goes to /dev/null: libjpeg and libpng
// (inside OpenCV's decoders) print their own warnings there, and a damaged
// photo must give the one line of our refusal, nothing else. The command is
// single-threaded while it decodes.
class QuietStderr {
 public:
  QuietStderr() {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved_ >= 0 && null >= 0) ::dup2(null, 2);
    if (null >= 0) ::close(null);
  }
  ~QuietStderr() {
    std::fflush(stderr);
    if (saved_ >= 0) {
      ::dup2(saved_, 2);
      ::close(saved_);
    }
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int saved_ = -1;
};

Result<cv::Mat> decode_quietly(const std::string& bytes, const std::string& file) {
  const QuietStderr quiet;
  return simulate::decode_photo(bytes, file);
}

// Reads the photo, the region and its mask, and composites the stage.
Result<simulate::PhotoComposite> photo_composite(const SimulateCommand& c, const LoadedDesign& loaded,
                                                 const std::vector<pattern::Dot>& dots, int sessions,
                                                 const simulate::RenderOptions& o, const Streams& io) {
  auto photo_bytes = io::read_input(c.photo, simulate::kMaxPhotoBytes, io.in);
  if (!photo_bytes) return std::unexpected(photo_bytes.error());
  auto photo = decode_quietly(*photo_bytes, c.photo);
  if (!photo) return std::unexpected(photo.error());
  photo_bytes->clear();
  auto region_text = io::read_input(c.region, std::size_t{4} << 20, io.in);
  if (!region_text) return std::unexpected(region_text.error());
  auto region = simulate::parse_photo_region(*region_text, c.region, io.read);
  if (!region) return std::unexpected(region.error());
  cv::Mat mask;
  if (!region->mask.empty()) {
    const std::filesystem::path base = c.region == "-" ? std::filesystem::path{} : std::filesystem::path(c.region).parent_path();
    const std::string mask_file = (base / region->mask).string();
    auto mask_bytes = io::read_input(mask_file, simulate::kMaxPhotoBytes, io.in);
    if (!mask_bytes) return std::unexpected(mask_bytes.error());
    auto m = decode_quietly(*mask_bytes, mask_file);
    if (!m) return std::unexpected(m.error());
    cv::cvtColor(*m, mask, cv::COLOR_BGR2GRAY);
    cv::threshold(mask, mask, 127, 255, cv::THRESH_BINARY);
  }
  simulate::PhotoOptions po;
  po.stage = o.stage;
  po.sun = o.sun;
  po.threads = o.threads;
  return simulate::composite_photo(loaded.design, loaded.anatomy, dots, sessions, *photo, *region, mask, c.region, po);
}

}  // namespace

void add_simulate_command(CLI::App& app, SimulateCommand& c) {
  c.cmd = app.add_subcommand("simulate", "Photoreal pictures of the result on the head, stage by stage.");
  c.cmd->add_option("DESIGN", c.design, "Design file (stipple.design/1), or - for stdin")->required();
  c.cmd->add_option("--dots", c.dots, "Dot file of `stipple pattern` (default: the design's pattern, made now)");
  c.cmd->add_option("-o,--output", c.output, "Image file: .png, .jpg or .webp")->required();
  c.cmd->add_option("--view", c.view, "top, front, back, left, right or three_quarter (default top)")
      ->check(CLI::IsMember({"top", "front", "back", "left", "right", "three_quarter"}));
  c.cmd->add_option("--stage", c.stage, "before, fresh, session-N, healed (default) or years-N");
  c.cmd->add_option("--size", c.size, "Image (or sheet tile) size WxH in pixels, 64-8192 (default 1200x1200)");
  c.cmd->add_option("--sheet", c.sheet, "A labelled contact sheet: progression or timeline")
      ->check(CLI::IsMember({"progression", "timeline"}));
  c.cmd->add_option("--sun", c.sun, "Sun exposure over the years: low, moderate (default) or high")
      ->check(CLI::IsMember({"low", "moderate", "high"}));
  c.cmd->add_option("--photo", c.photo, "The client's photo (JPEG or PNG): composite the result onto it");
  c.cmd->add_option("--region", c.region, "With --photo: the treatment region (stipple.photo-region/1)");
  c.cmd->add_option("--meta", c.meta, "Write stipple.render-meta/1 here");
  c.cmd->add_option("--labels", c.labels,
                    "Write a PNG of what each pixel shows: 0 background, 1 skin, 2 remaining hair, 3 treated area, 4 face, ears and neck");
  c.cmd->add_option("--intake", c.intake, "The client's intake (stipple.intake/1): its sun exposure, unless --sun is given");
  c.cmd->add_option("--seed", c.seed, "Seed (default: the design's)");
  c.cmd->add_option("--close-up", c.close_up_mm,
                    "A close-up: the picture's shorter side spans this many mm (20-200) round the middle of the treated area in view");
  c.cmd->add_option("--threads", c.threads, "Worker threads (default: every core)")->check(CLI::Range(0, 256));
}

int run_simulate(const SimulateCommand& c, const Streams& io) {
  const std::string ext = image_extension(c.output);
  if (ext.empty())
    return bad_input(io, {c.output, "extension", "an image name ending .png, .jpg, .jpeg or .webp", "another name"});
  if (!c.photo.empty() || !c.region.empty()) {
    if (c.photo.empty()) return bad_input(io, {"--region", "region", "--photo with the client's photo beside --region", "no photo"});
    if (c.region.empty()) return bad_input(io, {"--photo", "region", "--region with the treatment region on the photo", "no region"});
    if (!c.sheet.empty()) return bad_input(io, {"--sheet", "sheet", "no sheet with --photo (one stage on the photo)", c.sheet});
    if (c.cmd && (c.cmd->count("--size") || c.cmd->count("--view")))
      return bad_input(io, {c.cmd->count("--size") ? "--size" : "--view", "option",
                            "neither --size nor --view with --photo (the photo's size, the region's view)", "given"});
  }
  simulate::RenderOptions o;
  if (!parse_size(c.size, o.width, o.height)) return bad_input(io, {"--size", "size", "WxH, each 64 to 8192 pixels", c.size});
  const auto stage = simulate::parse_stage(c.stage);
  if (!stage) return bad_input(io, {"--stage", "stage", "before, fresh, session-1..4, healed or years-0..30", c.stage});
  o.stage = *stage;
  o.view = *enum_from_string<simulate::View>(c.view);
  o.sun = *enum_from_string<simulate::Sun>(c.sun);
  o.threads = thread_count(c.threads);
  o.labels = !c.labels.empty();
  if (c.close_up_mm != 0 && !(c.close_up_mm >= 20 && c.close_up_mm <= 200))
    return bad_input(io, {"--close-up", "close_up_mm", "20 to 200 mm of the scalp", fmt::format("{}", c.close_up_mm)});
  if (c.close_up_mm != 0 && !c.photo.empty())
    return bad_input(io, {"--close-up", "close_up_mm", "no --close-up with --photo (the photo's own framing)", "given"});
  o.close_up_mm = c.close_up_mm;
  if (!c.labels.empty() && !c.photo.empty())
    return bad_input(io, {"--labels", "labels", "no --labels with --photo (labels are of the rendered head)", c.labels});
  if (!c.labels.empty() && image_extension(c.labels) != ".png")
    return bad_input(io, {c.labels, "extension", "a labels picture name ending .png", "another name"});

  auto loaded = load_design(c.design, c.seed, io);
  if (!loaded) return bad_input(io, loaded.error());
  if (!c.intake.empty()) {
    auto intake = read_client_intake(c.intake, *loaded, c.design, io);
    if (!intake) return bad_input(io, intake.error());
    const bool sun_given = c.cmd && c.cmd->count("--sun") > 0;
    if (const auto& sun = intake->intake.lifestyle.sun_exposure; sun && !sun_given)
      o.sun = *enum_from_string<simulate::Sun>(to_string(*sun));
  }
  std::vector<pattern::Dot> dots;
  int sessions = loaded->design.sessions;
  if (!c.dots.empty()) {
    auto bytes = io::read_input(c.dots, std::size_t{1} << 30, io.in);
    if (!bytes) return bad_input(io, bytes.error());
    auto file = pattern::read_dots(*bytes, c.dots);
    if (!file) return bad_input(io, file.error());
    dots = std::move(file->dots);
    sessions = file->sessions;
  } else {
    pattern::PatternOptions po;
    po.threads = o.threads;
    auto p = pattern::make_pattern(loaded->design, loaded->anatomy, po);
    if (!p) {
      InputError e = p.error();
      e.file = c.design == "-" ? "<stdin>" : c.design;
      return bad_input(io, e);
    }
    dots = std::move(p->dots);
  }
  if (o.stage.kind == simulate::Stage::Kind::session && o.stage.n > sessions)
    return bad_input(io, {"--stage", "stage", fmt::format("a session from 1 to {} (the plan's sessions)", sessions), c.stage});

  simulate::Rendered r;
  std::optional<simulate::PhotoComposite> photo;
  if (!c.photo.empty()) {
    auto composite = photo_composite(c, *loaded, dots, sessions, o, io);
    if (!composite) return bad_input(io, composite.error());
    photo = std::move(*composite);
    r.image = photo->image;
    if (photo->skin)
      io.out << fmt::format("skin in the region: L* {:.1f} a* {:.1f} b* {:.1f}, ITA {:.0f} deg ({}, about type {}); "
                            "suggested pigment: shade {:.2f}, {}% water\n",
                            photo->skin->L, photo->skin->a, photo->skin->b, photo->skin->ita_deg, photo->skin->category,
                            photo->skin->fitzpatrick, photo->suggested.shade, photo->suggested.water_percent);
    else
      io.out << fmt::format("skin in the region: not measured; suggested pigment from the design: shade {:.2f}, {}% water\n",
                            photo->suggested.shade, photo->suggested.water_percent);
    if (photo->fit)
      io.out << fmt::format("head fitted to {} landmarks: the view turned {:+.0f} deg about the vertical and {:+.0f} deg about the "
                            "horizontal, {:.1f} px off on average\n",
                            photo->fit_landmarks, photo->fit->yaw_deg, photo->fit->pitch_deg, photo->fit->rms_px);
    for (const std::string& w : photo->warnings) io.err << "stipple: warning: " << w << "\n";
  } else if (!c.sheet.empty()) {
    const auto sheet = *enum_from_string<simulate::Sheet>(c.sheet);
    const simulate::Scene scene(loaded->design, loaded->anatomy, o.threads);
    // Progress on a terminal only, rewritten in place and cleared when done:
    // a log file or a pipe gets no lines that could be read as errors.
    r = simulate::render_sheet(scene, dots, sessions, sheet, o, [&](int done, int total) {
      if (!io.err_is_terminal) return;
      io.err << fmt::format("\rsimulating: picture {} of {}", done, total);
      if (done == total) io.err << "\r\033[K";
      io.err << std::flush;
    });
  } else {
    r = simulate::render_head(loaded->design, loaded->anatomy, dots, sessions, o);
  }
  const std::string buf = ext == ".jpg" ? photo::encode_jpeg(r.image, 92) : ext == ".webp" ? photo::encode_webp(r.image, 90) : photo::encode_png(r.image);
  if (buf.empty()) {
    io.err << "stipple: internal error: the image could not be encoded as " << ext << "\n";
    return kExitInternal;
  }
  if (auto w = io::write_output(c.output, buf, io.out); !w)
    return bad_input(io, w.error());
  if (!c.labels.empty()) {
    const std::string png = photo::encode_png(r.labels);
    if (png.empty()) {
      io.err << "stipple: internal error: the labels could not be encoded as PNG\n";
      if (c.output != "-") std::remove(c.output.c_str());
      return kExitInternal;
    }
    if (auto w = io::write_output(c.labels, png, io.out); !w) {
      if (c.output != "-") std::remove(c.output.c_str());
      return bad_input(io, w.error());
    }
  }
  if (!c.meta.empty()) {
    const io::Json meta = photo ? simulate::photo_meta_json(*photo) : simulate::render_meta_json(r.meta);
    if (auto w = io::write_output(c.meta, io::dump_document(meta), io.out); !w) {
      if (c.output != "-") std::remove(c.output.c_str());
      if (!c.labels.empty() && c.labels != "-") std::remove(c.labels.c_str());
      return bad_input(io, w.error());
    }
  }
  return kExitOk;
}

}  // namespace stipple::cli
