#include "stipple/plan/report.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <memory>

#include "stipple/plan/money.h"

namespace stipple::plan {

namespace {

// --- Page geometry and type (points, 1/72 inch) ---
// A4 is 210 x 297 mm, US Letter 8.5 x 11 in. Margins of 20 mm; body text
// 10 pt DejaVu Sans on 14 pt lines, headings in the same family, bold.
constexpr double kMargin = 56.7;
constexpr double kFooter = 28;
constexpr const char* kBody = "DejaVu Sans 9.5";
constexpr const char* kSmall = "DejaVu Sans 8";
constexpr const char* kHeading = "DejaVu Sans Bold 13";
constexpr const char* kTitle = "DejaVu Sans Bold 20";
constexpr double kAccent[3] = {0.16, 0.33, 0.42};  // headings and rules: a muted slate blue

std::string esc(std::string_view s) {
  char* e = g_markup_escape_text(s.data(), static_cast<gssize>(s.size()));
  std::string out(e);
  g_free(e);
  return out;
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

  Layout layout(const std::string& markup, const char* font, double width, PangoAlignment align = PANGO_ALIGN_LEFT) {
    Layout l(pango_cairo_create_layout(cr_));
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
    if (y_ + need > h_ - kMargin - kFooter && y_ > kMargin + 1) new_page();
  }
  void new_page() {
    end_page();
    cairo_show_page(cr_);
    begin_page();
  }
  void space(double pts) { y_ += pts; }

  void title(const std::string& text, const std::string& sub) {
    Layout t = layout(esc(text), kTitle, width());
    show(t, kMargin, y_, kAccent);
    y_ += height(t) + 4;
    Layout s = layout(sub, kBody, width());
    show(s, kMargin, y_);
    y_ += height(s) + 10;
    rule();
  }
  void heading(const std::string& text) {
    Layout l = layout(esc(text), kHeading, width());
    ensure(height(l) + 40);  // never a heading alone at the foot of a page
    y_ += 10;
    show(l, kMargin, y_, kAccent);
    y_ += height(l) + 6;
  }
  void paragraph(const std::string& markup, const char* font = kBody, double indent = 0) {
    Layout l = layout(markup, font, width() - indent);
    ensure(height(l));
    show(l, kMargin + indent, y_);
    y_ += height(l) + 5;
  }
  void bullet(const std::string& markup, double indent = 0) {
    Layout l = layout(markup, kBody, width() - indent - 12);
    ensure(height(l));
    Layout dot = layout("\u2022", kBody, 12);
    show(dot, kMargin + indent, y_, kAccent);
    show(l, kMargin + indent + 12, y_);
    y_ += height(l) + 3;
  }
  // A table: column widths as fractions of the text width, right-aligned
  // columns flagged; the header row in bold over a rule.
  void table(const std::vector<double>& cols, const std::vector<bool>& right, const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows, const std::vector<std::string>& footer = {}) {
    const auto row_layouts = [&](const std::vector<std::string>& cells, bool bold) {
      std::vector<Layout> ls;
      for (std::size_t i = 0; i < cells.size(); ++i)
        ls.push_back(layout(bold ? "<b>" + cells[i] + "</b>" : cells[i], kBody, cols[i] * width() - 6,
                            right[i] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT));
      return ls;
    };
    const auto draw_row = [&](const std::vector<Layout>& ls) {
      double h = 0;
      for (const Layout& l : ls) h = std::max(h, height(l));
      ensure(h + 4);
      double x = kMargin;
      for (std::size_t i = 0; i < ls.size(); ++i) {
        show(ls[i], x, y_);
        x += cols[i] * width();
      }
      y_ += h + 4;
    };
    const auto head = [&] {
      if (header.empty()) return;
      draw_row(row_layouts(header, true));
      rule(0.5);
    };
    ensure(60);  // the header with at least a row or two below it
    head();
    for (const auto& r : rows) {
      const int before = page_;
      std::vector<Layout> ls = row_layouts(r, false);
      double h = 0;
      for (const Layout& l : ls) h = std::max(h, height(l));
      ensure(h + 4);
      if (page_ != before) head();  // the header again on the next page
      draw_row(ls);
    }
    if (!footer.empty()) {
      rule(0.5);
      draw_row(row_layouts(footer, true));
    }
    y_ += 4;
  }
  // A PNG picture `w` points wide (keeping its proportions) with a caption.
  bool picture(const std::string& png, const std::string& caption, double x, double w, bool advance = true,
               double* used = nullptr) {
    struct Reader {
      const std::string* s;
      std::size_t at = 0;
    } rd{&png};
    cairo_surface_t* img = cairo_image_surface_create_from_png_stream(
        [](void* c, unsigned char* data, unsigned int n) {
          auto* r = static_cast<Reader*>(c);
          if (r->at + n > r->s->size()) return CAIRO_STATUS_READ_ERROR;
          std::memcpy(data, r->s->data() + r->at, n);
          r->at += n;
          return CAIRO_STATUS_SUCCESS;
        },
        &rd);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
      cairo_surface_destroy(img);
      return false;
    }
    const double iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
    const double s = w / iw, h = ih * s;
    Layout cap = layout("<i>" + esc(caption) + "</i>", kSmall, w, PANGO_ALIGN_CENTER);
    const double total = h + 4 + height(cap) + 8;
    if (advance) ensure(total);
    cairo_save(cr_);
    cairo_translate(cr_, x, y_);
    cairo_scale(cr_, s, s);
    cairo_set_source_surface(cr_, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr_), CAIRO_FILTER_GOOD);
    cairo_paint(cr_);
    cairo_restore(cr_);
    cairo_surface_destroy(img);
    show(cap, x, y_ + h + 4, nullptr);
    if (used) *used = total;
    if (advance) y_ += total;
    return true;
  }
  void advance(double pts) { y_ += pts; }
  double room() const { return h_ - kMargin - kFooter - y_; }

  void finish() { end_page(); }

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
  void begin_page() {
    ++page_;
    y_ = kMargin;
  }
  void end_page() {
    const std::string right = total_ > 0 ? fmt::format("page {} of {}", page_, total_) : fmt::format("page {}", page_);
    Layout l = layout(esc(footer_), kSmall, width() * 0.7);
    Layout r = layout(esc(right), kSmall, width() * 0.3, PANGO_ALIGN_RIGHT);
    const double y = h_ - kMargin - height(l) + 8;
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
};

std::string look_words(design::Look l) {
  switch (l) {
    case design::Look::shaved: return "the shaved look (a close buzz cut)";
    case design::Look::density: return "added density under longer hair";
    case design::Look::scar_camouflage: return "scar camouflage";
  }
  return "";
}

std::string minutes_words(int m) {
  if (m < 60) return fmt::format("{} min", m);
  return m % 60 == 0 ? fmt::format("{} h", m / 60) : fmt::format("{} h {:02} min", m / 60, m % 60);
}

std::string weekday_date(Day d) {
  static constexpr const char* kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  const std::chrono::weekday wd{d};
  return fmt::format("{} {}", kDays[wd.c_encoding()], format_date(d));
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
                               : d.ludwig ? fmt::format("Ludwig {}", to_string(*d.ludwig)) : "not staged";
  glance.push_back({"Hair loss", esc(loss)});
  glance.push_back({"The look", esc(look_words(d.look))});
  glance.push_back({"Area to treat", fmt::format("{:.0f} cm²", p.treatment_area_cm2)});
  std::size_t dots = 0;
  for (const Appointment& a : p.appointments) dots += a.dots;
  glance.push_back({"Pigment dots", format_amount_grouped(static_cast<std::int64_t>(dots), 0)});
  if (!p.appointments.empty())
    glance.push_back({"Sessions", fmt::format("{} visits, {} to {}", p.appointments.size(),
                                              esc(format_date(p.appointments.front().date)),
                                              esc(format_date(p.appointments.back().date)))});
  glance.push_back({"Price", esc(money(p.quote, p.quote.total)) + " including tax"});
  glance.push_back({"Touch-up", fmt::format("in about {:.0f} years ({:.0f}-{:.0f}), around {}", p.touch_up.years,
                                            p.touch_up.years_min, p.touch_up.years_max,
                                            esc(format_date(p.touch_up.date)))});
  doc.table({0.28, 0.72}, {false, false}, {}, glance);

  // --- Assessment ---
  if (in.assessment && in.rules) {
    const assess::Assessment& a = *in.assessment;
    const assess::RuleBook& book = *in.rules;
    doc.heading("What we found");
    doc.paragraph(esc(book.candidacy_texts[static_cast<std::size_t>(a.candidacy)]));
    for (const assess::Reason& r : a.referrals) doc.bullet("<b>See a doctor first.</b> " + esc(r.text));
    for (const assess::ContraindicationFinding& f : a.contraindications) doc.bullet(esc(f.text));
    if (!a.recommendations.empty()) {
      doc.paragraph("<b>Your options, best first</b>");
      for (const assess::RankedOption& r : a.recommendations) {
        std::string why;
        for (const assess::Reason& reason : r.rationale) why += (why.empty() ? "" : " ") + reason.text;
        doc.bullet(fmt::format("<b>{}. {}</b>  {}", r.rank, esc(book.option_titles[static_cast<std::size_t>(r.option)]),
                               esc(why)));
      }
    }
    if (!a.not_recommended.empty()) {
      doc.paragraph("<b>Considered and not advised</b>");
      for (const assess::UnrankedOption& n : a.not_recommended) {
        std::string why;
        for (const assess::Reason& reason : n.rationale) why += (why.empty() ? "" : " ") + reason.text;
        doc.bullet(fmt::format("<b>{}</b>  {}", esc(book.option_titles[static_cast<std::size_t>(n.option)]), esc(why)));
      }
    }
    if (!a.causes_to_screen.empty()) {
      doc.paragraph("<b>Worth checking with your doctor</b>");
      for (const assess::CauseFinding& cf : a.causes_to_screen) doc.bullet(esc(cf.text));
    }
  }

  // --- Design and pictures ---
  if (in.diagram) {
    doc.ensure(doc.width() * 0.8 + 80);  // the heading with its picture
    doc.heading("Your design");
    if (!doc.picture(in.diagram->png, in.diagram->caption, kMargin + doc.width() * 0.1, doc.width() * 0.8))
      return std::unexpected(InputError{file, "diagram", "a PNG picture", "unreadable"});
  }
  if (!in.pictures.empty() || in.progression) {
    doc.ensure(doc.width() * 0.5 + 80);
    doc.heading("How it will look");
    const double gap = 12, w = (doc.width() - gap) / 2;
    for (std::size_t i = 0; i < in.pictures.size(); i += 2) {
      double h1 = 0, h2 = 0;
      // Measure the pair's height by the first picture; both share a row.
      doc.ensure(w * 0.75 + 30);
      if (!doc.picture(in.pictures[i].png, in.pictures[i].caption, kMargin, w, false, &h1))
        return std::unexpected(InputError{file, "pictures", "a PNG picture", "unreadable"});
      if (i + 1 < in.pictures.size() &&
          !doc.picture(in.pictures[i + 1].png, in.pictures[i + 1].caption, kMargin + w + gap, w, false, &h2))
        return std::unexpected(InputError{file, "pictures", "a PNG picture", "unreadable"});
      doc.advance(std::max(h1, h2));
    }
    if (in.progression && !doc.picture(in.progression->png, in.progression->caption, kMargin, doc.width()))
      return std::unexpected(InputError{file, "progression", "a PNG picture", "unreadable"});
    doc.paragraph("Pictures are a simulation on a model of your head made from your measurements; real skin varies.",
                  kSmall);
  }

  // --- Sessions ---
  doc.heading("Your sessions");
  std::vector<std::vector<std::string>> rows;
  for (const Appointment& a : p.appointments) {
    std::string what = fmt::format("session {}", a.session);
    if (a.parts > 1) what += fmt::format(", part {} of {}", a.part, a.parts);
    rows.push_back({std::to_string(a.number), esc(weekday_date(a.date)), format_clock(a.start_min),
                    minutes_words(a.duration_min), format_amount_grouped(static_cast<std::int64_t>(a.dots), 0), esc(what)});
  }
  doc.table({0.06, 0.34, 0.1, 0.16, 0.12, 0.22}, {false, false, false, false, true, false},
            {"", "Date", "Time", "Length", "Dots", "Work"}, rows);
  if (p.patch_test)
    doc.paragraph(fmt::format("A patch test comes first, on {}.", esc(weekday_date(*p.patch_test))));
  for (const std::string& n : p.notes) doc.paragraph(esc(n), kSmall);
  if (!c.bring.empty()) doc.paragraph("<b>Bring:</b> " + esc(c.bring));

  // --- Quote ---
  doc.heading("Your quote");
  const Quote& q = p.quote;
  std::vector<std::vector<std::string>> lines;
  for (const QuoteLine& l : q.lines)
    lines.push_back({esc(l.item), std::to_string(l.qty), esc(format_amount_grouped(l.unit_price, q.decimals)),
                     esc(format_amount_grouped(l.amount, q.decimals))});
  lines.push_back({"Subtotal", "", "", esc(format_amount_grouped(q.subtotal, q.decimals))});
  lines.push_back({fmt::format("Tax {}%", esc(format_rate(q.tax_ppm))), "", "",
                   esc(format_amount_grouped(q.tax, q.decimals))});
  doc.table({0.52, 0.08, 0.2, 0.2}, {false, true, true, true}, {"Item", "Qty", "Unit (" + esc(q.currency) + ")", "Amount"},
            lines, {"Total", "", "", esc(format_amount_grouped(q.total, q.decimals))});
  if (in.rules) {  // the brief's market ranges (section 8) for this currency
    const bool full = d.look == design::Look::shaved && p.treatment_area_cm2 >= 250;
    for (const assess::PriceRange& r : in.rules->price_ranges) {
      if (r.currency != q.currency) continue;
      const bool mine = r.scope == (full ? assess::PriceScope::full_shaved : assess::PriceScope::partial);
      if (!mine && r.scope != assess::PriceScope::any) continue;
      const char* what = r.scope == assess::PriceScope::any ? "SMP overall"
                         : full                              ? "a full shaved head"
                                                             : "partial hair loss";
      doc.paragraph(fmt::format("Clinics' typical prices for {}: {} {}-{}.", what, esc(r.currency),
                                format_amount_grouped(static_cast<std::int64_t>(r.low), 0),
                                format_amount_grouped(static_cast<std::int64_t>(r.high), 0)),
                    kSmall);
    }
  }
  doc.paragraph(fmt::format("The touch-up, when it is due, is {}.", esc(money(q, p.touch_up.price))), kSmall);

  // --- Care ---
  doc.heading("Before each session");
  for (std::size_t i = 0; i < p.precare.size(); ++i) {
    if (i == 0 || p.precare[i].date != p.precare[i - 1].date) doc.paragraph("<b>" + esc(weekday_date(p.precare[i].date)) + "</b>");
    doc.bullet(esc(p.precare[i].text), 8);
  }
  doc.heading("Aftercare");
  for (const AftercareText& t : p.aftercare) {
    std::string label = t.day;
    if (!label.empty() && std::isdigit(static_cast<unsigned char>(label[0])))
      label = fmt::format("{} {}", label.find_first_not_of("0123456789") == std::string::npos ? "Day" : "Days", t.day);
    else if (!label.empty())
      label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
    doc.bullet(fmt::format("<b>{}</b>  {}", esc(label), esc(t.text)));
  }

  // --- Touch-up ---
  doc.heading("Years later");
  doc.paragraph(fmt::format(
      "Pigment fades slowly with sun and time. We expect your dots to want a touch-up in about {:.0f} years "
      "(between {:.0f} and {:.0f}), around {}; more sun brings it sooner. Book it when the dots look softer "
      "or lighter than you like.",
      p.touch_up.years, p.touch_up.years_min, p.touch_up.years_max, esc(weekday_date(p.touch_up.date))));
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
