#!/usr/bin/python3
"""The calendar of `stipple plan --ics`, read back by two independent iCalendar
parsers, against the plan file of the same run and the tz database:

- python3-icalendar reads times by their TZID (the zone's rules as Python's
  own tz library knows them);
- python3-vobject reads them through the file's own VTIMEZONE (dateutil's
  tzical), so a wrong VTIMEZONE shows as a wrong instant.

Cases: the bundled clinic (America/New_York) with texts that need every
escape; both daylight-saving changes of Europe/London and America/New_York;
a re-plan (same UIDs, higher SEQUENCE, later DTSTAMP); a clinic file with a
bad time zone.

usage: check_ics.py STIPPLE SOURCE_DIR WORK_DIR
"""
import datetime as dt
import json
import pathlib
import re
import subprocess
import sys
import zoneinfo

import icalendar
import vobject

stipple, source, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
work.mkdir(parents=True, exist_ok=True)
examples = source / "docs" / "examples"
design = examples / "sample-client.design.json"
failures = []
UTC = dt.timezone.utc


def check(ok, what):
    if not ok:
        failures.append(what)


def run(*args, expect=0):
    r = subprocess.run([stipple, *map(str, args)], capture_output=True, text=True)
    if r.returncode != expect:
        sys.exit(f"stipple {' '.join(map(str, args))} exited {r.returncode}: {r.stderr}")
    return r


def day(text):
    return dt.date.fromisoformat(text)


def local(d, clock, zone):
    """The instant of a wall-clock time, by Python's zoneinfo (RFC 5545 reading: fold=0)."""
    return dt.datetime.combine(d, clock).replace(tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(UTC)


dots = work / "sample.dots.bin"
run("pattern", design, "-o", dots)
care = json.loads((source / "data" / "plan" / "care.json").read_text())


def plan(name, clinic, start, issued, intake=True):
    """Runs `stipple plan` with a clinic file; returns (raw calendar, plan)."""
    clinic_file = work / f"{name}.clinic.json"
    clinic_file.write_text(json.dumps(clinic, ensure_ascii=False), encoding="utf-8")
    ics, plan_file = work / f"{name}.ics", work / f"{name}.plan.json"
    args = ["plan", design, "--dots", dots, "--start", start, "--clinic", clinic_file, "--issued", issued, "--ics", ics, "-o", plan_file]
    if intake:
        args += ["--intake", examples / "sample-client.intake.json"]
    run(*args)
    return ics.read_bytes(), json.loads(plan_file.read_text())


# Words a client never reads: dot counts, rule ids (CI-72H), snake_case values, seeds, shades.
INTERNAL = [re.compile(r"\b\d[\d,.]*\s+dots\b"), re.compile(r"\b[A-Z]{2,}-[A-Z0-9]{2,}\b"),
            re.compile(r"\b[a-z]+_[a-z_]+\b"), re.compile(r"\bseed\b", re.I), re.compile(r"\bshade\s+\d")]
BLOOD = re.compile(r"blood[- ]thin|anticoagul", re.I)


def alarm_instant(start_utc, trigger):
    return start_utc + trigger


def check_calendar(name, raw, plan, zone):
    """Checks every calendar must pass; returns {uid: (SEQUENCE, DTSTAMP, start)} from icalendar."""
    # RFC 5545 section 3.1: CRLF, lines of at most 75 octets, folds inside no UTF-8 sequence.
    check(raw.endswith(b"\r\n"), f"{name}: the file ends with CRLF")
    check(b"\n" not in raw.replace(b"\r\n", b""), f"{name}: every line ends with CRLF")
    lines = raw.split(b"\r\n")[:-1]
    check(all(len(l) <= 75 for l in lines), f"{name}: no line is longer than 75 octets")
    for l in lines:
        try:
            l.decode("utf-8")
        except UnicodeDecodeError:
            failures.append(f"{name}: a fold splits a UTF-8 sequence: {l!r}")
    unfolded = raw.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")
    # No floating times: every DATE-TIME of an event names its zone (section 3.3.5 form 3).
    in_tz = False
    for l in unfolded:
        in_tz = (in_tz or l == "BEGIN:VTIMEZONE") and l != "END:VTIMEZONE"
        if not in_tz and re.match(r"(DTSTART|DTEND)[;:]", l) and "VALUE=DATE" not in l:
            check(l.split(":")[0].endswith(f";TZID={zone}"), f"{name}: a timed property without the clinic's TZID: {l}")
    check(f"TZID:{zone}" in unfolded, f"{name}: a VTIMEZONE for {zone}")
    check(sum(l == "BEGIN:VTIMEZONE" for l in unfolded) == 1, f"{name}: one VTIMEZONE")

    cal = icalendar.Calendar.from_ical(raw)
    check(str(cal["VERSION"]) == "2.0" and "PRODID" in cal, f"{name}: VERSION 2.0 and PRODID")
    events = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    check(len(set(uids)) == len(uids), f"{name}: UIDs are unique")
    vcal = vobject.readOne(raw.decode("utf-8"))
    vevents = {v.uid.value: v for v in vcal.vevent_list}
    check(set(vevents) == set(uids), f"{name}: both parsers see the same events")
    zi = zoneinfo.ZoneInfo(zone)
    out = {}
    for e in events:
        uid = str(e["UID"])
        v = vevents.get(uid)
        summary = str(e["SUMMARY"])
        for prop in ("DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY"):
            check(prop in e, f"{name}: {summary} has {prop}")
        start = e.decoded("DTSTART")
        timed = isinstance(start, dt.datetime)
        if timed:
            # Reader 1 by the zone's name, reader 2 by the VTIMEZONE, and zoneinfo: one instant.
            check(start.tzinfo is not None, f"{name}: {summary} is not floating")
            naive = start.replace(tzinfo=None)
            expected = local(naive.date(), naive.time(), zone)
            check(start.astimezone(UTC) == expected, f"{name}: {summary} at {naive} is {expected} UTC (icalendar)")
            vstart = v.dtstart.value
            check(vstart.astimezone(UTC) == expected, f"{name}: {summary} at {naive} is {expected} UTC by the VTIMEZONE (vobject), not {vstart.astimezone(UTC)}")
            vend = v.dtend.value
            check(vend.astimezone(UTC) == e.decoded("DTEND").astimezone(UTC), f"{name}: {summary} ends at the same instant in both readers")
            start_utc = expected
        else:
            check(v.dtstart.value == start, f"{name}: {summary} on the same day in both readers")
            # All-day spans: DTEND is the day after the last (exclusive, section 3.6.1).
            check(e.decoded("DTEND") > start, f"{name}: {summary} ends after it starts")
            start_utc = local(start, dt.time(0), zone)
        # No alarm fires after its event has started (both readers).
        valarms = getattr(v, "valarm_list", [])
        check(len(valarms) == len(e.walk("VALARM")), f"{name}: {summary}: both readers see its alarms")
        for a, va in zip(e.walk("VALARM"), valarms):
            trig = a.decoded("TRIGGER")
            check(trig <= dt.timedelta(0) and va.trigger.value <= dt.timedelta(0), f"{name}: {summary}: alarm {trig} fires after the start")
            check(trig == va.trigger.value, f"{name}: {summary}: both readers read the alarm alike")
            text = str(a["DESCRIPTION"])
            check(text.strip() != "", f"{name}: {summary}: an alarm without text")
            for pat in INTERNAL:
                check(not pat.search(text), f"{name}: internal words {pat.pattern!r} in an alarm of {summary}: {text[:80]}")
            if BLOOD.search(text):
                check(re.search(r"never stop", text, re.I) and re.search(r"prescri", text, re.I),
                      f"{name}: {summary}: an alarm mentions blood thinning without 'never stop a prescribed anticoagulant'")
        for prop in ("SUMMARY", "DESCRIPTION"):
            text = str(e.get(prop, ""))
            for pat in INTERNAL:
                check(not pat.search(text), f"{name}: internal words {pat.pattern!r} in {summary} {prop}: {text[:80]}")
            if BLOOD.search(text):
                check(re.search(r"never stop", text, re.I) and re.search(r"prescri", text, re.I),
                      f"{name}: {summary} {prop} mentions blood thinning without 'never stop a prescribed anticoagulant'")
        # Only a visit takes the client's time (TRANSP, section 3.8.2.7).
        visit = summary.startswith("Scalp micropigmentation, ") or (summary.startswith("Patch test") and start is not None
                                                                      and isinstance(start, dt.datetime))
        check(str(e.get("TRANSP", "OPAQUE")) == ("OPAQUE" if visit else "TRANSPARENT"), f"{name}: {summary} busy only if a visit")
        out[uid] = (int(e["SEQUENCE"]), e.decoded("DTSTAMP"), start, summary, start_utc, [a.decoded("TRIGGER") for a in e.walk("VALARM")])
    # The sessions against the plan file.
    sessions = sorted((x for x in out.values() if x[3].startswith("Scalp micropigmentation, session")), key=lambda x: x[4])
    check(len(sessions) == len(plan["sessions"]), f"{name}: {len(plan['sessions'])} session events, found {len(sessions)}")
    for x, s in zip(sessions, plan["sessions"]):
        check(x[2].replace(tzinfo=None) == dt.datetime.combine(day(s["date"]), dt.time.fromisoformat(s["start"])),
              f"{name}: session {s['session']} starts {s['date']} {s['start']}")
    return out, events


def alarm_clock(start_utc, trigger, zone):
    """The wall-clock time (in the clinic's zone) at which an alarm fires."""
    return (start_utc + trigger).astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)


# 1. The bundled clinic, with texts that need every escape and hold non-ASCII
# letters, and a "what to bring" long enough to fold many times.
clinic = json.loads((source / "data" / "clinic" / "default.json").read_text())
zone = clinic["time_zone"]
clinic["name"] = "Clínica Punto; Norte, \\ Süd 点"
clinic["address"] = "Calle Mayor 7, 2º; 28013 Madrid"
clinic["bring"] = "Photo ID; a loose top, a soft cap, and a list of medicines. " * 4 + "Ünïcödé ✓ at the end."
raw, plan1 = plan("escapes", clinic, "2027-02-22", "2027-02-20T15:30:00Z")
got, events = check_calendar("escapes", raw, plan1, zone)
run("plan", design, "--dots", dots, "--start", "2027-02-22", "--intake", examples / "sample-client.intake.json",
    "--clinic", work / "escapes.clinic.json", "--issued", "2027-02-20T15:30:00Z", "--ics", work / "again.ics", "-o", work / "again.json")
check((work / "again.ics").read_bytes() == raw, "a second run with the same time of issue writes the same calendar")
check(plan1["clinic"]["time_zone"] == zone, "the plan file names the clinic's time zone")

unfolded = raw.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")


def escaped(text):
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


# TEXT escaping (section 3.3.11) on the bytes: parsers forgive a bare comma or backslash.
check(f"LOCATION:{escaped(clinic['name'] + ', ' + clinic['address'])}" in unfolded, "LOCATION is escaped as RFC 5545 says")
check(f"X-WR-CALNAME:{escaped('Scalp micropigmentation at ' + clinic['name'])}" in unfolded, "the calendar's name is escaped")
# RFC 5546 section 3.2.1: a PUBLISH names its ORGANIZER.
check(any(l.startswith("ORGANIZER;CN=") and l.endswith(f":mailto:{clinic['email']}") for l in unfolded), "ORGANIZER is the clinic")
check(any(l == "DTSTAMP:20270220T153000Z" for l in unfolded), "DTSTAMP is the time of issue in UTC")
check(all(x[0] == (dt.datetime(2027, 2, 20, 15, 30) - dt.datetime(2000, 1, 1)) // dt.timedelta(minutes=1) for x in got.values()),
      "SEQUENCE is the minutes from 2000-01-01 to the time of issue")

sessions = [e for e in events if str(e["SUMMARY"]).startswith("Scalp micropigmentation, session")]
for e, s in zip(sessions, plan1["sessions"]):
    start = dt.datetime.combine(day(s["date"]), dt.time.fromisoformat(s["start"]))
    start_utc = local(start.date(), start.time(), zone)
    check(e.decoded("DTEND") - e.decoded("DTSTART") == dt.timedelta(minutes=s["duration_min"]), f"session {s['session']} lasts {s['duration_min']} min")
    check(str(e["LOCATION"]) == f"{clinic['name']}, {clinic['address']}", f"session {s['session']} location")
    check(f"\n\nWhat to bring: {clinic['bring']}" in str(e["DESCRIPTION"]), f"session {s['session']} says what to bring")
    alarms = {alarm_clock(start_utc, a.decoded("TRIGGER"), zone): str(a["DESCRIPTION"]) for a in e.walk("VALARM")}
    for c in plan1["precare"]:
        if c["session"] != s["session"] or c["id"] == "patch-test":
            continue
        before = (day(s["date"]) - day(c["date"])).days
        if before > 0:  # that day's morning, 08:00, never later than the visit's own start time
            when = dt.datetime.combine(day(c["date"]), min(dt.time(8), start.time()))
        else:  # the morning of the session, 07:00, or an hour before an earlier start
            when = min(start.replace(hour=7, minute=0), start - dt.timedelta(hours=1))
        # The whole text, word for word: nothing cut that a client must read.
        check(c["text"] in alarms.get(when, ""), f"session {s['session']}: the alarm at {when} carries the whole of {c['id']}")

patch = [c for c in plan1["precare"] if c["id"] == "patch-test"]
patch_events = [e for e in events if str(e["SUMMARY"]).startswith("Patch test")]
check(len(patch) == 1 and len(patch_events) == 1, "one patch test, one patch-test event")
if patch and patch_events:
    # A timed visit (plan.json patch_test: date, start, duration_min), reminded at 18:00 the day before.
    visit = plan1["patch_test"]
    begins = local(day(visit["date"]), dt.time.fromisoformat(visit["start"]), zone)
    check(visit["date"] == patch[0]["date"], "the patch test is on its day")
    check(patch_events[0].decoded("DTSTART").astimezone(UTC) == begins, "the patch test is a timed visit at its start")
    check(patch_events[0].decoded("DTEND") - patch_events[0].decoded("DTSTART") == dt.timedelta(minutes=visit["duration_min"]),
          "the patch test lasts its duration")
    [trig] = [a.decoded("TRIGGER") for a in patch_events[0].walk("VALARM")]
    # 18:00 the day before, unless that day is before the plan's first day (then an hour before the visit).
    if day(visit["date"]) - dt.timedelta(days=1) >= day("2027-02-22"):  # plan1 starts on 2027-02-22
        want = dt.datetime.combine(day(visit["date"]), dt.time(18)) - dt.timedelta(days=1)
    else:
        want = dt.datetime.combine(day(visit["date"]), dt.time.fromisoformat(visit["start"])) - dt.timedelta(hours=1)
    check(alarm_clock(begins, trig, zone) == want, f"the patch test's reminder rings at {want}")

# Aftercare: each span lasts the days its care entry gives.
by_from = {c["from"]: c for c in care["aftercare"]}
for s in plan1["sessions"]:
    d = day(s["date"])
    end = dt.datetime.combine(d, dt.time.fromisoformat(s["start"])) + dt.timedelta(minutes=s["duration_min"])
    for c in care["aftercare"]:
        if c["from"] == "final" or c["to"] == "next" or "when" in c:  # conditional texts: not this client's
            continue
        found = [e for e in events if str(e["DESCRIPTION"]) == c["text"] and
                 (e.decoded("DTSTART").replace(tzinfo=None) == end if c["from"] == 0 else e.decoded("DTSTART") == d + dt.timedelta(days=c["from"]))]
        check(len(found) == 1, f"aftercare from day {c['from']} after session {s['session']}")
        if found:
            last = d + dt.timedelta(days=c["to"] if c["to"] is not None else c["from"])
            e_end = found[0].decoded("DTEND")
            if c["from"] == 0:  # from the session's end to midnight after its last day
                check(e_end.replace(tzinfo=None) == dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0)), f"aftercare from day 0 ends after day {c['to']}")
            else:
                check(e_end == last + dt.timedelta(days=1), f"aftercare days {c['from']}-{c['to']} end after day {c['to']} (DTEND exclusive)")
final_care = next(c for c in care["aftercare"] if c["from"] == "final")
final = [e for e in events if str(e["SUMMARY"]) == "Aftercare after your final session"]
check(len(final) == 1, "aftercare after the final session")
if final:
    last_session = plan1["sessions"][-1]
    check(final[0].decoded("DTSTART").date() == day(last_session["date"]), "final aftercare starts on the final session's day")
    weeks = re.search(r"next (\w+) weeks", final_care["text"])
    if weeks:  # "for the next four weeks": the span covers them
        n = ["one", "two", "three", "four", "five", "six", "seven", "eight"].index(weeks.group(1)) + 1
        check(final[0].decoded("DTEND").date() >= day(last_session["date"]) + dt.timedelta(weeks=n),
              f"final aftercare lasts the {n} weeks its text says")
# "until the next session" after the final one: from that day on (one day's event, so nothing is left out).
for c in care["aftercare"]:
    looks = c.get("look", [])
    if isinstance(looks, str):
        looks = [looks]
    if c["to"] == "next" and "when" not in c and (not looks or "shaved" in looks):  # the sample client's look
        on = day(plan1["sessions"][-1]["date"]) + dt.timedelta(days=c["from"])
        after = [e for e in events if str(e["DESCRIPTION"]) == c["text"] and e.decoded("DTSTART") == on]
        check(len(after) == 1 and "final session, from then on" in str(after[0]["SUMMARY"]),
              f"aftercare from day {c['from']} after the final session, from then on")
# "until the next session" never runs into the next session.
for e in events:
    if "until the next" in str(e["SUMMARY"]):
        check(any(e.decoded("DTEND") == day(s["date"]) for s in plan1["sessions"]), "until-next ends on a session day")

touch = [e for e in events if "touch-up" in str(e["SUMMARY"])]
check(len(touch) == 1, "one touch-up reminder")
if touch:
    due = day(plan1["touch_up"]["date"])
    check(touch[0].decoded("DTSTART") == due, "touch-up on the forecast day")
    [trig] = [a.decoded("TRIGGER") for a in touch[0].walk("VALARM")]
    check(alarm_clock(local(due, dt.time(0), zone), trig, zone) == dt.datetime.combine(due - dt.timedelta(days=14), dt.time(18)),
          "touch-up alarm at 18:00 two weeks ahead")
    check(plan1["touch_up"]["price"] in str(touch[0]["DESCRIPTION"]), "touch-up price")

# 2. Daylight-saving nights in two zones, both changes: a clinic open on
# Sundays, the first session on the day of the change. The three-day alarm
# lies before the change, the session after it; both keep their wall clocks.
# (Europe/London: last Sundays of March and October, at 01:00 UTC;
# America/New_York: second Sunday of March and first of November, 02:00 local.)
dst = {
    ("Europe/London", "2027-03-28"): (dt.datetime(2027, 3, 28, 8, 0, tzinfo=UTC), dt.timedelta(hours=-72)),
    ("Europe/London", "2027-10-31"): (dt.datetime(2027, 10, 31, 9, 0, tzinfo=UTC), dt.timedelta(hours=-74)),
    ("America/New_York", "2027-03-14"): (dt.datetime(2027, 3, 14, 13, 0, tzinfo=UTC), dt.timedelta(hours=-72)),
    ("America/New_York", "2027-11-07"): (dt.datetime(2027, 11, 7, 14, 0, tzinfo=UTC), dt.timedelta(hours=-74)),
}
for (tz, change), (first_utc, three_day) in dst.items():
    c = json.loads((source / "data" / "clinic" / "default.json").read_text())
    c["time_zone"] = tz
    # Open on Sundays only, the plan started the Thursday before: pre-care is
    # never dated before the plan's first day, so the three-day reminder needs
    # those three days.
    c["hours"] = {d: None for d in c["hours"]}
    c["hours"]["sun"] = ["09:00", "18:00"]
    c["session"]["usual_start"] = None  # visits at opening time, 09:00, the hour the change moves
    name = f"dst-{tz.replace('/', '-')}-{change}"
    thursday = (dt.date.fromisoformat(change) - dt.timedelta(days=3)).isoformat()
    raw, p = plan(name, c, thursday, "2027-01-10T09:00:00Z", intake=False)
    got_dst, _ = check_calendar(name, raw, p, tz)
    check(p["sessions"][0]["date"] == change and p["sessions"][0]["start"] == "09:00", f"{name}: session 1 at 09:00 on the day of the change")
    [s1] = [x for x in got_dst.values() if x[3].startswith("Scalp micropigmentation, session 1 ")]
    check(s1[4] == first_utc, f"{name}: session 1 at {first_utc} UTC, not {s1[4]}")
    check(three_day in s1[5], f"{name}: the three-day alarm is {three_day} before (08:00 local three days earlier), got {s1[5]}")
    for x in got_dst.values():  # every reminder at its wall-clock time in the zone
        for trig in x[5]:
            clock = alarm_clock(x[4], trig, tz).time()
            check(clock.minute == 0 or x[3].startswith("Aftercare"), f"{name}: {x[3]}: an alarm at {clock} local")
            if x[3].startswith("Scalp micropigmentation, session"):
                check(clock in (dt.time(7), dt.time(8)), f"{name}: {x[3]}: alarm at {clock} local, not 07:00 or 08:00")

# 3. A re-plan: other dates, issued later. The same UIDs, a higher SEQUENCE
# and a later DTSTAMP, so calendar programs move the events they hold.
raw2, plan2 = plan("replan", clinic, "2027-03-15", "2027-03-01T09:00:00Z")
got2, _ = check_calendar("replan", raw2, plan2, zone)
check(set(got2) == set(got), "a re-plan keeps every event's UID")
check(all(got2[u][0] > got[u][0] for u in got if u in got2), "a re-plan raises SEQUENCE")
check(all(got2[u][1] > got[u][1] for u in got if u in got2), "a re-plan has a later DTSTAMP")
moved = [u for u in got if u in got2 and got2[u][2] != got[u][2]]
check(len(moved) >= len(plan1["sessions"]), "the re-planned sessions have new dates under their old UIDs")

# 4. A clinic file with a time zone the tz database does not know: exit 2,
# one line naming the file and the field, nothing written.
bad = json.loads((source / "data" / "clinic" / "default.json").read_text())
bad["time_zone"] = "Europe/Londn"
(work / "bad.clinic.json").write_text(json.dumps(bad))
(work / "bad.ics").unlink(missing_ok=True)
r = run("plan", design, "--dots", dots, "--start", "2027-03-01", "--clinic", work / "bad.clinic.json", "--ics", work / "bad.ics",
        "-o", work / "bad.plan.json", expect=2)
check(r.stderr.count("\n") == 1 and "bad.clinic.json" in r.stderr and "time_zone" in r.stderr and "Europe/London" in r.stderr,
      f"a bad time zone is one line naming the file, the field and an example: {r.stderr!r}")
check(not (work / "bad.ics").exists(), "nothing written for a bad time zone")
r = run("plan", design, "--dots", dots, "--start", "2027-03-01", "--issued", "2027-03-01 09:00", "-o", work / "bad.plan.json", expect=2)
check(r.stderr.count("\n") == 1 and "--issued" in r.stderr, f"a bad --issued is one line naming it: {r.stderr!r}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"ok: {len(events)} events in the bundled clinic's calendar; {len(dst)} daylight-saving changes; a re-plan")
