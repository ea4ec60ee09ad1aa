#!/usr/bin/python3
"""The calendar of `stipple plan --ics`, read back by a real iCalendar parser
(Debian's python3-icalendar), against the plan file of the same run.

usage: check_ics.py STIPPLE SOURCE_DIR WORK_DIR
"""
import datetime as dt
import json
import pathlib
import subprocess
import sys

import icalendar

stipple, source, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
work.mkdir(parents=True, exist_ok=True)
examples = source / "docs" / "examples"
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def run(*args):
    r = subprocess.run([stipple, *map(str, args)], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"stipple {' '.join(map(str, args))} exited {r.returncode}: {r.stderr}")


def day(text):
    return dt.date.fromisoformat(text)


# A clinic whose texts need every escape and hold non-ASCII letters, and whose
# "what to bring" is long enough to fold many times.
clinic = json.loads((source / "data" / "clinic" / "default.json").read_text())
clinic["name"] = "Clínica Punto; Norte, \\ Süd 点"
clinic["address"] = "Calle Mayor 7, 2º; 28013 Madrid"
clinic["bring"] = "Photo ID; a loose top, a soft cap, and a list of medicines. " * 4 + "Ünïcödé ✓ at the end."
(work / "clinic.json").write_text(json.dumps(clinic, ensure_ascii=False), encoding="utf-8")

dots = work / "sample.dots.bin"
run("pattern", examples / "sample-client.design.json", "-o", dots)
ics, plan_file = work / "plan.ics", work / "plan.json"
args = ["plan", examples / "sample-client.design.json", "--dots", dots, "--start", "2027-02-22",
        "--intake", examples / "sample-client.intake.json", "--clinic", work / "clinic.json"]
run(*args, "--ics", ics, "-o", plan_file)
raw = ics.read_bytes()
plan = json.loads(plan_file.read_text())

# RFC 5545 section 3.1: CRLF, lines of at most 75 octets, folds inside no UTF-8 sequence.
check(raw.endswith(b"\r\n"), "the file ends with CRLF")
check(b"\n" not in raw.replace(b"\r\n", b""), "every line ends with CRLF")
lines = raw.split(b"\r\n")[:-1]
check(all(len(l) <= 75 for l in lines), "no line is longer than 75 octets")
for l in lines:
    try:
        l.decode("utf-8")
    except UnicodeDecodeError:
        failures.append(f"a fold splits a UTF-8 sequence: {l!r}")
check(any(l.startswith(b" ") for l in lines), "long lines are folded")

# Deterministic: the same inputs give the same bytes.
run(*args, "--ics", work / "again.ics", "-o", work / "again.json")
check((work / "again.ics").read_bytes() == raw, "a second run writes the same calendar")

# TEXT escaping (section 3.3.11) in the file itself: parsers forgive a bare
# comma or backslash, so the unfolded bytes are checked against the rule.
unfolded = raw.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")


def escaped(text):
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


check(f"LOCATION:{escaped(clinic['name'] + ', ' + clinic['address'])}" in unfolded, "LOCATION is escaped as RFC 5545 says")
check(f"X-WR-CALNAME:{escaped('Scalp micropigmentation at ' + clinic['name'])}" in unfolded, "the calendar's name is escaped")

cal = icalendar.Calendar.from_ical(raw)
check(str(cal["VERSION"]) == "2.0", "VERSION is 2.0")
check("PRODID" in cal, "PRODID is there")
events = cal.walk("VEVENT")
uids = [str(e["UID"]) for e in events]
check(len(set(uids)) == len(uids), "UIDs are unique")
check(all("DTSTAMP" in e for e in events), "every event has a DTSTAMP")

sessions = [e for e in events if str(e["SUMMARY"]).startswith("Scalp micropigmentation, session")]
check(len(sessions) == len(plan["sessions"]), f"{len(plan['sessions'])} session events, found {len(sessions)}")
for e, s in zip(sessions, plan["sessions"]):
    start = dt.datetime.combine(day(s["date"]), dt.time.fromisoformat(s["start"]))
    check(e.decoded("DTSTART") == start, f"session {s['session']} starts {start}")
    check(e.decoded("DTSTART").tzinfo is None, "session times are floating local times")
    check(e.decoded("DTEND") - e.decoded("DTSTART") == dt.timedelta(minutes=s["duration_min"]),
          f"session {s['session']} lasts {s['duration_min']} min")
    # Escapes round-trip: the parser gives back the clinic's own texts.
    check(str(e["LOCATION"]) == f"{clinic['name']}, {clinic['address']}", f"session {s['session']} location")
    check(f"\n\nWhat to bring: {clinic['bring']}" in str(e["DESCRIPTION"]), f"session {s['session']} says what to bring")
    alarms = {a.decoded("TRIGGER"): str(a["DESCRIPTION"]) for a in e.walk("VALARM")}
    for c in plan["precare"]:
        if c["session"] != s["session"] or c["id"] == "patch-test":
            continue
        before = (day(s["date"]) - day(c["date"])).days
        if before == 3:
            trigger = dt.timedelta(hours=-72)
        else:  # the morning of the session, 07:00, or an hour before an earlier start
            trigger = min(dt.datetime.combine(day(s["date"]), dt.time(7)) - start, dt.timedelta(hours=-1))
        check(c["text"] in alarms.get(trigger, ""), f"session {s['session']}: alarm {trigger} carries {c['id']}")

patch = [c for c in plan["precare"] if c["id"] == "patch-test"]
patch_events = [e for e in events if str(e["SUMMARY"]).startswith("Patch test")]
check(len(patch) == 1 and len(patch_events) == 1, "one patch test, one patch-test event")
if patch and patch_events:
    visit = plan["patch_test"]
    begins = dt.datetime.combine(day(visit["date"]), dt.time.fromisoformat(visit["start"]))
    check(patch_events[0].decoded("DTSTART") == begins, "the patch test is a timed visit at its start")
    check(patch_events[0].decoded("DTEND") - patch_events[0].decoded("DTSTART") == dt.timedelta(minutes=visit["duration_min"]),
          "the patch test lasts its duration")
    for alarm in patch_events[0].walk("VALARM"):
        check(alarm.decoded("TRIGGER") < dt.timedelta(0), "the patch test's alarm fires before it starts")

# Aftercare: days 1-4 after each session, as an all-day span (DTEND exclusive).
span = next(c for c in plan["aftercare"] if c["from"] == 1)
for s in plan["sessions"]:
    d = day(s["date"])
    found = [e for e in events if str(e["SUMMARY"]).startswith("Aftercare, days 1-4") and e.decoded("DTSTART") == d + dt.timedelta(days=1)]
    check(len(found) == 1, f"aftercare days 1-4 after session {s['session']}")
    if found:
        check(found[0].decoded("DTEND") == d + dt.timedelta(days=5), "days 1-4 end after day 4")
        check(str(found[0]["DESCRIPTION"]) == span["text"], "aftercare text")
        check(len(found[0].walk("VALARM")) == 1, "aftercare has a reminder")
final = [e for e in events if str(e["SUMMARY"]) == "Aftercare after your final session"]
check(len(final) == 1 and final[0].decoded("DTSTART") == day(plan["sessions"][-1]["date"]), "aftercare after the final session")
# "until the next session" never runs into the next session.
for e in events:
    if "until the next" in str(e["SUMMARY"]):
        check(any(e.decoded("DTEND") == day(s["date"]) for s in plan["sessions"]), "until-next ends on a session day")

touch = [e for e in events if "touch-up" in str(e["SUMMARY"])]
check(len(touch) == 1, "one touch-up reminder")
if touch:
    check(touch[0].decoded("DTSTART") == day(plan["touch_up"]["date"]), "touch-up on the forecast day")
    check([a.decoded("TRIGGER") for a in touch[0].walk("VALARM")] == [dt.timedelta(days=-14)], "touch-up alarm two weeks ahead")
    check(plan["touch_up"]["price"] in str(touch[0]["DESCRIPTION"]), "touch-up price")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"ok: {len(events)} events, {len(lines)} lines")
