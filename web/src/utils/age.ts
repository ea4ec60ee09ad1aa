/**
 * Age in whole years on `today` of someone born on `dob` (both "YYYY-MM-DD",
 * calendar dates without a time zone). A birthday on 29 February counts on
 * 1 March in years without one, as most civil law does. Returns undefined for
 * a date that is not a real calendar day or lies after `today`.
 */
export function ageOn(dob: string, today: string): number | undefined {
  const b = parseDay(dob), t = parseDay(today);
  if (!b || !t) return undefined;
  if (b.y > t.y || (b.y === t.y && (b.m > t.m || (b.m === t.m && b.d > t.d)))) return undefined;
  let age = t.y - b.y;
  // Leap-day birthdays: in a common year the birthday is 1 March.
  const [bm, bd] = b.m === 2 && b.d === 29 && !isLeap(t.y) ? [3, 1] : [b.m, b.d];
  if (t.m < bm || (t.m === bm && t.d < bd)) age -= 1;
  return age;
}

/** Today's calendar date in the browser's time zone, "YYYY-MM-DD". */
export function todayIso(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function parseDay(s: string): { y: number; m: number; d: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const days = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (mo < 1 || mo > 12 || d < 1 || d > (days[mo - 1] ?? 0)) return undefined;
  return { y, m: mo, d };
}
