import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ApiError, type Client } from "../../api/client";
import { ClientForm, draftOf } from "./ClientForm";
import { createBody, updateBody } from "./ClientPages";

const client: Client = {
  id: "c1",
  name: "Ana Lima",
  email: "ana@example.com",
  phone: null,
  date_of_birth: "1990-06-15",
  sex: "female",
  notes: "prefers mornings",
  created_at: "2026-11-01T10:00:00Z",
  updated_at: "2026-11-01T10:00:00Z",
  version: 3,
};

describe("ClientForm", () => {
  it("asks for the sex of a new client instead of assuming one", async () => {
    const onSave = vi.fn();
    render(<ClientForm initial={draftOf()} clinical submitLabel="Create client" onSave={onSave} />);
    expect(screen.getByLabelText("Sex")).toHaveValue("");
    await userEvent.type(screen.getByLabelText("Full name"), "Bo Chen");
    await userEvent.click(screen.getByRole("button", { name: "Create client" }));
    expect(onSave).not.toHaveBeenCalled();
    expect(await screen.findByText(/expected the client's sex/)).toBeVisible();
    await userEvent.selectOptions(screen.getByLabelText("Sex"), "male");
    await userEvent.click(screen.getByRole("button", { name: "Create client" }));
    expect(onSave).toHaveBeenCalledWith(expect.objectContaining({ name: "Bo Chen", sex: "male" }));
  });

  it("shows each server error at its field, and marks the field invalid", async () => {
    const onSave = vi.fn().mockRejectedValue(new ApiError(400, "Bad request", "", { date_of_birth: "expected a past date", email: "expected an email address" }));
    render(<ClientForm initial={draftOf(client)} clinical submitLabel="Save" onSave={onSave} />);
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    const dob = screen.getByLabelText("Date of birth");
    expect(dob).toHaveAttribute("aria-invalid", "true");
    expect(dob.getAttribute("aria-describedby")).toContain("-error");
    expect(await screen.findByText("expected a past date")).toBeVisible();
    expect(screen.getByText("expected an email address")).toBeVisible();
  });
  it("hides clinical notes from front desk", () => {
    render(<ClientForm initial={draftOf(client)} clinical={false} submitLabel="Save" onSave={vi.fn()} />);
    expect(screen.queryByLabelText("Clinical notes")).toBeNull();
  });
  it("gives the age from the date of birth", () => {
    render(<ClientForm initial={draftOf({ ...client, date_of_birth: "2000-01-01" })} clinical submitLabel="Save" onSave={vi.fn()} />);
    expect(screen.getByText(/^Age \d+$/)).toBeVisible();
  });
});

describe("request bodies", () => {
  it("leaves empty optional fields out of a create, and notes when not clinical", () => {
    const d = { ...draftOf(), name: "  Bo Chen ", sex: "male" as const, phone: "+44 20 7946 0000", notes: "x" };
    expect(createBody(d, false)).toEqual({ name: "Bo Chen", sex: "male", phone: "+44 20 7946 0000" });
    expect(createBody(d, true)).toEqual({ name: "Bo Chen", sex: "male", phone: "+44 20 7946 0000", notes: "x" });
  });
  it("sends only what changed, with the version read, and \"\" to clear", () => {
    const d = { ...draftOf(client), email: "", phone: "0123" };
    expect(updateBody(client, d, true)).toEqual({ version: 3, email: "", phone: "0123" });
    expect(updateBody(client, draftOf(client), true)).toEqual({ version: 3 });
  });
});
