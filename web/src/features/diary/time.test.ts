import { describe, expect, it } from "vitest";
import { addDays, clinicTime, dateWords, mondayOf, offsetMinutes, wallClock } from "./time";

describe("the clinic's wall clock", () => {
  it("writes a local time with the offset of that day, on both sides of each change", () => {
    // London: forward on 28 March 2027, back on 31 October; New York: 14 March and 7 November.
    expect(clinicTime("2027-03-27", "10:00", "Europe/London")).toBe("2027-03-27T10:00:00+00:00");
    expect(clinicTime("2027-03-29", "10:00", "Europe/London")).toBe("2027-03-29T10:00:00+01:00");
    expect(clinicTime("2027-10-30", "10:00", "Europe/London")).toBe("2027-10-30T10:00:00+01:00");
    expect(clinicTime("2027-11-01", "10:00", "Europe/London")).toBe("2027-11-01T10:00:00+00:00");
    expect(clinicTime("2027-03-13", "10:00", "America/New_York")).toBe("2027-03-13T10:00:00-05:00");
    expect(clinicTime("2027-03-15", "10:00", "America/New_York")).toBe("2027-03-15T10:00:00-04:00");
    expect(clinicTime("2027-11-08", "09:30", "America/New_York")).toBe("2027-11-08T09:30:00-05:00");
    expect(clinicTime("2027-07-01", "09:00", "Asia/Kolkata")).toBe("2027-07-01T09:00:00+05:30");
  });
  it("reads the hour the clocks skip with the offset before it, and the repeated hour's first time", () => {
    expect(clinicTime("2027-03-28", "01:30", "Europe/London")).toBe("2027-03-28T01:30:00+00:00");
    expect(clinicTime("2027-10-31", "01:30", "Europe/London")).toBe("2027-10-31T01:30:00+01:00");
  });
  it("knows the offset at an instant", () => {
    expect(offsetMinutes(Date.UTC(2027, 0, 15, 12), "America/New_York")).toBe(-300);
    expect(offsetMinutes(Date.UTC(2027, 6, 15, 12), "America/New_York")).toBe(-240);
  });
  it("reads the server's times as they are written, and counts days", () => {
    expect(wallClock("2027-03-29T10:05:00+01:00")).toEqual({ date: "2027-03-29", time: "10:05" });
    expect(addDays("2027-03-27", 3)).toBe("2027-03-30");
    expect(addDays("2027-12-30", 3)).toBe("2028-01-02");
    expect(mondayOf("2027-03-28")).toBe("2027-03-22");
    expect(mondayOf("2027-03-29")).toBe("2027-03-29");
  });
});

describe("a record's day in words", () => {
  it("is the day written, whatever the browser's zone", () => {
    expect(dateWords("2027-01-20")).toBe("20 Jan 2027");
    expect(dateWords("2028-02-29")).toBe("29 Feb 2028");
  });
});
