import type { Schemas } from "../../api/client";
import { answersFromIntake } from "./ConsultationPages";
import { choicesOfDesign, choiceWords, nextChoices } from "./DesignChoices";
// The engine's own design of the sample client (docs/examples, made by `stipple design new --from-intake`).
import sampleDesign from "../../../../docs/examples/sample-client.design.json";
import sampleIntake from "../../../../docs/examples/sample-client.intake.json";

describe("the design's choices", () => {
  it("are read from the engine's design document", () => {
    expect(choicesOfDesign(sampleDesign)).toEqual({ norwood: "V", look: "shaved", hairline: "natural", pigment_tone: "neutral", hair_color: "dark_brown" });
    expect(choicesOfDesign({ hair_loss: { norwood: null, ludwig: "II" }, look: "density" })).toEqual({ ludwig: "II", look: "density" });
  });

  it("send only what was changed, over the earlier run's own choices", () => {
    const shown = choicesOfDesign(sampleDesign);
    expect(nextChoices(shown, shown, undefined)).toEqual({});
    expect(nextChoices(shown, { ...shown, hairline: "soft", norwood: "IV" }, undefined)).toEqual({ hairline: "soft", norwood: "IV" });
    expect(nextChoices({ ...shown, pigment_tone: "cool" }, { ...shown, pigment_tone: "cool", look: "density" }, { pigment_tone: "cool" })).toEqual({
      pigment_tone: "cool",
      look: "density",
    });
  });

  it("say in words what the practitioner chose", () => {
    expect(choiceWords({ hairline: "soft", pigment_tone: "cool", norwood: "IV" })).toBe("norwood class: IV, hairline: Soft, pigment tone: Cool");
    expect(choiceWords({})).toBe("");
  });
});

describe("an intake edited to run again", () => {
  it("keeps every answer, with today's date and the age and sex the record gives now", () => {
    const client = { id: "c1", name: "Sam Sample", sex: "male", date_of_birth: "1980-01-01", email: null, phone: null, notes: null } as unknown as Schemas["Client"];
    const a = answersFromIntake(sampleIntake, client);
    expect(a.schema).toBeUndefined();
    expect(a.hair_loss).toEqual(sampleIntake.hair_loss);
    expect(a.goals).toEqual(sampleIntake.goals);
    const c = a.client as Record<string, unknown>;
    expect(c.sex).toBe("male");
    expect(c.fitzpatrick).toBe(sampleIntake.client.fitzpatrick);
    expect(c.age).toBeGreaterThanOrEqual(45);  // born 1980, so 45 or more from 2025 on
    expect(a.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
