import { photoTitle } from "./Photos";

describe("a photo's title", () => {
  it("says when and from which side, with the session where there is one", () => {
    expect(photoTitle({ kind: "before", view: "top", session: null })).toBe("Before, top");
    expect(photoTitle({ kind: "after", view: "front", session: 2 })).toBe("After session 2, front");
    expect(photoTitle({ kind: "session", view: "left", session: 1 })).toBe("During session 1, left");
    expect(photoTitle({ kind: "touch_up", view: "back", session: null })).toBe("Touch-up, back");
    expect(photoTitle({ kind: "after", view: "right", session: null })).toBe("After a session, right");
  });
});
