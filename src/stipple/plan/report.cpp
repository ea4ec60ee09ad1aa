#include "stipple/plan/report.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <memory>

#include "stipple/assess/gate.h"
#include "stipple/plan/money.h"

namespace stipple::plan {

namespace {

// --- Page geometry and type (points, 1/72 inch) ---
// A4 is 210 x 297 mm, US Letter 8.5 x 11 in. Margins of 20 mm; body text
// 10 pt DejaVu Sans on 13 pt lines, headings in the same family, bold. Pango
// lays out at 72 units per inch here, so a font's size is its size in points.
constexpr double kMargin = 56.7;
constexpr double kFooter = 28;
//
// DejaVu Sans sets Latin, Greek and Cyrillic. Letters it does not have come
// from the fonts after it, in order (Debian's fonts-noto-core, fonts-noto-cjk,
// fonts-symbola): Noto Sans for rarer Latin, Devanagari, Thai (looped, the
// letterforms of Thai print and schoolbooks), Arabic and
// Hebrew (script_runs below also marks their runs), Noto Sans CJK for
// Chinese, Japanese and Korean (Simplified Chinese forms unless script_runs
// names the language), and Symbola for emoji. Pango shapes each run (joining Arabic letters, right-to-left order,
// Devanagari conjuncts, Thai marks) and Cairo embeds only the glyphs used.
#define STIPPLE_REPORT_FONTS \
  "DejaVu Sans, Noto Sans, Noto Sans Devanagari, Noto Looped Thai, Noto Sans Arabic, Noto Sans Hebrew, Noto Sans CJK SC, Symbola"
constexpr const char* kBody = STIPPLE_REPORT_FONTS " 10";
constexpr const char* kSmall = STIPPLE_REPORT_FONTS " 8.5";
constexpr const char* kHeading = STIPPLE_REPORT_FONTS " Bold 14";
constexpr const char* kTitle = STIPPLE_REPORT_FONTS " Bold 22";
#undef STIPPLE_REPORT_FONTS
constexpr double kAccent[3] = {0.16, 0.33, 0.42};  // headings and rules: a muted slate blue

// Runs of a script that want a font of their own, marked for Pango:
// - Arabic and Hebrew in Noto Sans Arabic and Noto Sans Hebrew (DejaVu Sans
//   has both scripts, but its Hebrew and bold Arabic read back from the PDF
//   with spaces inside words);
// - CJK Unified Ideographs, kana and Hangul share one code space but not one
//   glyph shape: a run holding kana is set in Noto Sans CJK JP, one holding
//   Hangul in Noto Sans CJK KR; others keep the fallback's Simplified Chinese
//   forms.
// A run takes in the spaces between its words (a name's parts). `text` is
// escaped markup (its `&...;` are ASCII) and valid UTF-8.
std::string script_runs(const std::string& text) {
  enum class Kind { other, arabic, hebrew, han, kana, hangul };
  const auto kind = [](char32_t c) {
    if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x08A0 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
        (c >= 0xFE70 && c <= 0xFEFF))
      return Kind::arabic;
    if ((c >= 0x0590 && c <= 0x05FF) || (c >= 0xFB1D && c <= 0xFB4F)) return Kind::hebrew;
    if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F)) return Kind::kana;
    if ((c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) || (c >= 0xAC00 && c <= 0xD7AF)) return Kind::hangul;
    if ((c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3000 && c <= 0x303F) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
        (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFF65) || (c >= 0x20000 && c <= 0x3FFFF))
      return Kind::han;
    return Kind::other;
  };
  const auto group = [](Kind k) { return k == Kind::kana || k == Kind::hangul ? Kind::han : k; };
  // The code point at i and its length in octets.
  const auto decode = [&](std::size_t i, std::size_t& n) {
    const auto lead = static_cast<unsigned char>(text[i]);
    n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? lead : lead & (0x7F >> n);
    for (std::size_t k = 1; k < n && i + k < text.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    return c;
  };
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = 0;
    const Kind first = group(kind(decode(i, n)));
    if (first == Kind::other) {
      out.append(text, i, n);
      i += n;
      continue;
    }
    std::size_t end = i, last = i;  // last: the end of the run's last letter
    bool kana = false, hangul = false;
    while (end < text.size()) {
      const char32_t c = decode(end, n);
      const Kind k = kind(c);
      if (group(k) != first && c != ' ') break;
      kana = kana || k == Kind::kana;
      hangul = hangul || k == Kind::hangul;
      end += n;
      if (c != ' ') last = end;
    }
    const std::string run = text.substr(i, last - i);
    const char* font = first == Kind::arabic ? "Noto Sans Arabic"
                       : first == Kind::hebrew ? "Noto Sans Hebrew"
                       : kana                  ? "Noto Sans CJK JP"
                       : hangul                ? "Noto Sans CJK KR"
                                               : nullptr;
    out += font ? fmt::format("<span font_family=\"{}\">{}</span>", font, run) : run;
    i = last;
  }
  return out;
}

// Text for Pango markup: <, > and & escaped, control characters other than
// line breaks and tabs dropped (they have no glyph; the texts are UTF-8, as
// the JSON parser checked); runs of some scripts marked (script_runs).
std::string esc(std::string_view text) {
  std::string s;
  s.reserve(text.size());
  for (const char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if ((u < 0x20 && ch != '\n' && ch != '\t') || u == 0x7f) continue;
    s += ch;
  }
  char* e = g_markup_escape_text(s.data(), static_cast<gssize>(s.size()));
  std::string out(e);
  g_free(e);
  return script_runs(out);
}

// The report's fonts: the system's fontconfig set-up and fonts, less every
// colour font. Cairo 1.16's PDF surface draws a colour glyph (Noto Color
// Emoji) as a picture, which prints but no reader can copy or search; with
// colour fonts left out, emoji come from Symbola's outlines as text. One map
// a thread (Pango's font maps are not shared between threads), freed with it.
PangoFontMap* report_font_map() {
  struct Holder {
    PangoFontMap* map;
    Holder() : map(pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT)) {
      FcConfig* config = FcInitLoadConfig();  // the system's configuration, before its fonts are read
      static constexpr char kNoColour[] =
          "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig><selectfont><rejectfont><pattern>"
          "<patelt name=\"color\"><bool>true</bool></patelt></pattern></rejectfont></selectfont></fontconfig>";
      FcConfigParseAndLoadFromMemory(config, reinterpret_cast<const FcChar8*>(kNoColour), FcFalse);
      FcConfigBuildFonts(config);
      pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), config);  // takes its own reference
      FcConfigDestroy(config);
    }
    ~Holder() { g_object_unref(map); }
  };
  thread_local Holder holder;
  return holder.map;
}

struct LayoutFree {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using Layout = std::unique_ptr<PangoLayout, LayoutFree>;

// Lays out the report page by page on a cairo context. Run twice: once to
// count the pages (drawing into a PDF that is thrown away), once for real.
class Doc {
 public:
  Doc(cairo_t* cr, double w, double h, std::string footer, int total)
      : cr_(cr), w_(w), h_(h), footer_(std::move(footer)), total_(total) {
    begin_page();
  }
  int pages() const { return page_; }
  double width() const { return w_ - 2 * kMargin; }
  double body_height() const { return bottom() - kMargin; }

  Layout layout(const std::string& markup, const char* font, double width, PangoAlignment align = PANGO_ALIGN_LEFT) {
    PangoContext* context = pango_font_map_create_context(report_font_map());
    pango_cairo_update_context(cr_, context);
    Layout l(pango_layout_new(context));
    g_object_unref(context);
    pango_cairo_context_set_resolution(pango_layout_get_context(l.get()), 72);
    pango_layout_context_changed(l.get());
    pango_layout_set_line_spacing(l.get(), 1.12f);
    PangoFontDescription* fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(l.get(), fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l.get(), align);
    pango_layout_set_markup(l.get(), markup.c_str(), -1);
    return l;
  }
  static double height(const Layout& l) {
    int w = 0, h = 0;
    pango_layout_get_size(l.get(), &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  void show(const Layout& l, double x, double y, const double* rgb = nullptr) {
    cairo_save(cr_);
    if (rgb) cairo_set_source_rgb(cr_, rgb[0], rgb[1], rgb[2]);
    else cairo_set_source_rgb(cr_, 0.1, 0.1, 0.1);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, l.get());
    cairo_restore(cr_);
  }
  // Room for `need` points below the cursor, or a new page.
  void ensure(double need) {
    if (y_ + need > bottom() && y_ > kMargin + 1) new_page();
  }
  void new_page() {
    end_page();
    cairo_show_page(cr_);
    begin_page();
  }

  void title(const std::string& text, const std::string& sub) {
    Layout t = layout(esc(text), kTitle, width());
    show(t, kMargin, y_, kAccent);
    y_ += height(t) + 4;
    Layout s = layout(sub, kBody, width());
    show(s, kMargin, y_);
    y_ += height(s) + 10;
    rule();
  }
  // Headings and sub-headings wait for the block that follows them and go
  // onto the page with it, so that none is left alone at the foot of a page.
  void heading(const std::string& text) { keep(layout(esc(text), kHeading, width()), 10, 6, kAccent); }
  void subheading(const std::string& text, double indent = 0) {
    keep(layout("<b>" + esc(text) + "</b>", kBody, width() - indent), 2, 3, nullptr, indent);
  }
  void paragraph(const std::string& markup, const char* font = kBody, double indent = 0) {
    Layout l = layout(markup, font, width() - indent);
    place(std::min(height(l), bottom() - kMargin));
    flow(l, kMargin + indent);
    y_ += 5;
  }
  void bullet(const std::string& markup, double indent = 0) {
    Layout l = layout(markup, kBody, width() - indent - 12);
    place(std::min(height(l), bottom() - kMargin));
    Layout dot = layout("\u2022", kBody, 12);
    show(dot, kMargin + indent, y_, kAccent);
    flow(l, kMargin + indent + 12);
    y_ += 3;
  }
  // An item of a numbered list: its number where a bullet's dot would be.
  void numbered(int number, const std::string& markup, double indent = 0) {
    Layout l = layout(markup, kBody, width() - indent - 16);
    place(std::min(height(l), bottom() - kMargin));
    Layout n = layout(fmt::format("<b>{}.</b>", number), kBody, 16);
    show(n, kMargin + indent, y_, kAccent);
    flow(l, kMargin + indent + 16);
    y_ += 3;
  }
  // A layout at the cursor; one taller than the room left runs on over the
  // next pages, a line at a time.
  void flow(const Layout& l, double x) {
    if (y_ + height(l) <= bottom()) {
      show(l, x, y_);
      y_ += height(l);
      return;
    }
    PangoLayoutIter* it = pango_layout_get_iter(l.get());
    double origin = y_, top = 0;  // the page's first line: where it goes, where it is in the layout
    cairo_save(cr_);
    do {
      PangoRectangle line;
      pango_layout_iter_get_line_extents(it, nullptr, &line);
      const double ly = static_cast<double>(line.y) / PANGO_SCALE, lh = static_cast<double>(line.height) / PANGO_SCALE;
      if (origin + (ly - top) + lh > bottom() && ly > top) {
        cairo_restore(cr_);
        new_page();
        cairo_save(cr_);
        origin = y_;
        top = ly;
      }
      cairo_set_source_rgb(cr_, 0.1, 0.1, 0.1);
      cairo_move_to(cr_, x + static_cast<double>(line.x) / PANGO_SCALE,
                    origin + static_cast<double>(pango_layout_iter_get_baseline(it)) / PANGO_SCALE - top);
      pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(it));
    } while (pango_layout_iter_next_line(it));
    cairo_restore(cr_);
    pango_layout_iter_free(it);
    y_ = origin + height(l) - top;
  }
  // A table: column widths as fractions of the text width, right-aligned
  // columns flagged; the header row in bold over a rule, repeated on each
  // page the table runs onto. Cells keep 12 points clear of the next column.
  // `keep_after` points of what follows stay on the page of a short table.
  void table(const std::vector<double>& cols, const std::vector<bool>& right, const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows, const std::vector<std::string>& footer = {},
             double keep_after = 0) {
    const auto row_layouts = [&](const std::vector<std::string>& cells, bool bold) {
      std::vector<Layout> ls;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        const double w = cols[i] * width() - (i + 1 == cells.size() ? 0 : 12);
        ls.push_back(layout(bold ? "<b>" + cells[i] + "</b>" : cells[i], kBody, w,
                            right[i] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT));
      }
      return ls;
    };
    const auto row_height = [](const std::vector<Layout>& ls) {
      double h = 0;
      for (const Layout& l : ls) h = std::max(h, height(l));
      return h + 4;
    };
    const auto draw_row = [&](const std::vector<Layout>& ls) {
      double x = kMargin;
      for (std::size_t i = 0; i < ls.size(); ++i) {
        show(ls[i], x, y_);
        x += cols[i] * width();
      }
      y_ += row_height(ls);
    };
    const std::vector<Layout> head = header.empty() ? std::vector<Layout>{} : row_layouts(header, true);
    const double head_h = head.empty() ? 0 : row_height(head) + 6;
    const auto draw_head = [&] {
      if (head.empty()) return;
      draw_row(head);
      rule(0.5);
    };
    std::vector<std::vector<Layout>> body;
    for (const auto& r : rows) body.push_back(row_layouts(r, false));
    const std::vector<Layout> foot = footer.empty() ? std::vector<Layout>{} : row_layouts(footer, true);
    const double foot_h = foot.empty() ? 0 : row_height(foot) + 6;
    // A short table stays whole; a long one breaks between rows.
    double whole = head_h + foot_h;
    for (const auto& ls : body) whole += row_height(ls);
    const bool together = whole < 0.4 * body_height();
    if (together) whole += keep_after;  // the notes that belong with it
    for (std::size_t r = 0; r < body.size(); ++r) {
      const double h = row_height(body[r]);
      if (r == 0) {
        place(together ? whole : head_h + h);
        draw_head();
      } else if (y_ + h > bottom()) {
        new_page();
        draw_head();
      }
      draw_row(body[r]);
    }
    if (!foot.empty()) {
      if (y_ + foot_h > bottom()) new_page();
      rule(0.5);
      draw_row(foot);
    }
    y_ += 4;
  }
  // Pictures side by side, centred, together `share` of the text width (each
  // keeping its proportions) over their captions in italics. The row shrinks
  // towards `min_share` when that keeps it on the current page, and to
  // `max_height` points at most. False when a picture is not a readable PNG.
  bool pictures(const std::vector<const ReportPicture*>& row, double share = 1.0, double min_share = 0,
                double max_height = 1e9) {
    constexpr double kGap = 12;
    const double n = static_cast<double>(row.size());
    std::vector<Surface> images;
    for (const ReportPicture* p : row) {
      images.push_back(decode(p->png));
      if (!images.back()) return false;
      if (!p->jpeg.empty())  // the bytes outlive the document (they are the caller's)
        cairo_surface_set_mime_data(images.back().get(), CAIRO_MIME_TYPE_JPEG,
                                    reinterpret_cast<const unsigned char*>(p->jpeg.data()), p->jpeg.size(), nullptr,
                                    nullptr);
    }
    // The row's height at a share of the width, with the captions laid out.
    std::vector<Layout> captions;
    double w = 0, tallest = 0;
    const auto measure = [&](double sh) {
      w = (width() * sh - kGap * (n - 1)) / n;
      captions.clear();
      tallest = 0;
      for (std::size_t i = 0; i < row.size(); ++i) {
        captions.push_back(layout("<i>" + esc(row[i]->caption) + "</i>", kSmall, w, PANGO_ALIGN_CENTER));
        const double h =
            cairo_image_surface_get_height(images[i].get()) * w / cairo_image_surface_get_width(images[i].get());
        tallest = std::max(tallest, h + 4 + height(captions.back()) + 8);
      }
    };
    measure(share);
    if (tallest > max_height) {  // heights scale with the share
      share *= max_height / tallest;
      measure(share);
    }
    if (min_share > 0 && min_share < share && kept_height() + tallest > bottom() - y_) {
      const double fitted = share * (bottom() - y_ - kept_height()) / tallest;  // heights scale with the share
      if (fitted >= min_share) {
        share = fitted * 0.98;  // captions wrap differently; keep a margin
        measure(share);
      }
    }
    place(tallest);
    const double x0 = kMargin + (width() - width() * share) / 2;
    for (std::size_t i = 0; i < images.size(); ++i) {
      const double x = x0 + static_cast<double>(i) * (w + kGap);
      const double s = w / cairo_image_surface_get_width(images[i].get());
      const double h = cairo_image_surface_get_height(images[i].get()) * s;
      cairo_save(cr_);
      cairo_translate(cr_, x, y_);
      cairo_scale(cr_, s, s);
      cairo_set_source_surface(cr_, images[i].get(), 0, 0);
      cairo_pattern_set_filter(cairo_get_source(cr_), CAIRO_FILTER_GOOD);
      cairo_paint(cr_);
      cairo_restore(cr_);
      show(captions[i], x, y_ + h + 4);
    }
    y_ += tallest;
    return true;
  }
  void finish() {
    place(0);
    end_page();
  }

 private:
  void rule(double width = 1.0) {
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, kAccent[0], kAccent[1], kAccent[2]);
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, kMargin, y_);
    cairo_line_to(cr_, w_ - kMargin, y_);
    cairo_stroke(cr_);
    cairo_restore(cr_);
    y_ += 6;
  }
  struct SurfaceFree {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
  };
  using Surface = std::unique_ptr<cairo_surface_t, SurfaceFree>;

  // A PNG decoded into an image surface, or null.
  static Surface decode(const std::string& png) {
    struct Reader {
      const std::string* s;
      std::size_t at = 0;
    } rd{&png};
    Surface img(cairo_image_surface_create_from_png_stream(
        [](void* c, unsigned char* data, unsigned int n) {
          auto* r = static_cast<Reader*>(c);
          if (r->at + n > r->s->size()) return CAIRO_STATUS_READ_ERROR;
          std::memcpy(data, r->s->data() + r->at, n);
          r->at += n;
          return CAIRO_STATUS_SUCCESS;
        },
        &rd));
    if (cairo_surface_status(img.get()) != CAIRO_STATUS_SUCCESS) return nullptr;
    return img;
  }

  double bottom() const { return h_ - kMargin - kFooter; }
  // A heading waiting for its block.
  struct Kept {
    Layout layout;
    double before, after, indent;
    const double* rgb;
  };
  void keep(Layout l, double before, double after, const double* rgb, double indent = 0) {
    kept_.push_back({std::move(l), before, after, indent, rgb});
  }
  // Room for a block `need` points tall together with the headings waiting
  // for it (a new page otherwise), and the headings drawn.
  double kept_height() const {
    double h = 0;
    for (const Kept& k : kept_) h += k.before + height(k.layout) + k.after;
    return h;
  }
  void place(double need) {
    ensure(kept_height() + need);
    for (const Kept& k : kept_) {
      if (y_ > kMargin + 1) y_ += k.before;
      show(k.layout, kMargin + k.indent, y_, k.rgb);
      y_ += height(k.layout) + k.after;
    }
    kept_.clear();
  }
  void begin_page() {
    ++page_;
    y_ = kMargin;
  }
  void end_page() {
    const std::string right = total_ > 0 ? fmt::format("page {} of {}", page_, total_) : fmt::format("page {}", page_);
    Layout l = layout(esc(footer_), kSmall, width() * 0.7);
    pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);  // one line, however long the names
    Layout r = layout(esc(right), kSmall, width() * 0.3, PANGO_ALIGN_RIGHT);
    const double y = h_ - kMargin - height(l);  // the foot of the text area, below the body
    const double grey[3] = {0.45, 0.45, 0.45};
    show(l, kMargin, y, grey);
    show(r, kMargin + width() * 0.7, y, grey);
  }

  cairo_t* cr_;
  double w_, h_;
  std::string footer_;
  int total_;
  int page_ = 0;
  double y_ = kMargin;
  std::vector<Kept> kept_;
};

std::string look_words(design::Look l) {
  switch (l) {
    case design::Look::shaved: return "the shaved look (a close buzz cut)";
    case design::Look::density: return "added density under longer hair";
    case design::Look::scar_camouflage: return "scar camouflage";
    case design::Look::patch_camouflage: return "camouflage of the bald patches";
  }
  return "";
}

std::string scar_words(assess::ScarKind k) {
  switch (k) {
    case assess::ScarKind::FUT: return "a transplant strip (FUT) scar";
    case assess::ScarKind::FUE: return "transplant (FUE) punch scars";
    case assess::ScarKind::surgical: return "a surgical scar";
    case assess::ScarKind::burn: return "a burn scar";
    case assess::ScarKind::injury: return "a scar from an injury";
  }
  return "a scar";
}

std::string weekday_date(Day d) {
  static constexpr const char* kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  const std::chrono::weekday wd{d};
  return fmt::format("{} {}", kDays[wd.c_encoding()], format_date(d));
}

// "a", "a and b", "a, b and c".
template <typename T>
std::string words_list(const std::vector<T>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += fmt::format("{}{}", i == 0 ? "" : i + 1 == items.size() ? " and " : ", ", items[i]);
  return out;
}

std::string money(const Quote& q, std::int64_t minor) {
  return fmt::format("{} {}", q.currency, format_amount_grouped(minor, q.decimals));
}

// Everything, in reading order.
Result<void> lay_out(Doc& doc, const ReportInputs& in, const std::string& file) {
  const design::Design& d = *in.design;
  const Plan& p = *in.plan;
  const Clinic& c = *in.clinic;
  const std::string client = d.client_name.value_or("Client");

  std::string sub = fmt::format("<b>{}</b>", esc(client));
  sub += fmt::format("\n{}", esc(c.name));
  if (!c.address.empty()) sub += fmt::format(" · {}", esc(c.address));
  if (!c.phone.empty()) sub += fmt::format(" · {}", esc(c.phone));
  if (!c.email.empty()) sub += fmt::format(" · {}", esc(c.email));
  sub += fmt::format("\nIssued {}", esc(format_date(in.issued)));
  doc.title("Scalp micropigmentation: your consultation", sub);

  // --- Summary ---
  doc.heading("At a glance");
  std::vector<std::vector<std::string>> glance;
  std::string loss = d.norwood ? fmt::format("Norwood {}", to_string(*d.norwood))
                     : d.ludwig ? fmt::format("Ludwig {}", to_string(*d.ludwig))
                     : d.look == design::Look::patch_camouflage
                         ? fmt::format("alopecia areata, {} bald {}", d.hair_loss.regions.size(), d.hair_loss.regions.size() == 1 ? "patch" : "patches")
                         : std::string(d.hair_loss.scars.empty() ? "not staged" : "");
  for (const scalp::Scar& scar : d.hair_loss.scars) {
    std::string what = scar_words(scar.kind);
    if (scar.kind == assess::ScarKind::FUE)
      what += fmt::format(", {} of {:.1f} mm", scar.path.size(), scar.width_mm);
    else
      what += fmt::format(", {:.0f} × {:.0f} mm", scar.length_mm(), scar.width_mm);
    loss += (loss.empty() ? "" : "; ") + what;
  }
  glance.push_back({"Hair loss", esc(loss)});
  glance.push_back({"The look", esc(look_words(d.look))});
  glance.push_back({"Area to treat", fmt::format("{} cm²", whole_cm2(p.treatment_area_cm2))});
  if (!p.appointments.empty()) {
    std::string visits = fmt::format("{} visits, {} to {}", p.appointments.size(), esc(format_date(p.appointments.front().date)),
                                     esc(format_date(p.appointments.back().date)));
    if (p.patch_test_visit) visits += fmt::format("; a patch test first, on {}", esc(format_date(p.patch_test_visit->date)));
    glance.push_back({"Sessions", visits});
  }
  glance.push_back({"Price", esc(money(p.quote, p.quote.total)) + (p.quote.tax_ppm == 0 ? ""
                                                                  : p.quote.tax_included ? fmt::format(", {} included", esc(p.quote.tax_name))
                                                                                         : fmt::format(" including {}", esc(p.quote.tax_name)))});
  glance.push_back({"Touch-up", fmt::format("in {}, around {}", esc(touch_up_words(p.touch_up)), esc(format_date(p.touch_up.date)))});
  doc.table({0.28, 0.72}, {false, false}, {}, glance);

  // --- Assessment ---
  if (in.assessment && in.rules) {
    const assess::Assessment& a = *in.assessment;
    const assess::RuleBook& book = *in.rules;
    doc.heading("What we found");
    if (p.override_reason) {
      // The booking gate was overridden (assess/gate.h): the plan below stands
      // against the assessment, so the report says so before the assessment's words.
      doc.paragraph("<b>Planned against this assessment's advice.</b> The assessment below advised against booking "
                    "treatment now; your practitioner has planned it anyway. The practitioner's reason: " +
                    esc(*p.override_reason) + (p.override_reason->empty() || std::string_view(".!?").find(p.override_reason->back()) == std::string_view::npos ? "." : "") +
                    " Talk it over with them before your first session.");
      doc.paragraph("<i>What the assessment said:</i> " + esc(book.candidacy_texts[static_cast<std::size_t>(a.candidacy)]));
    } else {
      doc.paragraph(esc(book.candidacy_texts[static_cast<std::size_t>(a.candidacy)]));
    }
    for (const assess::Reason& r : a.referrals) doc.bullet("<b>See a doctor first.</b> " + esc(r.text));
    for (const assess::ContraindicationFinding& f : a.contraindications)
      doc.bullet(esc(f.text) + (f.earliest_date ? esc(" Not before " + format_date(*f.earliest_date) + ".") : ""));
    if (!a.advice.empty()) {
      doc.subheading("Good to know");
      for (const assess::Reason& r : a.advice) doc.bullet(esc(r.text));
    }
    if (!a.recommendations.empty()) {
      doc.subheading("Your options, best first");
      for (const assess::RankedOption& r : a.recommendations) {
        std::string why;
        for (const assess::Reason& reason : r.rationale) why += (why.empty() ? "" : " ") + reason.text;
        doc.numbered(r.rank, fmt::format("<b>{}</b>\n{}", esc(r.title), esc(why)));
      }
    }
    if (!a.not_recommended.empty()) {
      doc.subheading("Considered and not advised");
      for (const assess::UnrankedOption& n : a.not_recommended) {
        std::string why;
        for (const assess::Reason& reason : n.rationale) why += (why.empty() ? "" : " ") + reason.text;
        doc.bullet(fmt::format("<b>{}</b>\n{}", esc(n.title), esc(why)));
      }
    }
    if (!a.causes_to_screen.empty()) {
      doc.subheading("Worth checking with your doctor");
      for (const assess::CauseFinding& cf : a.causes_to_screen) doc.bullet(esc(cf.text));
    }
  }

  if (!in.assessment) {  // said plainly, in place of the assessment
    doc.heading("No assessment");
    doc.paragraph(esc(d.intake_assessment ? assess::kAssessmentNotGivenNote : assess::kNoAssessmentNote));
  }

  // --- Design and pictures ---
  if (in.diagram) {
    doc.heading("Your design");
    if (!doc.pictures({&*in.diagram}, 0.62, 0.45))
      return std::unexpected(InputError{file, "diagram", "a PNG picture", "unreadable"});
  }
  if (!in.pictures.empty() || in.progression) {
    doc.heading("How it will look");
    for (std::size_t i = 0; i < in.pictures.size(); i += 2) {
      std::vector<const ReportPicture*> pair{&in.pictures[i]};
      if (i + 1 < in.pictures.size()) pair.push_back(&in.pictures[i + 1]);
      if (!doc.pictures(pair, 0.8)) return std::unexpected(InputError{file, "pictures", "a PNG picture", "unreadable"});
    }
    if (in.progression && !doc.pictures({&*in.progression}, 1.0, 0, doc.body_height() / 3))
      return std::unexpected(InputError{file, "progression", "a PNG picture", "unreadable"});
    for (const std::string& note : in.picture_notes) doc.paragraph(esc(note));
    doc.paragraph("Pictures are a simulation on a model of your head made from your measurements; real skin varies.",
                  kSmall);
  }

  // --- Sessions ---
  doc.heading("Your sessions");
  std::vector<std::vector<std::string>> rows;
  int sessions = 0;
  for (const Appointment& a : p.appointments)
    if (!a.extra) sessions = std::max(sessions, a.session);
  if (p.patch_test_visit)
    rows.push_back({"", esc(weekday_date(p.patch_test_visit->date)), format_clock(p.patch_test_visit->start_min),
                    duration_words(p.patch_test_visit->duration_min), "patch test"});
  for (const Appointment& a : p.appointments) {
    std::string what = a.extra ? std::string("extra session") : fmt::format("session {} of {}", a.session, sessions);
    if (a.parts > 1) what += fmt::format(", part {} of {}", a.part, a.parts);
    rows.push_back({std::to_string(a.number), esc(weekday_date(a.date)), format_clock(a.start_min), duration_words(a.duration_min),
                    esc(what)});
  }
  doc.table({0.09, 0.33, 0.12, 0.18, 0.28}, {false, false, false, false, false}, {"Visit", "Date", "Time", "Length", "What"}, rows);
  if (p.patch_test_visit)
    doc.paragraph(fmt::format("The patch test comes first, on {} at {}: a short visit so that we can see how your skin takes "
                              "the pigment before the first session.",
                              esc(weekday_date(p.patch_test_visit->date)), format_clock(p.patch_test_visit->start_min)));
  doc.paragraph("Each length includes preparation and numbing. The first session is the longest; later ones are shorter.", kSmall);
  for (const std::string& n : p.notes) doc.paragraph(esc(n), kSmall);
  if (!c.bring.empty()) doc.paragraph("<b>Bring:</b> " + esc(c.bring));

  // --- Quote ---
  doc.heading("Your quote");
  const Quote& q = p.quote;
  std::vector<std::vector<std::string>> lines;
  for (const QuoteLine& l : q.lines)
    lines.push_back({esc(l.item), std::to_string(l.qty), esc(format_amount_grouped(l.unit_price, q.decimals)),
                     esc(format_amount_grouped(l.amount, q.decimals))});
  const std::string rate = fmt::format("{} {}%", esc(q.tax_name), format_percent(q.tax_ppm));
  if (!q.tax_included) {
    lines.push_back({"Subtotal", "", "", esc(format_amount_grouped(q.subtotal, q.decimals))});
    lines.push_back({rate, "", "", esc(format_amount_grouped(q.tax, q.decimals))});
  }
  // Beside the quote: the brief's market ranges (section 8) for this currency, and the touch-up's price.
  // Those ranges are for hair loss (partial, or a full shaved head): scar and
  // patch camouflage have no published range to compare with.
  std::vector<std::string> notes;
  const bool hair_loss_look = d.look == design::Look::shaved || d.look == design::Look::density;
  if (in.rules && hair_loss_look) {
    const bool full = d.look == design::Look::shaved && p.treatment_area_cm2 >= 250;
    for (const assess::PriceRange& r : in.rules->price_ranges) {
      if (r.currency != q.currency) continue;
      const bool mine = r.scope == (full ? assess::PriceScope::full_shaved : assess::PriceScope::partial);
      if (!mine && r.scope != assess::PriceScope::any) continue;
      const char* what = r.scope == assess::PriceScope::any ? "SMP overall"
                         : full                              ? "a full shaved head"
                                                             : "partial hair loss";
      notes.push_back(fmt::format("Clinics' typical prices for {}: {} {}-{}.", what, esc(r.currency),
                                  format_amount_grouped(static_cast<std::int64_t>(r.low), 0),
                                  format_amount_grouped(static_cast<std::int64_t>(r.high), 0)));
    }
  }
  if (q.tax_included && q.tax_ppm > 0)
    notes.push_back(fmt::format("Prices include {}: the total holds {} of {} at {}%.", esc(q.tax_name), esc(money(q, q.tax)),
                                esc(q.tax_name), format_percent(q.tax_ppm)));
  notes.push_back(fmt::format("Prices are in {}, the clinic's currency.", esc(q.currency)));
  if (in.budget) {
    const std::string cur = in.budget_currency.value_or(q.currency);
    // Whole amounts without decimals ("USD 3,000"), others with two.
    const bool whole = std::floor(*in.budget) == *in.budget && *in.budget < 1e15;
    const std::string budget =
        fmt::format("{} {}", esc(cur), whole ? format_amount_grouped(static_cast<std::int64_t>(*in.budget), 0)
                                             : format_amount_grouped(std::llround(std::min(*in.budget, 1e15) * 100), 2));
    if (cur != q.currency) {
      notes.push_back(fmt::format("Your budget, {}, is in another currency than this quote ({}): compare them at today's exchange "
                                  "rate.",
                                  budget, esc(q.currency)));
    } else {
      const double total = static_cast<double>(q.total) / std::pow(10.0, q.decimals);
      notes.push_back(total <= *in.budget ? fmt::format("The total is within your budget of {}.", budget)
                                          : fmt::format("The total is above your budget of {}.", budget));
    }
  }
  if (p.touch_up.price > 0) notes.push_back(fmt::format("The touch-up, when it is due, is {}.", esc(money(q, p.touch_up.price))));
  constexpr double kNoteLine = 17;  // a line of small type and its spacing
  doc.table({0.52, 0.08, 0.2, 0.2}, {false, true, true, true}, {"Item", "Qty", "Unit (" + esc(q.currency) + ")", "Amount"},
            lines, {"Total", "", "", esc(format_amount_grouped(q.total, q.decimals))},
            kNoteLine * static_cast<double>(notes.size()));
  for (const std::string& n : notes) doc.paragraph(n, kSmall);

  // --- Care ---
  // Each instruction once, with every day it applies to.
  doc.heading("Before each session");
  std::vector<std::vector<const DatedCare*>> groups;
  for (const DatedCare& care : p.precare) {
    auto g = std::ranges::find_if(groups, [&](const auto& x) { return x.front()->text == care.text; });
    if (g == groups.end()) groups.push_back({&care});
    else g->push_back(&care);
  }
  for (const auto& g : groups) {
    std::vector<std::string> dates;
    std::vector<int> visits;
    std::optional<long> before;  // days before the visit, when the same for all
    for (const DatedCare* care : g) {
      dates.push_back(weekday_date(care->date));
      visits.push_back(care->appointment);
      const auto visit = std::ranges::find(p.appointments, care->appointment, &Appointment::number);
      const long b = visit == p.appointments.end() ? -1 : static_cast<long>((visit->date - care->date).count());
      before = care == g.front() || (before && *before == b) ? std::optional<long>(b) : std::nullopt;
    }
    std::string when;
    if (g.front()->patch_test) when = "the patch test";
    else if (before && *before >= 0) {
      const std::string which = visits.size() == p.appointments.size() && visits.size() > 1
                                    ? "each visit"
                                    : (visits.size() == 1 ? "visit " : "visits ") + words_list(visits);
      when = *before == 0 ? "the day of " + which : fmt::format("{} days before {}", *before, which);
    }
    doc.bullet(fmt::format("<b>{}</b>{}\n{}", esc(words_list(dates)), when.empty() ? "" : ", " + esc(when),
                           esc(g.front()->text)));
  }
  doc.heading("Aftercare");
  for (const AftercareText& t : p.aftercare) {
    std::string label = t.day;
    if (!label.empty() && std::isdigit(static_cast<unsigned char>(label[0])))
      label = fmt::format("{} {}", label.find_first_not_of("0123456789") == std::string::npos ? "Day" : "Days", t.day);
    else if (!label.empty())
      label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
    // "Until the next session": after the final one it holds from that day on.
    if (t.until_next && p.appointments.size() > 1) label += fmt::format("; after the final session, from day {} on", t.from);
    doc.bullet(fmt::format("<b>{}</b>\n{}", esc(label), esc(t.text)));
  }

  // --- Touch-up ---
  doc.heading("Years later");
  doc.paragraph(fmt::format(
      "Pigment fades slowly with sun and time. We expect your dots to want a touch-up in {}, around {}; more sun "
      "brings it sooner. Book it when the dots look softer or lighter than you like.",
      esc(touch_up_words(p.touch_up)), esc(weekday_date(p.touch_up.date))));
  return {};
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int n) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), n);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Result<std::string> report_pdf(const ReportInputs& in, Paper paper, const std::string& file) {
  const double w = paper == Paper::a4 ? 595.28 : 612.0, h = paper == Paper::a4 ? 841.89 : 792.0;
  const std::string footer = fmt::format("{} · consultation report for {}", in.clinic->name,
                                         in.design->client_name.value_or("the client"));
  int pages = 0;
  std::string out;
  for (int pass = 0; pass < 2; ++pass) {
    std::string bytes;
    cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append, &bytes, w, h);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "Consultation report");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Stipple");
    // A fixed date keeps the file the same for the same inputs.
    const std::string date = format_date(in.issued) + "T00:00:00";
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
    cairo_t* cr = cairo_create(surface);
    Doc doc(cr, w, h, footer, pages);
    Result<void> ok = lay_out(doc, in, file);
    doc.finish();
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    if (!ok) return std::unexpected(ok.error());
    pages = doc.pages();
    out = std::move(bytes);
  }
  return out;
}

}  // namespace stipple::plan
