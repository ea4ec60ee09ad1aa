// The clinic's settings as the owner edits them: the three documents the
// engine's `plan` reads (stipple.clinic/1, stipple.pricing/1, stipple.care/1;
// docs/plan.md), held as they are and changed one field at a time, so that
// whatever the form does not show (session lengths, sources) is saved as read.
// The server checks each document with the engine's reader and answers errors
// at "clinic.hours.mon", "pricing.treatment.tiers[1].price", "care.precare[0].text".
import type { Schemas } from "../../api/client";

export type ClinicSettings = Schemas["ClinicSettings"];
export type ClinicSettingsUpdate = Schemas["ClinicSettingsUpdate"];
export type ClinicDocument = Schemas["ClinicDocument"];
export type PricingDocument = Schemas["PricingDocument"];
export type CareDocument = Schemas["CareDocument"];

export interface SettingsDraft {
  clinic: ClinicDocument;
  pricing: PricingDocument;
  care: CareDocument;
}

export type Path = ReadonlyArray<string | number>;

/** "clinic" + ["hours", "mon"] -> "clinic.hours.mon"; ["treatment", "tiers", 1, "price"] -> "treatment.tiers[1].price" (the CLI's field paths). */
export function fieldPath(path: Path): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** `doc` with the value at `path` replaced (undefined: the key removed), copying only what is on the way. */
export function setIn<T>(doc: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  if (Array.isArray(doc)) {
    const copy = [...doc];
    copy[head as number] = setIn(copy[head as number], rest, value);
    return copy as T;
  }
  const obj = { ...(doc as Record<string, unknown>) };
  const next = setIn(obj[head as string], rest, value);
  if (next === undefined) delete obj[head as string];
  else obj[head as string] = next;
  return obj as T;
}

/** The value at `path`, or undefined. */
export function getIn(doc: unknown, path: Path): unknown {
  let v: unknown = doc;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

export const WEEKDAYS = [
  { key: "mon", label: "Monday" },
  { key: "tue", label: "Tuesday" },
  { key: "wed", label: "Wednesday" },
  { key: "thu", label: "Thursday" },
  { key: "fri", label: "Friday" },
  { key: "sat", label: "Saturday" },
  { key: "sun", label: "Sunday" },
] as const;

/** The IANA time zones the browser knows (the server checks against its own tz database), with `current` kept. */
export function timeZones(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = (Intl as unknown as { supportedValuesOf?(k: string): string[] }).supportedValuesOf?.("timeZone") ?? [];
  } catch {
    zones = [];
  }
  const all = new Set([...zones, "UTC", current].filter(Boolean));
  return [...all].sort();
}

/**
 * A tax rate as the price list holds it ("0.2", a fraction) as a percentage ("20"),
 * by moving the decimal point in the text, so no binary rounding creeps in.
 */
export function rateToPercent(rate: string | number): string {
  return shiftDecimal(String(rate), 2);
}

/** "20" -> "0.2", "7.5" -> "0.075"; "" stays "" (the server then names the field). */
export function percentToRate(percent: string): string {
  return shiftDecimal(percent.trim(), -2);
}

function shiftDecimal(text: string, places: number): string {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || text === "" || text === ".") return text;
  const whole = m[1] ?? "", frac = m[2] ?? "";
  let digits = whole + frac;
  let point = whole.length + places;
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits + "0".repeat(point - digits.length);
  let intPart = digits.slice(0, point).replace(/^0+(?=\d)/, "");
  const fracPart = digits.slice(point).replace(/0+$/, "");
  if (intPart === "") intPart = "0";
  return fracPart ? `${intPart}.${fracPart}` : intPart;
}

/**
 * An amount as typed, written with the price list's decimals ("1950" -> "1950.00" for 2):
 * only padded, never rounded, so a price with too many decimals still reaches the server's check.
 */
export function padAmount(text: string, decimals: number): string {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return text;
  const frac = m[2] ?? "";
  if (frac.length > decimals) return text;
  return decimals === 0 ? m[1]! : `${m[1]}.${frac.padEnd(decimals, "0")}`;
}

/** The care conditions of docs/plan.md in words, for the label of a conditional text. */
export const CONDITION_WORDS: Record<string, string> = {
  patch_test: "clients who need a patch test",
  anticoagulant: "clients on blood thinners",
  minoxidil: "clients using minoxidil",
  hair_dye: "clients who dye their hair",
  topical_retinoid: "clients using retinoid creams",
  isotretinoin: "clients on isotretinoin",
  grey_hair: "clients with grey hair",
  scar: "clients with scars",
  regular_painkillers: "clients taking aspirin or ibuprofen regularly",
};

export const LOOK_WORDS: Record<string, string> = {
  shaved: "the shaved look",
  density: "density",
  scar_camouflage: "scar camouflage",
  patch_camouflage: "patch camouflage",
};

/** Who a care text is for, in words: "Before the first session, 14 days ahead · clients who dye their hair". */
export function precareLabel(p: CareDocument["precare"][number]): string {
  const when = p.sessions === "first" ? "Before the first session" : "Before every session";
  const ahead = p.days_before === 0 ? "on the day" : p.days_before === 1 ? "1 day ahead" : `${p.days_before} days ahead`;
  const only = [p.when ? CONDITION_WORDS[p.when] ?? p.when : "", p.look ? `for ${LOOK_WORDS[p.look] ?? p.look}` : ""].filter(Boolean);
  return [`${when}, ${ahead}`, ...only].join(" · ");
}

export function aftercareLabel(a: CareDocument["aftercare"][number]): string {
  const days = a.from === "final" ? "After the final session" : `Day ${a.day}`;
  const looks = a.look === undefined ? [] : Array.isArray(a.look) ? a.look : [a.look];
  const only = [a.when ? CONDITION_WORDS[a.when] ?? a.when : "", looks.length ? `for ${looks.map((l) => LOOK_WORDS[l] ?? l).join(", ")}` : ""].filter(Boolean);
  return [days, ...only].join(" · ");
}

/** The server's field errors that no field of the form shows (e.g. in the session lengths), for one list above the form. */
export function unplacedErrors(fields: Record<string, string>, shown: ReadonlySet<string>): Array<[string, string]> {
  return Object.entries(fields).filter(([k]) => !shown.has(k));
}

/** The body of a save: the documents as edited, from the version they were read at. */
export function updateBody(version: number, d: SettingsDraft): ClinicSettingsUpdate {
  return { version, clinic: d.clinic, pricing: d.pricing, care: d.care };
}

/** The field paths the settings form shows for `d`, as the server names them; an error elsewhere goes in the list above the form. */
export function formFields(d: SettingsDraft): Set<string> {
  const out = new Set<string>();
  const add = (doc: keyof SettingsDraft, ...path: Path[]) => path.forEach((p) => out.add(fieldPath([doc, ...p])));
  add("clinic", ["name"], ["address"], ["phone"], ["email"], ["time_zone"], ["bring"], ["holidays"]);
  WEEKDAYS.forEach(({ key }) => add("clinic", ["hours", key]));
  (d.clinic.holidays ?? []).forEach((_, i) => add("clinic", ["holidays", i]));
  add("clinic", ["session", "usual_start"], ["session", "max_minutes"], ["session", "preparation_minutes"], ["session", "numbing_minutes"],
    ["session", "spacing_days", "min"], ["session", "spacing_days", "max"]);
  if (d.clinic.session.later_spacing_days)
    add("clinic", ["session", "later_spacing_days", "min"], ["session", "later_spacing_days", "max"]);
  add("pricing", ["currency"], ["consultation"], ["scar_surcharge"], ["scar_camouflage"], ["extra_session"], ["touch_up"], ["tax_rate"],
    ["tax_name"], ["tax_included"]);
  const t = d.pricing.treatment;
  if (t.by === "area") t.tiers.forEach((_, i) => add("pricing", ["treatment", "tiers", i, "up_to_cm2"], ["treatment", "tiers", i, "price"], ["treatment", "tiers", i, "label"]));
  else add("pricing", ["treatment", "price"]);
  d.care.precare.forEach((_, i) => add("care", ["precare", i, "text"], ["precare", i, "days_before"]));
  d.care.aftercare.forEach((_, i) => add("care", ["aftercare", i, "text"]));
  return out;
}
