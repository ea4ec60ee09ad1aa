import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { api, ApiError, call } from "../../api/client";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { SelectField, TextArea, TextField } from "../../components/Field";
import { UnsavedChanges } from "../../components/UnsavedChanges";
import { useAuth } from "../auth/auth";
import {
  aftercareLabel,
  fieldPath,
  formFields,
  getIn,
  padAmount,
  percentToRate,
  precareLabel,
  rateToPercent,
  setIn,
  timeZones,
  unplacedErrors,
  updateBody,
  WEEKDAYS,
  type ClinicSettings,
  type ClinicSettingsUpdate,
  type Path,
  type SettingsDraft,
} from "./settings";

type Doc = keyof SettingsDraft;

/** What every field of the page needs: the draft, its setter, the server's errors, read-only or not. */
interface Editing {
  draft: SettingsDraft;
  set(doc: Doc, path: Path, value: unknown): void;
  errors: Record<string, string>;
  readOnly: boolean;
}

function keyOf(doc: Doc, path: Path) {
  return fieldPath([doc, ...path]);
}

/** A text field bound to one string of a document. */
function Text({ e, doc, path, label, help, type = "text", multiline = false }: {
  e: Editing; doc: Doc; path: Path; label: string; help?: ReactNode; type?: string; multiline?: boolean;
}) {
  const k = keyOf(doc, path);
  const raw = getIn(e.draft[doc], path);
  const value = raw === undefined || raw === null ? "" : String(raw);
  const common = { label, help, name: k, value, error: e.errors[k], disabled: e.readOnly };
  return multiline ? (
    <TextArea {...common} rows={3} onChange={(ev) => e.set(doc, path, ev.target.value)} />
  ) : (
    <TextField {...common} type={type} onChange={(ev) => e.set(doc, path, ev.target.value)} />
  );
}

/** An optional text: cleared, it is left out of the document (the reader's default applies). */
function OptionalText(props: { e: Editing; doc: Doc; path: Path; label: string; help?: ReactNode; type?: string }) {
  const { e, doc, path } = props;
  const bound: Editing = { ...e, set: (d, p, v) => e.set(d, p, v === "" ? undefined : v) };
  return <Text {...props} e={bound} doc={doc} path={path} />;
}

/** A field whose input (id and name `k`) is followed by its unit, with its help and the server's error. */
function UnitField({ k, label, unit, help, error, children }: {
  k: string; label: string; unit: ReactNode; help?: ReactNode; error: string | undefined; children: ReactNode;
}) {
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={k}>{label}</label>
      {help ? <p className="field__help">{help}</p> : null}
      <div className="unit-input">
        {children}
        <span className="unit-input__unit">{unit}</span>
      </div>
      {error ? <p className="field__error" role="alert">{error}</p> : null}
    </div>
  );
}

/** A whole number with its unit; an empty box sends null, which the server names at its field. */
function Whole({ e, doc, path, label, unit, help }: { e: Editing; doc: Doc; path: Path; label: string; unit: string; help?: ReactNode }) {
  const k = keyOf(doc, path);
  const raw = getIn(e.draft[doc], path);
  const error = e.errors[k];
  return (
    <UnitField k={k} label={label} unit={unit} help={help} error={error}>
      <input id={k} name={k} type="number" inputMode="numeric" step={1} disabled={e.readOnly}
        value={typeof raw === "number" ? String(raw) : ""} aria-invalid={error ? true : undefined}
        onChange={(ev) => e.set(doc, path, ev.target.value === "" ? null : Number(ev.target.value))} />
    </UnitField>
  );
}

function Section({ title, help, children }: { title: string; help?: ReactNode; children: ReactNode }) {
  return (
    <section className="card settings__section" aria-label={title}>
      <h2>{title}</h2>
      {help ? <p className="muted">{help}</p> : null}
      {children}
    </section>
  );
}

function ClinicSection({ e }: { e: Editing }) {
  const zones = useMemo(() => timeZones(e.draft.clinic.time_zone), [e.draft.clinic.time_zone]);
  const k = keyOf("clinic", ["time_zone"]);
  return (
    <Section title="The clinic" help="Printed on every report and calendar a client receives.">
      <Text e={e} doc="clinic" path={["name"]} label="Clinic name" />
      <Text e={e} doc="clinic" path={["address"]} label="Address" />
      <div className="form__row">
        <Text e={e} doc="clinic" path={["phone"]} label="Phone" type="tel" />
        <OptionalText e={e} doc="clinic" path={["email"]} label="Email" type="email" />
      </div>
      <SelectField label="Time zone" name={k} value={e.draft.clinic.time_zone} disabled={e.readOnly} error={e.errors[k]}
        help="Opening hours and appointment times are in this zone; calendars name it."
        options={zones.map((z) => ({ value: z, label: z.replaceAll("_", " ") }))}
        onChange={(ev) => e.set("clinic", ["time_zone"], ev.target.value)} />
      <Text e={e} doc="clinic" path={["bring"]} label="What clients bring to a session" multiline />
    </Section>
  );
}

function HoursSection({ e }: { e: Editing }) {
  return (
    <Section title="Opening hours" help="Sessions are booked only inside these hours, on open days that are not holidays.">
      <div className="hours">
        {WEEKDAYS.map(({ key, label }) => {
          const k = keyOf("clinic", ["hours", key]);
          const day = e.draft.clinic.hours[key];
          const open = Array.isArray(day);
          const error = e.errors[k];
          return (
            <div className={`hours__row${error ? " field--error" : ""}`} key={key} role="group" aria-label={label}>
              <label className="hours__day">
                <input type="checkbox" name={k} checked={open} disabled={e.readOnly}
                  onChange={(ev) => e.set("clinic", ["hours", key], ev.target.checked ? ["09:00", "17:00"] : null)} />
                {label}
              </label>
              {open ? (
                <span className="hours__times">
                  <input type="time" aria-label={`${label} opens`} name={`${k}[0]`} value={day[0]} disabled={e.readOnly}
                    aria-invalid={error ? true : undefined}
                    onChange={(ev) => e.set("clinic", ["hours", key, 0], ev.target.value)} />
                  <span aria-hidden="true">to</span>
                  <input type="time" aria-label={`${label} closes`} name={`${k}[1]`} value={day[1]} disabled={e.readOnly}
                    aria-invalid={error ? true : undefined}
                    onChange={(ev) => e.set("clinic", ["hours", key, 1], ev.target.value)} />
                </span>
              ) : (
                <span className="muted">Closed</span>
              )}
              {error ? <p className="field__error hours__error" role="alert">{error}</p> : null}
            </div>
          );
        })}
      </div>
    </Section>
  );
}

function HolidaysSection({ e, today }: { e: Editing; today: string }) {
  const [day, setDay] = useState("");
  const holidays = e.draft.clinic.holidays ?? [];
  const upcoming = holidays.map((d, i) => ({ d, i })).sort((a, b) => a.d.localeCompare(b.d));
  const k = keyOf("clinic", ["holidays"]);
  const listErrors = [e.errors[k], ...holidays.map((_, i) => e.errors[`${k}[${i}]`])].filter(Boolean);
  const add = () => {
    if (!day || holidays.includes(day)) return;
    e.set("clinic", ["holidays"], [...holidays, day].sort());
    setDay("");
  };
  return (
    <Section title="Holidays" help="Days the clinic is closed; no session is booked on them.">
      <ul className="chips" aria-label="Holidays" data-field={k}>
        {upcoming.length === 0 ? <li className="muted">None</li> : null}
        {upcoming.map(({ d, i }) => (
          <li key={d} className={`chip${d < today ? " chip--past" : ""}`} data-field={`${k}[${i}]`}>
            <time dateTime={d}>{new Date(`${d}T12:00:00`).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric" })}</time>
            {e.readOnly ? null : (
              <button type="button" className="chip__remove" aria-label={`Remove ${d}`}
                onClick={() => e.set("clinic", ["holidays"], holidays.filter((_, j) => j !== i))}>×</button>
            )}
          </li>
        ))}
      </ul>
      {listErrors.map((m) => <p key={m} className="field__error" role="alert">{m}</p>)}
      {e.readOnly ? null : (
        <div className="chips__add">
          <TextField label="Add a holiday" name="new-holiday" type="date" value={day} onChange={(ev) => setDay(ev.target.value)} />
          <button type="button" className="button" onClick={add} disabled={!day}>Add</button>
        </div>
      )}
    </Section>
  );
}

function SessionsSection({ e }: { e: Editing }) {
  const s = ["session"] as const;
  return (
    <Section title="Sessions" help="How the plan books chair time and spaces the sessions.">
      <div className="form__row">
        <OptionalText e={e} doc="clinic" path={[...s, "usual_start"]} label="Usual start" type="time"
          help="Empty: at opening time. A session that would end after closing starts earlier." />
        <Whole e={e} doc="clinic" path={[...s, "max_minutes"]} label="Longest session" unit="minutes" />
      </div>
      <div className="form__row">
        <Whole e={e} doc="clinic" path={[...s, "preparation_minutes"]} label="Preparation" unit="minutes" />
        <Whole e={e} doc="clinic" path={[...s, "numbing_minutes"]} label="Numbing" unit="minutes" />
      </div>
      <div className="form__row">
        <Whole e={e} doc="clinic" path={[...s, "spacing_days", "min"]} label="Session 2 after, at least" unit="days" />
        <Whole e={e} doc="clinic" path={[...s, "spacing_days", "max"]} label="at most" unit="days" />
      </div>
      {e.draft.clinic.session.later_spacing_days ? (
        <div className="form__row">
          <Whole e={e} doc="clinic" path={[...s, "later_spacing_days", "min"]} label="Later sessions after, at least" unit="days" />
          <Whole e={e} doc="clinic" path={[...s, "later_spacing_days", "max"]} label="at most" unit="days" />
        </div>
      ) : null}
    </Section>
  );
}

function Money({ e, path, label, optional = false, help }: { e: Editing; path: Path; label: string; optional?: boolean; help?: ReactNode }) {
  const k = keyOf("pricing", path);
  const raw = getIn(e.draft.pricing, path);
  const error = e.errors[k];
  return (
    <UnitField k={k} label={label} unit={e.draft.pricing.currency} help={help} error={error}>
      <input id={k} name={k} inputMode="decimal" disabled={e.readOnly} value={raw === undefined || raw === null ? "" : String(raw)}
        placeholder={optional ? "none" : ""} aria-invalid={error ? true : undefined}
        onChange={(ev) => e.set("pricing", path, optional && ev.target.value.trim() === "" ? undefined : ev.target.value.trim())}
        onBlur={(ev) => {
          const padded = padAmount(ev.target.value, e.draft.pricing.decimals ?? 2);
          if (padded !== ev.target.value) e.set("pricing", path, padded);
        }} />
    </UnitField>
  );
}

function PricesSection({ e }: { e: Editing }) {
  const p = e.draft.pricing;
  const t = p.treatment;
  const rateKey = keyOf("pricing", ["tax_rate"]);
  return (
    <Section title="Price list" help="Quotes are made from these prices; a quote already given keeps the prices it was made with.">
      <div className="form__row">
        <Text e={{ ...e, set: (d, p2, v) => e.set(d, p2, typeof v === "string" ? v.toUpperCase() : v) }} doc="pricing" path={["currency"]}
          label="Currency" help="ISO 4217 code, such as USD, GBP or EUR" />
        <Money e={e} path={["consultation"]} label="Consultation" />
      </div>
      {t.by === "area" ? (
        <div className="tiers">
          <h3>Treatment, by the area treated</h3>
          {t.tiers.map((tier, i) => {
            const last = i === t.tiers.length - 1;
            const upKey = keyOf("pricing", ["treatment", "tiers", i, "up_to_cm2"]);
            return (
              <div className="tiers__row" key={i} role="group" aria-label={`Tier ${i + 1}`}>
                <UnitField k={upKey} label="Up to" unit="cm²" error={e.errors[upKey]}>
                  <input id={upKey} name={upKey} type="number" inputMode="decimal" min={1} disabled={e.readOnly}
                    placeholder={last ? "no limit" : ""} value={tier.up_to_cm2 === null ? "" : String(tier.up_to_cm2)}
                    aria-invalid={e.errors[upKey] ? true : undefined}
                    onChange={(ev) => e.set("pricing", ["treatment", "tiers", i, "up_to_cm2"], ev.target.value === "" ? null : Number(ev.target.value))} />
                </UnitField>
                <Money e={e} path={["treatment", "tiers", i, "price"]} label="Price" />
                <Text e={e} doc="pricing" path={["treatment", "tiers", i, "label"]} label="As the quote says it" />
                {e.readOnly || t.tiers.length === 1 ? null : (
                  <button type="button" className="button button--quiet tiers__remove"
                    onClick={() => e.set("pricing", ["treatment", "tiers"], t.tiers.filter((_, j) => j !== i))}>Remove tier</button>
                )}
              </div>
            );
          })}
          {e.readOnly ? null : (
            <button type="button" className="button"
              onClick={() => e.set("pricing", ["treatment", "tiers"], [...t.tiers, { up_to_cm2: null, price: "", label: "" }])}>
              Add a tier
            </button>
          )}
        </div>
      ) : (
        <Money e={e} path={["treatment", "price"]} label="Treatment, per session" />
      )}
      <div className="form__row">
        <Money e={e} path={["scar_surcharge"]} label="Per scar, inside a wider treatment" />
        <Money e={e} path={["scar_camouflage"]} label="Scar camouflage on its own, per scar" optional
          help="Empty: priced by area like any treatment" />
      </div>
      <div className="form__row">
        <Money e={e} path={["extra_session"]} label="Extra session" optional help="For clients on blood thinners. Empty: the touch-up price" />
        <Money e={e} path={["touch_up"]} label="Touch-up" />
      </div>
      <div className="form__row">
        <UnitField k={rateKey} label="Tax rate" unit="%" error={e.errors[rateKey] ? "expected a percentage from 0 to 100, with at most 4 decimals (20 for 20%)" : undefined}>
          <input id={rateKey} name={rateKey} inputMode="decimal" disabled={e.readOnly} value={rateToPercent(p.tax_rate)}
            aria-invalid={e.errors[rateKey] ? true : undefined}
            onChange={(ev) => e.set("pricing", ["tax_rate"], percentToRate(ev.target.value))} />
        </UnitField>
        <OptionalText e={e} doc="pricing" path={["tax_name"]} label="Tax name" help="As the quote says it, such as VAT or GST" />
      </div>
      <label className="check">
        <input type="checkbox" name={keyOf("pricing", ["tax_included"])} checked={p.tax_included === true} disabled={e.readOnly}
          onChange={(ev) => e.set("pricing", ["tax_included"], ev.target.checked)} />
        The prices include the tax (the quote shows the tax they hold)
      </label>
    </Section>
  );
}

function CareSection({ e }: { e: Editing }) {
  const c = e.draft.care;
  // Open by itself when the server names a care text.
  const failing = Object.keys(e.errors).some((k) => k.startsWith("care."));
  return (
    <details className="card settings__section" open={failing || undefined}>
      <summary>
        <h2>Care texts</h2>
        <span className="muted">{c.precare.length} before a session, {c.aftercare.length} after</span>
      </summary>
      <p className="muted">
        What clients are told before and after their sessions, in the clinic's words. Who gets each text follows from the client's
        answers (a retinoid cream, hair dye, blood thinners, ...); its words and timing are yours.
      </p>
      <h3>Before a session</h3>
      {c.precare.map((p, i) => (
        <div className="care__item" key={p.id}>
          <p className="care__label">{precareLabel(p)}</p>
          <Text e={e} doc="care" path={["precare", i, "text"]} label="Text" multiline />
          <Whole e={e} doc="care" path={["precare", i, "days_before"]} label="Given" unit="days before" />
        </div>
      ))}
      <h3>After a session</h3>
      {c.aftercare.map((a, i) => (
        <div className="care__item" key={i}>
          <p className="care__label">{aftercareLabel(a)}</p>
          <Text e={e} doc="care" path={["aftercare", i, "text"]} label="Text" multiline />
        </div>
      ))}
    </details>
  );
}

function savedWords(s: ClinicSettings) {
  if (s.version === 0 || !s.saved_at) return "Stipple's defaults: not saved by the clinic yet.";
  const at = new Date(s.saved_at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  return `Version ${s.version}, saved by ${s.saved_by_name ?? "a user"} on ${at}.`;
}

/**
 * The settings form: the documents of `settings` as drafts, saved through
 * `onSave` (which throws ApiError; field errors show at their fields, the
 * ones no field shows in a list above). `readOnly`: every field disabled.
 */
export function SettingsForm({ settings: s, readOnly, onSave, onReload }: {
  settings: ClinicSettings;
  readOnly: boolean;
  onSave(body: ClinicSettingsUpdate): Promise<void>;
  onReload(): void;
}) {
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  // A refused save: the first field in error (else the message above the form) comes into view, focused.
  useEffect(() => {
    if (!error) return;
    const f = form.current;
    const first = ['[aria-invalid="true"]', ".field__error", ".alert"].map((q) => f?.querySelector<HTMLElement>(q)).find(Boolean);
    first?.scrollIntoView?.({ block: "center" });
    if (first && first.matches("input, select, textarea")) first.focus({ preventScroll: true });
  }, [error]);
  const d: SettingsDraft = draft ?? { clinic: s.clinic, pricing: s.pricing, care: s.care };
  const e: Editing = {
    draft: d,
    errors: error?.fields ?? {},
    readOnly,
    set(doc, path, value) {
      setDraft({ ...d, [doc]: setIn(d[doc], path, value) });
      setSaved(false);
    },
  };

  async function save(ev: FormEvent) {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSave(updateBody(s.version, d));
      setDraft(null);
      setSaved(true);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "Error", String(err)));
    } finally {
      setBusy(false);
    }
  }

  const rest = error ? unplacedErrors(error.fields, formFields(d)) : [];
  const stale = error?.status === 409;
  return (
    <form onSubmit={save} noValidate ref={form}>
      {saved ? <Alert tone="info">Saved as version {s.version}. New consultations use it from now on.</Alert> : null}
      {stale ? (
        <Alert>
          Someone saved the settings after you opened them; your changes here cannot be saved over theirs.{" "}
          <button type="button" className="button" onClick={() => { setDraft(null); setError(null); onReload(); }}>
            Load their version
          </button>
        </Alert>
      ) : (
        <Alert>{error ? error.formMessage || "Some fields need a change: each says what is expected." : ""}</Alert>
      )}
      <UnsavedChanges when={draft !== null} />
      {rest.length ? (
        <Alert>
          <ul>{rest.map(([k, m]) => <li key={k}><code>{k}</code>: {m}</li>)}</ul>
        </Alert>
      ) : null}
      <ClinicSection e={e} />
      <HoursSection e={e} />
      <HolidaysSection e={e} today={s.today} />
      <SessionsSection e={e} />
      <PricesSection e={e} />
      <CareSection e={e} />
      {readOnly ? null : (
        <div className="form__actions settings__actions">
          {saved && !draft ? <span className="settings__saved" role="status">Saved as version {s.version}</span> : null}
          {draft ? <span className="muted settings__saved">Not saved yet</span> : null}
          {draft ? <button type="button" className="button" onClick={() => { setDraft(null); setError(null); }}>Discard changes</button> : null}
          <button type="submit" className="button button--primary" disabled={busy || !draft}>{busy ? "Saving…" : "Save settings"}</button>
        </div>
      )}
    </form>
  );
}

/** The clinic's settings: the owner edits and saves them; everyone else reads them. */
export function SettingsPage() {
  const { me } = useAuth();
  const readOnly = me?.role !== "owner";
  const loaded = useLoad(() => call(api.GET("/api/v1/clinic")), []);
  const s = loaded.data;
  if (loaded.error && !s) return <section className="page"><Alert>{loaded.error.formMessage}</Alert></section>;
  if (!s) return <p className="page muted">Loading…</p>;
  return (
    <section className="page page--narrow settings">
      <header className="page__header">
        <h1>Clinic settings</h1>
      </header>
      <p className="muted">
        {savedWords(s)}{" "}
        {readOnly ? "Only the clinic's owner can change them." : "Each save is kept as a new version; consultations keep the version they were planned with."}
      </p>
      <SettingsForm settings={s} readOnly={readOnly} onReload={loaded.reload}
        onSave={async (body) => loaded.setData(await call(api.PUT("/api/v1/clinic", { body })))} />
    </section>
  );
}
