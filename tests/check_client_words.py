#!/usr/bin/python3
"""Every clinical case (tests/cases/clinical/, copies of shared/cases/clinical/)
that the assessment lets us plan, run as a clinic would (assess, design new
--from-intake, pattern, plan --intake --pdf --ics), and its client documents
read back: the report with Poppler's pdftotext, the calendar's texts unfolded.

- No internal words reach the client: rule ids (CI-PATCH), snake_case values,
  dot counts, the seed, pigment shade numbers.
- Dates fall on days the clinic is open (never a Sunday with the bundled clinic).
- Chair time per the brief (SMP.md section 11): sessions of 2-8 h, the first
  the longest and later ones 30-60 min shorter; a whole head (Norwood VI) 6-8 h
  a session and 20-30 h in all; a scar-only session 3-4 h, sessions four
  weeks apart for a scar; 10-30 days apart otherwise.
- Anticoagulants: an extra session, and every mention of blood thinning in the
  report or the calendar says never to stop or change a prescribed one in the
  same sentence or the next.

usage: check_client_words.py STIPPLE SOURCE_DIR WORK_DIR
"""
import datetime as dt
import json
import pathlib
import re
import subprocess
import sys

stipple, source, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
work.mkdir(parents=True, exist_ok=True)
cases = sorted((source / "tests" / "cases" / "clinical").glob("*.intake.json"))
clinic = json.loads((source / "data" / "clinic" / "default.json").read_text())
failures = []
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def check(ok, what):
    if not ok:
        failures.append(what)


def run(*args):
    r = subprocess.run([stipple, *map(str, args)], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"stipple {' '.join(map(str, args))} exited {r.returncode}: {r.stderr}")
    return r.stdout


def open_on(iso):
    d = dt.date.fromisoformat(iso)
    return clinic["hours"][DAYS[d.weekday()]] is not None and iso not in clinic.get("holidays", [])


def ics_texts(path):
    """The values of the client-facing properties, unfolded and unescaped."""
    raw = path.read_bytes().decode("utf-8").replace("\r\n ", "")
    out = []
    for line in raw.split("\r\n"):
        name, _, value = line.partition(":")
        if name.split(";")[0] in ("SUMMARY", "DESCRIPTION", "LOCATION"):
            out.append(value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\"))
    return "\n".join(out)


INTERNAL = [(re.compile(r"\b(?:RF|CI|REC)-[A-Z0-9-]+\b"), "a rule id"),
            (re.compile(r"\b[a-z]+_[a-z0-9_]+\b"), "a snake_case value"),
            (re.compile(r"\bdots? to place\b|\b\d[\d,]* dots\b", re.I), "a dot count"),
            (re.compile(r"\bseed\b", re.I), "the seed"),
            (re.compile(r"\bshade \d\.\d+", re.I), "a shade number")]

planned = 0
for intake in cases:
    name = intake.name.removesuffix(".intake.json")
    a = subprocess.run([stipple, "assess", intake], capture_output=True, text=True)
    if a.returncode == 2:  # an intake the reader refuses (e.g. a misspelt field) is not planned
        continue
    assessment = json.loads(a.stdout)
    if assessment["candidacy"] not in ("candidate", "candidate_with_conditions"):
        continue
    design, dots = work / f"{name}.design.json", work / f"{name}.dots.bin"
    run("design", "new", "--from-intake", intake, "-o", design)
    run("pattern", design, "-o", dots)
    plan_file, pdf, ics = work / f"{name}.plan.json", work / f"{name}.pdf", work / f"{name}.ics"
    r = subprocess.run([stipple, "plan", design, "--dots", dots, "--start", "2027-03-01", "--intake", intake, "-o", plan_file,
                        "--pdf", pdf, "--ics", ics], capture_output=True, text=True)
    if r.returncode != 0:  # a design with nothing to pigment is the design's matter, refused in one line
        check(r.returncode == 2 and r.stderr.count("\n") == 1, f"{name}: plan exits 0 or 2 with one line ({r.stderr!r})")
        continue
    planned += 1
    plan = json.loads(plan_file.read_text())
    report = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    calendar = ics_texts(ics)
    for where, text in (("report", report), ("calendar", calendar)):
        for pattern, what in INTERNAL:
            found = pattern.findall(text)
            check(not found, f"{name}: {what} in the {where}: {found[:3]}")
        # Blood thinning is never mentioned without "never stop or change" in the same sentence or the next.
        flat = " ".join(text.split())
        for m in re.finditer(r"blood[- ]thinn|blood thinner", flat):
            window = " ".join(re.split(r"(?<=[.!?])\s+", flat[m.start():])[:2])
            check(re.search(r"never stop\b.{0,12}\bor change", window, re.I) is not None, f"{name}: the {where} mentions blood thinning without 'never stop or change': "
                                                    f"{flat[m.start():m.start() + 120]!r}")

    # The touch-up forecast in the same words in the report and the calendar.
    t = plan["touch_up"]
    words = f"about {t['years']:.1f} years ({t['years_min']:.1f}-{t['years_max']:.1f})"
    for where, text in (("report", report), ("calendar", calendar)):
        check(words in " ".join(text.split()), f"{name}: the touch-up as {words!r} in the {where}")
    # Aftercare after the final session: the texts that hold until the next session hold from then on.
    check("after the final session, from day 4 on" in " ".join(report.split()), f"{name}: the report's aftercare after the final session")

    sessions = [a for a in plan["appointments"] if a["kind"] != "patch_test"]
    dates = [a["date"] for a in plan["appointments"]] + [plan["touch_up"]["date"]]
    for d in dates:
        check(open_on(d), f"{name}: {d} is a day the clinic is open")
        check(dt.date.fromisoformat(d).weekday() != 6, f"{name}: {d} is not a Sunday")
    lengths = [a["duration_min"] for a in sessions]
    check(all(120 <= m <= 480 for m in lengths), f"{name}: sessions of 2-8 hours ({lengths})")
    check(all(30 <= lengths[0] - m <= 60 for m in lengths[1:]), f"{name}: later sessions 30-60 min shorter ({lengths})")
    gaps = [(dt.date.fromisoformat(b["date"]) - dt.date.fromisoformat(a["date"])).days for a, b in zip(sessions, sessions[1:])]
    check(all(10 <= g <= 30 for g in gaps), f"{name}: sessions 10-30 days apart ({gaps})")
    if "patch_test" in plan:
        t = plan["patch_test"]
        check((dt.date.fromisoformat(sessions[0]["date"]) - dt.date.fromisoformat(t["date"])).days >= 1,
              f"{name}: the patch test at least 24 h before session 1")
        check(t["date"] in report and t["start"] in report, f"{name}: the patch test's date and time in the report")

    if name == "nw6-poor-donor-high-sun":  # a Norwood VI head: 6-8 h a session, 20-30 h in all
        check(lengths[0] >= 360, f"{name}: the first session at least 6 h ({lengths[0]} min)")
        check(1200 <= sum(lengths) <= 1800, f"{name}: 20-30 h in all ({sum(lengths)} min)")
    if name == "fut-scar":
        check(len(sessions) == 3, f"{name}: 3 sessions by default ({len(sessions)})")
        check(all(180 <= m <= 240 for m in lengths), f"{name}: scar-only sessions of 3-4 h ({lengths})")
        check(all(g >= 26 for g in gaps), f"{name}: four weeks between scar sessions, not 12 days ({gaps})")
        items = [l["item"] for l in plan["quote"]["lines"]]
        check(any(i.startswith("Scar camouflage") for i in items) and not any("surcharge" in i or "crown" in i for i in items),
              f"{name}: a scar-camouflage price line of its own ({items})")
        check("seen from behind" in report, f"{name}: the design pictured from behind, where the scar is")
        check("typical prices" not in report, f"{name}: no hair-loss market range beside a scar quote")
    if name == "grey-anticoagulant-high-sun":
        check(sessions[-1]["kind"] == "extra_session" and len(sessions) == 4, f"{name}: an extra session ({len(sessions)})")
        check(any("extra session" in n for n in plan["notes"]), f"{name}: the plan's notes say why")
        check("shaved clean" in report, f"{name}: the grey-hair advice")

check(planned >= 3, f"at least three clinical cases planned ({planned})")
if failures:
    print("\n".join(f"FAIL {f}" for f in failures))
    sys.exit(1)
print(f"client documents of {planned} clinical cases: no internal words, open days, chair time and spacing per the brief")
