import { intakeDocument, validate, withValue } from "./intake";
import { scarFields, schemaAt, schemaLeaves, sections, valueAt, type Answers } from "./questions";

const questions = sections.flatMap((s) => s.questions);
const examples = import.meta.glob<Answers>("../../../../docs/examples/*.intake.json", { eager: true, import: "default" });

describe("the questionnaire against the engine's intake schema", () => {
  it("asks every field of the schema once, and no field the schema lacks", () => {
    const asked = questions.map((q) => q.path);
    expect(new Set(asked).size).toBe(asked.length);
    expect([...asked].sort()).toEqual(schemaLeaves().sort());
    const scarKeys = Object.keys(schemaAt("scalp.scars")?.items?.properties ?? {});
    expect(scarFields.map((f) => f.path).sort()).toEqual(scarKeys.sort());
  });

  it("has words for every answer the schema allows, and none it does not", () => {
    for (const q of [...questions, ...scarFields]) {
      const s = q.path in { kind: 1 } ? schemaAt("scalp.scars")?.items?.properties?.kind : schemaAt(q.path);
      const allowed = (s?.enum ?? s?.items?.enum ?? []).filter((v) => v !== null);
      if (allowed.length === 0) continue;
      expect(Object.keys(q.options ?? {}).sort(), q.path).toEqual([...allowed].sort());
    }
    // the skin type is a number with words
    expect(Object.keys(questions.find((q) => q.path === "client.fitzpatrick")?.options ?? {})).toEqual(["1", "2", "3", "4", "5", "6"]);
  });

  it("can hold every answer of the bundled example intakes", () => {
    expect(Object.keys(examples).length).toBeGreaterThanOrEqual(13);
    for (const [file, doc] of Object.entries(examples)) {
      for (const path of schemaLeaves()) {
        const v = valueAt(doc, path);
        if (v === undefined || v === null) continue;
        const q = questions.find((x) => x.path === path);
        expect(q, `${file}: ${path}`).toBeDefined();
        if (q?.askedWhen) expect(q.askedWhen(doc), `${file}: ${path} is asked for this client`).toBe(true);
      }
      expect(validate(doc), file).toEqual({});
    }
  });
});

describe("the document the form sends", () => {
  it("drops the answers to questions that do not apply", () => {
    let a: Answers = { client: { sex: "male", age: 40 } };
    a = withValue(a, "hair_loss.ludwig", "II");
    a = withValue(a, "history.pcos", true);
    a = withValue(a, "history.transplant.method", "none");
    a = withValue(a, "history.transplant.satisfied_with_density", false);
    a = withValue(a, "goals.look", "shaved");
    expect(intakeDocument(a)).toEqual({ schema: "stipple.intake/1", client: { sex: "male", age: 40 }, history: { transplant: { method: "none" } }, goals: { look: "shaved" } });
    // a woman's Norwood class is asked only with pattern loss confirmed, as the engine reads it
    const woman = withValue({ client: { sex: "female", age: 40 }, hair_loss: { norwood: "III" } }, "hair_loss.pattern", "androgenetic");
    expect(valueAt(intakeDocument(woman), "hair_loss.norwood")).toBe("III");
    expect(valueAt(intakeDocument(withValue(woman, "hair_loss.pattern", undefined)), "hair_loss.norwood")).toBeUndefined();
  });

  it("removes an emptied group", () => {
    const a = withValue(withValue({}, "goals.look", "density"), "goals.look", undefined);
    expect(a).toEqual({});
  });

  it("names each problem the schema finds at its field, in the reader's words", () => {
    const found = validate({
      schema: "stipple.intake/1",
      client: { age: 121 },
      hair_loss: { duration_months: 2.5 },
      goals: { currency: "pounds" },
      scalp: { scars: [{ length_mm: 40 }, { kind: "FUT", width_mm: 0 }] },
    });
    expect(found["client.sex"]).toMatch(/expected an answer/);
    expect(found["client.age"]).toBe("expected a whole number from 0 to 120, found 121");
    expect(found["hair_loss.duration_months"]).toBe("expected a whole number from 0 to 1440, found 2.5");
    expect(found["goals.currency"]).toMatch(/three capital letters.*found 'pounds'/);
    expect(found["scalp.scars[0].kind"]).toBe("expected the scar's kind");
    expect(found["scalp.scars[1].width_mm"]).toBe("expected a number above 0 and at most 100, found 0");
    expect(Object.keys(found)).toHaveLength(6);
  });
});
