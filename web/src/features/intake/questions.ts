// The intake questionnaire (stipple.intake/1) as the consultation form asks it.
//
// What a field may hold (its type, words, range, whether it is required) comes
// from the engine's own JSON Schema, docs/intake.schema.json, which
// `stipple schema intake` generates from the intake reader's field table; this
// file adds only what a person reads: the question, its help (docs/intake.md in
// the words of a consultation), the words of each answer, and when a question
// is asked. A test holds this table to the schema field by field, so a field
// added to the engine and not asked here fails the UI's tests.
import intakeSchema from "../../../../docs/intake.schema.json";

/** The part of JSON Schema 2020-12 that the intake schema uses. */
export interface FieldSchema {
  type?: string | string[];
  enum?: Array<string | null>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  description?: string;
  items?: FieldSchema;
  properties?: Record<string, FieldSchema>;
  required?: string[];
}

export const schema = intakeSchema as unknown as FieldSchema;

/** The form's answers, as a partial intake document: a missing key is "not asked". */
export type Answers = Record<string, unknown>;

/** A question: the field's dotted path ("hair_loss.norwood"), and what a person reads. */
export interface Question {
  path: string;
  label: string;
  help?: string;
  /** the words of each answer, by the value the engine reads */
  options?: Record<string, string>;
  /** the question is asked only when this holds (otherwise its answer is not sent) */
  askedWhen?(a: Answers): boolean;
  /** a number's unit, shown after the input */
  unit?: string;
}

export interface Section {
  id: string;
  title: string;
  intro?: string;
  questions: Question[];
}

/** The value at a dotted path of the answers, or undefined. */
export function valueAt(a: Answers, path: string): unknown {
  let v: unknown = a;
  for (const k of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

const is = (path: string, ...values: unknown[]) => (a: Answers) => values.includes(valueAt(a, path));
const isNot = (path: string, ...values: unknown[]) => (a: Answers) => !values.includes(valueAt(a, path));

const LEVEL = { none: "None", controlled: "Controlled", flare: "Flare-up now" };

export const sections: Section[] = [
  {
    id: "client",
    title: "Client",
    questions: [
      { path: "date", label: "Date of the consultation", help: "The day these answers were given. The waits the assessment sets (72 hours after alcohol or painkillers, months after isotretinoin, until a scar has matured) count from this day." },
      { path: "client.name", label: "Name for the report", help: "How the client wishes to be addressed." },
      { path: "client.sex", label: "Sex", help: "Decides the hair-loss scale: Norwood for men, Ludwig for women.", options: { male: "Male", female: "Female", other: "Other" } },
      { path: "client.age", label: "Age", unit: "years", help: "Under 18 SMP is not offered; under 25 the loss may still progress." },
      {
        path: "client.fitzpatrick",
        label: "Skin type (Fitzpatrick)",
        help: "Sets the pigment's shade and how it fades.",
        options: { "1": "I: very fair, always burns", "2": "II: fair, usually burns", "3": "III: medium, sometimes burns", "4": "IV: olive, rarely burns", "5": "V: brown, very rarely burns", "6": "VI: deeply pigmented, never burns" },
      },
      {
        path: "client.hair_color",
        label: "Natural hair colour",
        help: "Of the hair that remains; sets the pigment's shade.",
        options: { black: "Black", dark_brown: "Dark brown", brown: "Brown", light_brown: "Light brown", blonde: "Blonde", red: "Red", grey: "Grey", white: "White" },
      },
    ],
  },
  {
    id: "hair_loss",
    title: "Hair loss",
    questions: [
      {
        path: "hair_loss.pattern",
        label: "Kind of hair loss",
        options: { androgenetic: "Pattern loss (androgenetic)", diffuse: "Diffuse thinning", patchy: "Patches", scarring: "Missing because of scars", total: "The whole scalp", universal: "The whole body", none: "No hair loss" },
      },
      {
        path: "hair_loss.norwood",
        label: "Norwood class",
        help: "Male pattern loss, I (none) to VII (only a band at the sides and back).",
        askedWhen: (a) => isNot("client.sex", "female")(a) || is("hair_loss.pattern", "androgenetic")(a),
        options: { I: "I", II: "II", IIa: "IIa", III: "III", IIIa: "IIIa", "III-vertex": "III vertex", IV: "IV", IVa: "IVa", V: "V", Va: "Va", VI: "VI", VII: "VII" },
      },
      {
        path: "hair_loss.ludwig",
        label: "Ludwig class",
        help: "Female pattern thinning over the crown with the front hairline kept: I mild, II marked, III extensive.",
        askedWhen: (a) => isNot("client.sex", "male")(a) || is("hair_loss.pattern", "diffuse", "androgenetic")(a),
        options: { I: "I: mild", II: "II: marked", III: "III: extensive" },
      },
      {
        path: "hair_loss.areas",
        label: "Where the client sees loss",
        help: "Added to what the class implies.",
        options: { hairline: "Hairline", temples: "Temples", front: "Front", mid_scalp: "Mid-scalp", crown: "Crown", sides: "Sides", back: "Back" },
      },
      { path: "hair_loss.duration_months", label: "Months since the loss began", unit: "months" },
      { path: "hair_loss.shedding", label: "Daily shedding", options: { normal: "As usual", increased: "More than usual", sudden: "Sudden, in handfuls" } },
      { path: "hair_loss.body_hair_loss", label: "Hair lost elsewhere on the body", help: "Eyebrows, beard, body: a doctor should see it first." },
      { path: "hair_loss.family_history", label: "Pattern hair loss in the family" },
      { path: "hair_loss.progressing", label: "Still advancing in the last 12 months" },
    ],
  },
  {
    id: "history",
    title: "Health history",
    intro: "Nothing here asks the client to change a medicine: the plan works around what a doctor prescribed.",
    questions: [
      {
        path: "history.medications",
        label: "Regular medications",
        options: {
          anticoagulant: "Anticoagulant (blood thinner)", aspirin: "Aspirin", ibuprofen: "Ibuprofen", birth_control: "Birth control", antidepressant: "Antidepressant",
          anxiolytic: "Anxiolytic", blood_pressure: "Blood pressure", heart: "Heart medicine", retinoid: "Retinoid (tablets)", minoxidil: "Minoxidil",
          finasteride: "Finasteride", isotretinoin: "Isotretinoin", topical_retinoid: "Retinoid cream or gel", other: "Other",
        },
      },
      {
        path: "history.isotretinoin_last_dose_months",
        label: "Months since the last isotretinoin dose",
        unit: "months",
        help: "Leave empty while the client still takes it: SMP waits 6 months after the last dose.",
      },
      { path: "history.thyroid", label: "Thyroid disorder", options: { none: "None", treated: "Treated", untreated: "Untreated", suspected: "Suspected" } },
      { path: "history.pcos", label: "Polycystic ovary syndrome (PCOS)", askedWhen: isNot("client.sex", "male") },
      { path: "history.postpartum_months", label: "Months since giving birth", unit: "months", help: "Shedding in the two years after a birth is often temporary: the advice may be to wait and watch.", askedWhen: isNot("client.sex", "male") },
      { path: "history.chemotherapy", label: "Chemotherapy", options: { none: "None", active: "Under treatment now", completed: "Completed" } },
      { path: "history.stress_event_months", label: "Months since a major shock", unit: "months", help: "Surgery, bereavement, severe injury or illness." },
      { path: "history.lupus", label: "Lupus" },
      { path: "history.alopecia_areata", label: "Diagnosed alopecia areata", options: { none: "No", stable: "Yes, stable", active: "Yes, active" } },
      { path: "history.eating_disorder", label: "Eating disorder (anorexia, bulimia)", options: { none: "None", treated: "Treated", untreated: "Untreated" } },
      { path: "history.transplant.method", label: "An earlier hair transplant", options: { none: "None", FUT: "FUT (strip)", FUE: "FUE" } },
      {
        path: "history.transplant.satisfied_with_density",
        label: "Satisfied with the transplant's density",
        askedWhen: is("history.transplant.method", "FUT", "FUE"),
      },
    ],
  },
  {
    id: "scalp",
    title: "Scalp",
    questions: [
      {
        path: "scalp.symptoms",
        label: "Current scalp symptoms",
        help: "Any of these but round patches needs a doctor before SMP.",
        options: { itching: "Itching", burning: "Burning", stinging: "Stinging", tenderness: "Tenderness", redness: "Redness", swelling: "Swelling", sores: "Sores", pus: "Pus", circular_patches: "Round patches" },
      },
      { path: "scalp.psoriasis", label: "Scalp psoriasis", options: LEVEL },
      { path: "scalp.acne", label: "Scalp acne", options: LEVEL },
      { path: "scalp.keloid_prone", label: "Tends to form keloid scars" },
      { path: "scalp.ringworm", label: "Ringworm (tinea capitis)", options: { none: "None", suspected: "Suspected", confirmed: "Confirmed" } },
      { path: "scalp.pigment_allergy", label: "Allergy to tattoo pigment", options: { unknown: "Not known", none: "None", known: "Known allergy" } },
      { path: "scalp.patch_test", label: "Pigment patch test", options: { not_done: "Not done yet", passed: "Passed", failed: "Failed" } },
      { path: "scalp.donor_density", label: "Donor hair at the back and sides", options: { good: "Good", fair: "Fair", poor: "Poor", unknown: "Not assessed" } },
      { path: "scalp.scars", label: "Visible scars on the scalp" },
    ],
  },
  {
    id: "lifestyle",
    title: "Lifestyle",
    questions: [
      { path: "lifestyle.sun_exposure", label: "Usual sun on the scalp", options: { low: "Low", moderate: "Moderate", high: "High" }, help: "Drives how fast the pigment fades and when a touch-up is due." },
      {
        path: "lifestyle.last_72h",
        label: "In the last 72 hours",
        help: "Any of these before a session raises bleeding or irritation: the first session waits until 72 hours have passed.",
        options: { alcohol: "Alcohol", aspirin: "Aspirin", ibuprofen: "Ibuprofen", blood_thinning_supplements: "Fish oil, ginkgo, vitamin E", tanning: "Sunbed or tanning" },
      },
      { path: "lifestyle.hair_dye", label: "Dyes or chemically treats the hair" },
    ],
  },
  {
    id: "goals",
    title: "Goals",
    questions: [
      { path: "goals.look", label: "The look the client wants", options: { shaved: "Shaved (buzz cut)", density: "Density under longer hair", scar_camouflage: "Scar camouflage", undecided: "Undecided" } },
      { path: "goals.keep_long_hair", label: "Keeps longer hair", help: "Not with the shaved look: the dots read as hair only on a shaved head." },
      { path: "goals.wants_styleable_hair", label: "Wants hair that can be styled", help: "SMP gives the look of hair, not hair to style: a transplant may suit better." },
      { path: "goals.budget", label: "Budget for the treatment", help: "Compared with what treatments of this size usually cost." },
      { path: "goals.currency", label: "Currency of the budget", help: "ISO 4217, three capital letters (GBP, EUR, USD).", askedWhen: (a) => valueAt(a, "goals.budget") !== undefined },
    ],
  },
];

/** The scar list's own fields (scalp.scars[i].KEY). */
export const scarFields: Question[] = [
  { path: "kind", label: "Kind", options: { FUT: "FUT strip", FUE: "FUE dots", surgical: "Surgical", burn: "Burn", injury: "Injury" } },
  { path: "length_mm", label: "Length", unit: "mm" },
  { path: "width_mm", label: "Width", unit: "mm" },
  { path: "age_months", label: "Age", unit: "months" },
];

/** The schema of a dotted path ("history.transplant.method"), or undefined. */
export function schemaAt(path: string): FieldSchema | undefined {
  let s: FieldSchema | undefined = schema;
  for (const k of path.split(".")) s = s?.properties?.[k];
  return s;
}

/** Every leaf field of the schema, as dotted paths ("scalp.scars" counts as one). */
export function schemaLeaves(s: FieldSchema = schema, prefix = ""): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    if (k === "schema" && prefix === "") continue;  // the document's version, not a question
    const path = prefix + k;
    if (v.properties) out.push(...schemaLeaves(v, path + "."));
    else out.push(path);
  }
  return out;
}
