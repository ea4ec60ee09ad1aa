import { documentWords } from "./ConsultationPages";
import { chairTime, money } from "./PlanView";

describe("a consultation's documents in words", () => {
  it("names the engine's files and puts the result before the design", () => {
    expect(documentWords("report.pdf").label).toBe("Consultation report (PDF)");
    expect(documentWords("top.before.png").label).toBe("Before, from above");
    expect(documentWords("three_quarter.healed.png").label).toBe("Healed, three-quarter");
    expect(documentWords("top.years-5.png").label).toBe("5 years later, from above");
    expect(documentWords("top.healed.meta.json").label).toBe("Healed, from above (render settings, JSON)");
    expect(documentWords("back.png").label).toBe("Design, back view");
    expect(documentWords("top.png").label).toBe("Design, top view");
    const order = ["back.png", "timeline.png", "top.years-5.png", "top.healed.png", "three_quarter.before.png", "top.before.png"].sort(
      (a, b) => documentWords(a).order - documentWords(b).order,
    );
    expect(order).toEqual(["top.before.png", "three_quarter.before.png", "top.healed.png", "top.years-5.png", "timeline.png", "back.png"]);
    expect(documentWords("something.new").label).toBe("something.new");
  });
});

describe("the plan's figures", () => {
  it("writes chair time in hours and minutes", () => {
    expect(chairTime(435)).toBe("7 h 15 min");
    expect(chairTime(45)).toBe("45 min");
    expect(chairTime(240)).toBe("4 h");
  });
  it("keeps the quote's decimals exactly", () => {
    expect(money("2900.00", "USD")).toMatch(/2,?900\.00/);
    expect(money("150000", "JPY")).toMatch(/150,?000$/);
    expect(money("12.345", "KWD")).toMatch(/12\.345/);
    expect(money("x", "GBP")).toBe("GBP x");
  });
});
