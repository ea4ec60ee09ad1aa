// The intake document the form sends, and the checks the schema allows before
// sending. What the schema cannot say (answers that contradict each other) the
// engine's reader says, and its message shows at the field it names.
import { scarFields, schema, schemaAt, sections, valueAt, type Answers, type FieldSchema } from "./questions";

export const INTAKE_SCHEMA = "stipple.intake/1";

/** The answers with `path` set to `value` (undefined removes it, and an object left empty). */
export function withValue(a: Answers, path: string, value: unknown): Answers {
  const [head, ...rest] = path.split(".");
  if (head === undefined) return a;
  const next: Answers = { ...a };
  if (rest.length === 0) {
    if (value === undefined) delete next[head];
    else next[head] = value;
    return next;
  }
  const child = typeof a[head] === "object" && a[head] !== null && !Array.isArray(a[head]) ? (a[head] as Answers) : {};
  const inner = withValue(child, rest.join("."), value);
  if (Object.keys(inner).length === 0) delete next[head];
  else next[head] = inner;
  return next;
}

/** The document for POST /clients/{id}/intakes: the schema's name, and only the questions asked. */
export function intakeDocument(a: Answers): Answers {
  let doc: Answers = { ...a };
  for (const sec of sections)
    for (const q of sec.questions) if (q.askedWhen && !q.askedWhen(a) && valueAt(doc, q.path) !== undefined) doc = withValue(doc, q.path, undefined);
  return { schema: INTAKE_SCHEMA, ...doc };
}

const types = (s: FieldSchema) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

/** What is wrong with one value by its schema, in the CLI's words ("expected ..., found ..."), or "". */
export function checkValue(s: FieldSchema, v: unknown): string {
  if (v === undefined || v === null) return "";
  const t = types(s);
  if (t.includes("integer") || t.includes("number")) {
    const integer = t.includes("integer");
    const range =
      s.exclusiveMinimum !== undefined
        ? `above ${s.exclusiveMinimum}${s.maximum !== undefined ? ` and at most ${s.maximum}` : ""}`
        : s.minimum !== undefined && s.maximum !== undefined
          ? `from ${s.minimum} to ${s.maximum}`
          : "";
    const expected = `expected ${integer ? "a whole number" : "a number"}${range ? " " + range : ""}`;
    if (typeof v !== "number" || !Number.isFinite(v)) return `${expected}, found nothing readable`;
    if (integer && !Number.isInteger(v)) return `${expected}, found ${v}`;
    if ((s.minimum !== undefined && v < s.minimum) || (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) || (s.maximum !== undefined && v > s.maximum))
      return `${expected}, found ${v}`;
    return "";
  }
  if (typeof v === "string") {
    if (s.maxLength !== undefined && new TextEncoder().encode(v).length > s.maxLength) return `expected at most ${s.maxLength} bytes, found ${new TextEncoder().encode(v).length}`;
    if (s.pattern && !new RegExp(s.pattern, "u").test(v)) {
      if (s.format === "date") return `expected a date YYYY-MM-DD, found '${v}'`;
      if (s.pattern === "\\S") return `expected some text, found only spaces`;
      return `expected ${s.description ?? "a valid value"}, found '${v}'`;
    }
  }
  return "";
}

/** Every problem the schema finds in a document, by field path ("client.age", "scalp.scars[0].kind"). */
export function validate(doc: Answers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of schema.properties?.client?.required ?? [])
    if (valueAt(doc, `client.${field}`) === undefined) out[`client.${field}`] = "expected an answer: the assessment needs it";
  for (const sec of sections)
    for (const q of sec.questions) {
      if (q.path === "scalp.scars") continue;
      const s = schemaAt(q.path);
      const message = s ? checkValue(s, valueAt(doc, q.path)) : "";
      if (message && !out[q.path]) out[q.path] = message;
    }
  const scars = valueAt(doc, "scalp.scars");
  const item = schemaAt("scalp.scars")?.items;
  if (Array.isArray(scars) && item)
    scars.forEach((scar: Record<string, unknown>, i) => {
      for (const f of scarFields) {
        const path = `scalp.scars[${i}].${f.path}`;
        if ((item.required ?? []).includes(f.path) && scar[f.path] === undefined) out[path] = "expected the scar's kind";
        const message = checkValue(item.properties?.[f.path] ?? {}, scar[f.path]);
        if (message) out[path] = message;
      }
    });
  return out;
}
