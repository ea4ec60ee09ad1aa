#!/usr/bin/python3
"""The consultation report of `stipple plan --pdf`, read back with Poppler's
tools (Debian's poppler-utils: pdfinfo, pdftotext, pdfimages), against the plan
file of the same run.

usage: check_pdf.py STIPPLE SOURCE_DIR WORK_DIR
"""
import json
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

stipple, source, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
work.mkdir(parents=True, exist_ok=True)
examples = source / "docs" / "examples"
failures = []

SECTIONS = ["At a glance", "What we found", "Your design", "How it will look", "Your sessions", "Your quote",
            "Before each session", "Aftercare", "Years later"]
# Paper sizes in points (1/72 inch): ISO 216 A4 is 210 x 297 mm, US Letter 8.5 x 11 in.
PAPER = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
MARGIN = 56.7  # 20 mm (docs/plan.md)


def check(ok, what):
    if not ok:
        failures.append(what)


def tool(*args):
    return subprocess.run(list(map(str, args)), capture_output=True, text=True, check=True).stdout


def run(*args):
    r = subprocess.run([stipple, *map(str, args)], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"stipple {' '.join(map(str, args))} exited {r.returncode}: {r.stderr}")


def grouped(amount):
    """A plan file's decimal string as the report prints it: 2900.00 -> 2,900.00."""
    whole, _, frac = amount.partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


# A clinic whose name needs escaping in Pango markup and holds non-ASCII letters.
clinic = json.loads((source / "data" / "clinic" / "default.json").read_text())
clinic["name"] = "Clínica <Punto> & Süd"
(work / "clinic.json").write_text(json.dumps(clinic, ensure_ascii=False), encoding="utf-8")

dots = work / "sample.dots.bin"
run("pattern", examples / "sample-client.design.json", "-o", dots)
base = ["plan", examples / "sample-client.design.json", "--dots", dots, "--start", "2027-02-22",
        "--clinic", work / "clinic.json"]
with_intake = base + ["--intake", examples / "sample-client.intake.json"]

for paper, (width, height) in PAPER.items():
    pdf, plan_file = work / f"report-{paper}.pdf", work / f"plan-{paper}.json"
    run(*with_intake, "--pdf", pdf, "--paper", paper, "-o", plan_file)
    plan = json.loads(plan_file.read_text())
    info = tool("pdfinfo", pdf)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    check(size and abs(float(size[1]) - width) < 0.5 and abs(float(size[2]) - height) < 0.5,
          f"{paper}: the page is {width} x {height} points ({size and size[0]})")
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    check(3 <= pages <= 8, f"{paper}: 3 to 8 pages ({pages})")
    check("Title:           Consultation report" in info, f"{paper}: the document's title")

    # Every page numbered "page N of M" at its foot; every heading with text after it on its page.
    texts = [tool("pdftotext", "-f", n, "-l", n, "-layout", pdf, "-") for n in range(1, pages + 1)]
    for n, text in enumerate(texts, 1):
        lines = [l.strip() for l in text.splitlines() if l.strip()]
        check(lines and lines[-1].endswith(f"page {n} of {pages}"), f"{paper}: page {n} ends 'page {n} of {pages}'")
        body = lines[:-1]
        check(not body or body[-1] not in SECTIONS, f"{paper}: page {n} does not end on a heading ({body[-1:]})")
    whole = tool("pdftotext", pdf, "-")
    flat = " ".join(whole.split())
    for section in SECTIONS:
        check(section in whole, f"{paper}: the section '{section}'")
    positions = [whole.find(s) for s in SECTIONS]
    check(positions == sorted(positions), f"{paper}: the sections in reading order")
    check("Daniel Reyes" in whole, f"{paper}: the client's name")
    check(clinic["name"] in whole, f"{paper}: the clinic's name, escaped for the layout and read back exactly")
    # The plan's figures, as the plan file has them.
    for s in plan["sessions"]:
        check(s["date"] in whole, f"{paper}: session date {s['date']}")
        check(s["start"] in whole, f"{paper}: session start {s['start']}")
    quote = plan["quote"]
    check(re.search(r"Total\s+" + re.escape(grouped(quote["total"])), whole) is not None,
          f"{paper}: the total {grouped(quote['total'])}")
    check(f"{quote['currency']} {grouped(quote['total'])}" in whole, f"{paper}: the price at a glance")
    check("Tax 0%" in whole, f"{paper}: the bundled list's tax as the rate charged")
    patch_test = plan["patch_test"]
    check(f"{patch_test['date']} at {patch_test['start']}" in flat, f"{paper}: the patch test's date and time")
    check(plan["touch_up"]["date"] in whole, f"{paper}: the touch-up date")
    check("Clinics' typical prices for a full shaved head: USD 2,500-3,500." in flat,
          f"{paper}: the brief's market range (SMP.md section 8) beside the quote")
    for care in plan["precare"]:
        check(care["date"] in whole, f"{paper}: pre-care on {care['date']}")
    for after in plan["aftercare"]:
        check(" ".join(after["text"].split())[:60] in flat, f"{paper}: aftercare '{after['text'][:30]}...'")

    # Nothing outside the margins: every word's box inside the page less 20 mm.
    doc = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", tool("pdftotext", "-bbox", pdf, "-")).replace(
        'xmlns="http://www.w3.org/1999/xhtml"', ""))
    words = doc.findall(".//word")
    check(len(words) > 500, f"{paper}: the report has words ({len(words)})")
    outside = [w.text for w in words
               if float(w.get("xMin")) < MARGIN - 1 or float(w.get("xMax")) > width - MARGIN + 1
               or float(w.get("yMin")) < MARGIN - 1 or float(w.get("yMax")) > height - MARGIN + 1]
    check(not outside, f"{paper}: words outside the margins: {outside[:5]}")

    # The pictures: the design diagram, before and healed from two views, the progression.
    images = [l.split() for l in tool("pdfimages", "-list", pdf).splitlines()[2:]]
    check(len(images) == 6, f"{paper}: six pictures ({len(images)})")
    check(sum(1 for i in images if i[8] == "jpeg") == 5, f"{paper}: the five photoreal pictures embedded as JPEG")
    check(all(int(i[3]) >= 360 and int(i[4]) >= 360 for i in images), f"{paper}: pictures at print resolution")

# Deterministic: the same inputs give the same bytes.
again = work / "again.pdf"
run(*with_intake, "--pdf", again, "--paper", "A4", "-o", work / "again.json")
check(again.read_bytes() == (work / "report-A4.pdf").read_bytes(), "a second run writes the same report")

# Without an intake there is no assessment to report: no "What we found", said plainly, the rest is there.
bare = work / "bare.pdf"
run(*base, "--pdf", bare, "-o", work / "bare.json")
text = tool("pdftotext", bare, "-")
check("What we found" not in text, "no assessment section without an intake")
# The sample client's design was made from its intake: the report says the assessment was not given with the plan.
check("prepared without the consultation's assessment" in " ".join(text.split()), "the report says plainly that no assessment came with the plan")
check("Your quote" in text and "Years later" in text, "the plan's sections without an intake")

# field/tax-rates (shared/cases/field/tax-rates/pricing-{GBP,JPY,KWD}.json, built here): each list's
# tax printed as the rate charged, with its amount, in its currency's decimals.
for currency, decimals, price, tax_rate, rate, tax, total in [
        ("GBP", 2, "2200.00", "0.20", "20", "440.00", "2,640.00"), ("JPY", 0, "250000", "0.10", "10", "25,000", "275,000"),
        ("KWD", 3, "650.125", "0.05", "5", "32.506", "682.631")]:
    prices = {"schema": "stipple.pricing/1", "currency": currency, "decimals": decimals, "consultation": "0",
              "treatment": {"by": "area", "tiers": [{"up_to_cm2": None, "price": price, "label": "all areas"}]},
              "scar_surcharge": "0", "touch_up": "0", "tax_rate": tax_rate, "rounding": "half_up"}
    for included in (False, True):
        prices["tax_included"] = included
        if included:
            prices["tax_name"] = "VAT"
        listing = work / f"pricing-{currency}-{included}.json"
        listing.write_text(json.dumps(prices))
        pdf = work / f"tax-{currency}-{included}.pdf"
        run(*with_intake, "--pricing", listing, "--pdf", pdf, "-o", work / f"tax-{currency}-{included}.json")
        text = " ".join(tool("pdftotext", pdf, "-").split())
        if not included:
            check(re.search(rf"Tax {rate}% {re.escape(tax)}", text) is not None, f"{currency}: 'Tax {rate}% {tax}'")
            check(re.search(rf"Total {re.escape(total)}", text) is not None, f"{currency}: the total {total}")
        else:
            quote = json.loads((work / f"tax-{currency}-{included}.json").read_text())["quote"]
            check(quote["total"] == quote["subtotal"], f"{currency}: prices including VAT keep their total")
            check(f"Prices include VAT: the total holds {currency} {grouped(quote['tax'])} of VAT at {rate}%." in text,
                  f"{currency}: the VAT the prices include ({quote['tax']})")
        check(f"Prices are in {currency}, the clinic's currency." in text, f"{currency}: the quote's currency named")
        check(f"Your budget, USD 3,000, is in another currency than this quote ({currency})" in text,
              f"{currency}: the budget in another currency is said to be so")
        check(not re.search(r"\b0\.\d+%", text), f"{currency}: no rate printed as a fraction with a % sign")

# Client and clinic names in every script a client's name may be written in
# (Latin, Greek, Cyrillic, Arabic, Hebrew, Devanagari, Thai, Chinese,
# Japanese, Korean, emoji): each prints with a real glyph (a missing one is
# drawn as a box, which no reader extracts) and reads back with pdftotext.
# Right-to-left names come back in logical order; pdftotext may put spaces
# inside an Arabic or Hebrew word (its gap heuristic), so words are compared
# without white space and direction marks.
NAMES = {
    "client": "Zoë Ελένη 王小明 Иван محمد العلي דוד כהן 김민준 राहुल สมชาย やまだ 😀👍",
    "clinic": "Clínica Κλινική Клиника عيادة النور מרפאה क्लिनिक คลินิก 诊所 クリニック 클리닉 💈",
}
scripts_design = json.loads((examples / "sample-client.design.json").read_text())
scripts_design["client"]["name"] = NAMES["client"]
(work / "scripts.design.json").write_text(json.dumps(scripts_design, ensure_ascii=False), encoding="utf-8")
scripts_clinic = json.loads((source / "data" / "clinic" / "default.json").read_text())
scripts_clinic["name"] = NAMES["clinic"]
(work / "scripts.clinic.json").write_text(json.dumps(scripts_clinic, ensure_ascii=False), encoding="utf-8")
scripts = work / "scripts.pdf"
run("plan", work / "scripts.design.json", "--dots", dots, "--start", "2027-02-22", "--clinic", work / "scripts.clinic.json",
    "--pdf", scripts, "-o", work / "scripts.json")
strip = re.compile(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]")
first_page = strip.sub("", tool("pdftotext", "-f", "1", "-l", "1", scripts, "-"))
for who, name in NAMES.items():
    for word in name.split():
        check(word in first_page, f"scripts: the {who}'s name part '{word}' reads back from page 1")
fonts = [l.split() for l in tool("pdffonts", scripts).splitlines()[2:]]
check(all(f[-5:-2] == ["yes", "yes", "yes"] for f in fonts), f"scripts: every font embedded, subset, with a ToUnicode map: {fonts}")
check(not any("Type" in f and "3" in f for f in fonts), "scripts: no Type 3 fonts (glyphs drawn as pictures)")
used = " ".join(f[0] for f in fonts)
# Japanese (kana) and Korean (Hangul) runs in their own forms of Noto Sans CJK.
for family in ["DejaVuSans", "NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari", "NotoLoopedThai", "NotoSansCJKjp",
               "NotoSansCJKkr", "Symbola"]:
    check(family in used, f"scripts: {family} set its script ({used})")
check(len(tool("pdfimages", "-list", scripts).splitlines()) - 2 == 6, "scripts: the six pictures and no emoji drawn as pictures")
# Only the glyphs used are embedded: a page of names in eleven scripts adds a few hundred kilobytes at most.
grown = scripts.stat().st_size - bare.stat().st_size
check(grown < 400_000, f"scripts: the fonts add {grown} bytes to the report")

if failures:
    print("\n".join(f"FAIL {f}" for f in failures))
    sys.exit(1)
print(f"report: A4 and Letter read back, {len(SECTIONS)} sections, every figure of the plan found")
