import { act, render, screen, within } from "@testing-library/react";
import type { ReactElement } from "react";
import { createMemoryRouter, RouterProvider } from "react-router-dom";
import userEvent from "@testing-library/user-event";
import { ApiError } from "../../api/client";
// The engine's bundled documents, as GET /api/v1/clinic answers them before the first save.
import care from "../../../../data/plan/care.json";
import clinic from "../../../../data/clinic/default.json";
import pricing from "../../../../data/pricing/default.json";
import { SettingsForm } from "./SettingsPage";
import { fieldPath, formFields, padAmount, percentToRate, rateToPercent, setIn, type ClinicSettings } from "./settings";

const settings = {
  version: 0,
  saved_at: null,
  saved_by: null,
  saved_by_name: null,
  clinic,
  pricing,
  care,
  today: "2026-12-02",
} as unknown as ClinicSettings;

/** The form in a data router at /clinic, as the studio shows it (its unsaved-edits guard needs one). */
function renderAtClinic(ui: ReactElement) {
  const router = createMemoryRouter([{ path: "*", element: ui }], { initialEntries: ["/clinic"] });
  return { router, ...render(<RouterProvider router={router} />) };
}

describe("the tax rate", () => {
  it("reads as a percentage and is saved as the price list's fraction, without binary rounding", () => {
    expect(rateToPercent("0.2")).toBe("20");
    expect(rateToPercent("0.075")).toBe("7.5");
    expect(rateToPercent("0")).toBe("0");
    expect(rateToPercent(1)).toBe("100");
    expect(rateToPercent("0.12345")).toBe("12.345");
    expect(percentToRate("20")).toBe("0.2");
    expect(percentToRate("7.5")).toBe("0.075");
    expect(percentToRate("0.1")).toBe("0.001");
    expect(percentToRate("17.5")).toBe("0.175");
    expect(percentToRate("100")).toBe("1");
    expect(percentToRate("")).toBe("");
    expect(percentToRate("twenty")).toBe("twenty");  // left for the server to name at its field
  });
});

describe("an amount", () => {
  it("is written with the price list's decimals, padded but never rounded", () => {
    expect(padAmount("1950", 2)).toBe("1950.00");
    expect(padAmount("1950.5", 2)).toBe("1950.50");
    expect(padAmount("1950.555", 2)).toBe("1950.555");
    expect(padAmount("1500", 0)).toBe("1500");
    expect(padAmount("12.3", 3)).toBe("12.300");
    expect(padAmount("abc", 2)).toBe("abc");
    expect(padAmount("", 2)).toBe("");
  });
});

describe("editing a document", () => {
  it("names fields as the server does and changes only the path it sets", () => {
    expect(fieldPath(["clinic", "hours", "mon"])).toBe("clinic.hours.mon");
    expect(fieldPath(["pricing", "treatment", "tiers", 1, "price"])).toBe("pricing.treatment.tiers[1].price");
    const doc = { hours: { mon: ["09:00", "18:00"], tue: null }, name: "A" };
    const next = setIn(doc, ["hours", "mon", 1], "17:00");
    expect(next.hours.mon).toEqual(["09:00", "17:00"]);
    expect(doc.hours.mon).toEqual(["09:00", "18:00"]);
    expect(next.hours.tue).toBeNull();
    expect(setIn(doc, ["name"], undefined)).toEqual({ hours: doc.hours });
  });
});

describe("SettingsForm", () => {
  it("has a field for every path it claims to show", () => {
    const { container } = renderAtClinic(<SettingsForm settings={settings} readOnly={false} onSave={vi.fn()} onReload={vi.fn()} />);
    const fields = formFields(settings);
    expect(fields.size).toBeGreaterThan(40);
    for (const k of fields) {
      const found = container.querySelector(`[name="${CSS.escape(k)}"], [data-field="${CSS.escape(k)}"]`);
      expect(found, k).not.toBeNull();
    }
  });

  it("saves the edited documents from the version read, and shows each error at its field or in the list", async () => {
    const onSave = vi.fn().mockRejectedValueOnce(
      new ApiError(400, "Bad Request", "2 fields are not valid", {
        "clinic.hours.mon": "expected an opening time at least an hour before the closing time, found open 18:00 to 09:00",
        "clinic.session.length.first_by_area[1].area_cm2": "expected areas rising, found 50",
      }),
    );
    renderAtClinic(<SettingsForm settings={settings} readOnly={false} onSave={onSave} onReload={vi.fn()} />);
    const save = screen.getByRole("button", { name: "Save settings" });
    expect(save).toBeDisabled();  // nothing changed yet
    const name = screen.getByLabelText("Clinic name");
    await userEvent.clear(name);
    await userEvent.type(name, "Northern Lines SMP");
    await userEvent.click(screen.getByRole("checkbox", { name: "Sunday" }));
    const rate = screen.getByLabelText("Tax rate");
    await userEvent.clear(rate);
    await userEvent.type(rate, "20");
    await userEvent.click(save);
    const body = onSave.mock.calls[0]![0];
    expect(body.version).toBe(0);
    expect(body.clinic.name).toBe("Northern Lines SMP");
    expect(body.clinic.hours.sun).toEqual(["09:00", "17:00"]);
    expect(body.pricing.tax_rate).toBe("0.2");
    expect(body.care).toEqual(care);  // what the form does not touch is sent as read
    expect(body.clinic.session.length).toEqual(clinic.session.length);
    const monday = screen.getByRole("group", { name: "Monday" });
    expect(await within(monday).findByText(/opening time at least an hour/)).toBeVisible();
    expect(screen.getByText("clinic.session.length.first_by_area[1].area_cm2")).toBeVisible();
  });

  it("asks before leaving the page with unsaved edits", async () => {
    const { router } = renderAtClinic(<SettingsForm settings={settings} readOnly={false} onSave={vi.fn()} onReload={vi.fn()} />);
    await act(() => router.navigate("/clients"));
    expect(router.state.location.pathname).toBe("/clients");  // nothing edited: no question
    await act(() => router.navigate("/clinic"));
    await userEvent.type(screen.getByLabelText("Address"), " 2");
    await act(() => router.navigate("/clients"));
    expect(screen.getByRole("alertdialog", { name: "Unsaved changes" })).toBeVisible();
    await userEvent.click(screen.getByRole("button", { name: "Stay on this page" }));
    expect(router.state.location.pathname).toBe("/clinic");
    expect(screen.getByLabelText("Address")).toHaveValue(`${clinic.address} 2`);
    await act(() => router.navigate("/clients"));
    await userEvent.click(screen.getByRole("button", { name: "Leave without saving" }));
    expect(router.state.location.pathname).toBe("/clients");
  });

  it("offers the other editor's version after a 409, and is read-only for everyone but the owner", async () => {
    const onReload = vi.fn();
    const onSave = vi.fn().mockRejectedValue(new ApiError(409, "Conflict", "the clinic's settings have been saved again"));
    const { unmount } = renderAtClinic(<SettingsForm settings={settings} readOnly={false} onSave={onSave} onReload={onReload} />);
    await userEvent.type(screen.getByLabelText("Address"), " 2");
    await userEvent.click(screen.getByRole("button", { name: "Save settings" }));
    await userEvent.click(await screen.findByRole("button", { name: "Load their version" }));
    expect(onReload).toHaveBeenCalledOnce();
    unmount();
    renderAtClinic(<SettingsForm settings={settings} readOnly onSave={onSave} onReload={onReload} />);
    expect(screen.getByLabelText("Clinic name")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save settings" })).toBeNull();
  });
});
