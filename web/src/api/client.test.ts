import { ApiError, toApiError } from "./client";

describe("toApiError", () => {
  it("keys the problem's field errors by field path, first message first", () => {
    const body = {
      type: "about:blank",
      title: "Bad request",
      status: 400,
      detail: "date_of_birth: expected YYYY-MM-DD",
      errors: [
        { field: "date_of_birth", message: "expected a calendar date YYYY-MM-DD, found \"1990-02-30\"" },
        { field: "date_of_birth", message: "a second message" },
        { field: "email", message: "expected an email address" },
      ],
    };
    const e = toApiError(body, new Response(null, { status: 400 }));
    expect(e.status).toBe(400);
    expect(e.fields).toEqual({
      date_of_birth: "expected a calendar date YYYY-MM-DD, found \"1990-02-30\"",
      email: "expected an email address",
    });
    expect(e.formMessage).toBe(""); // the fields say it
  });
  it("keeps every gate a refused booking breaks, and whether the override named it", () => {
    const body = {
      title: "Unprocessable Content",
      status: 422,
      detail: "the booking is refused by the opening_hours rule",
      errors: [{ field: "start", message: "expected a time within the clinic's opening hours" }],
      gate: "opening_hours",
      gates: [
        { gate: "opening_hours", field: "start", message: "expected a time within the clinic's opening hours", waived: false },
        { gate: "spacing", field: "start", message: "expected session 3 26-30 days after session 2", waived: true },
        { gate: "consent", field: "client_id", message: "expected the client's signed treatment consent", waived: false, overridable: false },
        { gate: 7, message: "not a gate" },
      ],
    };
    const e = toApiError(body, new Response(null, { status: 422 }));
    expect(e.gates).toEqual([
      { gate: "opening_hours", field: "start", message: "expected a time within the clinic's opening hours", waived: false, overridable: true },
      { gate: "spacing", field: "start", message: "expected session 3 26-30 days after session 2", waived: true, overridable: true },
      { gate: "consent", field: "client_id", message: "expected the client's signed treatment consent", waived: false, overridable: false },
    ]);
    expect(toApiError({ title: "x" }, new Response(null, { status: 409 })).gates).toEqual([]);
  });
  it("reads Retry-After of a 429", () => {
    const e = toApiError({ title: "Too many attempts", detail: "wait" }, new Response(null, { status: 429, headers: { "Retry-After": "42" } }));
    expect(e.retryAfterS).toBe(42);
    expect(e.formMessage).toBe("wait");
  });
  it("names a server that did not answer", () => {
    const e = toApiError(undefined, undefined);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(0);
    expect(e.formMessage).toMatch(/did not answer/);
  });
  it("survives a body that is not a problem", () => {
    const e = toApiError("<html>", new Response(null, { status: 502, statusText: "Bad Gateway" }));
    expect(e.fields).toEqual({});
    expect(e.formMessage).toBe("Bad Gateway");
  });
});
