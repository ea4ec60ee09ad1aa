import { ageOn, todayIso } from "./age";

describe("ageOn", () => {
  it("counts whole years, the birthday itself included", () => {
    expect(ageOn("1990-06-15", "2026-06-14")).toBe(35);
    expect(ageOn("1990-06-15", "2026-06-15")).toBe(36);
    expect(ageOn("1990-06-15", "2026-12-02")).toBe(36);
  });
  it("moves a 29 February birthday to 1 March in common years", () => {
    expect(ageOn("2000-02-29", "2026-02-28")).toBe(25);
    expect(ageOn("2000-02-29", "2026-03-01")).toBe(26);
    expect(ageOn("2000-02-29", "2028-02-29")).toBe(28);
  });
  it("refuses dates that are not calendar days or lie in the future", () => {
    expect(ageOn("1990-02-30", "2026-01-01")).toBeUndefined();
    expect(ageOn("2027-01-01", "2026-12-02")).toBeUndefined();
    expect(ageOn("15/06/1990", "2026-12-02")).toBeUndefined();
  });
});

describe("todayIso", () => {
  it("writes the local calendar date", () => {
    expect(todayIso(new Date(2026, 11, 2, 23, 59))).toBe("2026-12-02");
  });
});
