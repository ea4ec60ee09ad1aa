// The diary's wall clock: the clinic's IANA time zone, not the browser's.
//
// The server writes every time as RFC 3339 on the clinic's clock
// ("2027-03-29T10:00:00+01:00"), so showing one needs no conversion: its date
// and time are the first 10 and the 5 after the "T". Sending one needs the
// clinic's offset on that day, which Intl.DateTimeFormat gives for any zone
// (the tz database the browser carries), daylight-saving changes included.

/** The numbers of "YYYY-MM-DD" (or "HH:MM"), 0 where one is missing. */
function numbers(text: string, sep: string): [number, number, number] {
  const p = text.split(sep).map(Number);
  return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
}

/** The zone's offset from UTC in minutes at an instant (local = UTC + offset). */
export function offsetMinutes(instantMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instantMs));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  const asUtc = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60000);
}

/**
 * A wall-clock time in the clinic's zone as RFC 3339 with that moment's
 * offset: clinicTime("2027-03-29", "10:00", "Europe/London") is
 * "2027-03-29T10:00:00+01:00". A time in the hour the clocks skip is read
 * with the offset before the change, as the server reads one (RFC 5545).
 */
export function clinicTime(date: string, time: string, timeZone: string): string {
  const [y, mo, d] = numbers(date, "-");
  const [h, mi] = numbers(time, ":");
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // The offset before the time: at the instant the wall clock, read as UTC, less a day's worth of slack.
  const before = offsetMinutes(wall - 86400000 / 2, timeZone);
  const first = offsetMinutes(wall - before * 60000, timeZone);
  const offset = offsetMinutes(wall - first * 60000, timeZone) === first ? first : before;
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${date}T${p(h)}:${p(mi)}:00${sign}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
}

/** The date ("YYYY-MM-DD") and time ("HH:MM") on the clinic's clock of a time the server wrote. */
export function wallClock(rfc3339: string): { date: string; time: string } {
  return { date: rfc3339.slice(0, 10), time: rfc3339.slice(11, 16) };
}

/** The calendar day `n` days after `date` (both "YYYY-MM-DD"). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = numbers(date, "-");
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The Monday of the week of `date`. */
export function mondayOf(date: string): string {
  const [y, m, d] = numbers(date, "-");
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;  // Monday 0
  return addDays(date, -weekday);
}

/** "Mon 29 Mar" for a day. */
export function dayWords(date: string): string {
  const [y, m, d] = numbers(date, "-");
  return new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** "20 Jan 2027" for a day YYYY-MM-DD (a record's date, the same in every zone). */
export function dateWords(date: string): string {
  const [y, m, d] = numbers(date, "-");
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}
