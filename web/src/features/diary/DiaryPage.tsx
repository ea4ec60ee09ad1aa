import { useMemo, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { ApiError, api, call, type GateRefusal, type Schemas } from "../../api/client";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { FormActions } from "../../components/FormActions";
import { SelectField, TextArea, TextField } from "../../components/Field";
import { seesClinicalData, useAuth } from "../auth/auth";
import { addDays, clinicTime, dayWords, mondayOf, wallClock } from "./time";

type Appointment = Schemas["Appointment"];
type Kind = Appointment["kind"];
/** A booking rule's name, as the server names its gates. */
type Gate = NonNullable<Schemas["AppointmentCreate"]["override_gates"]>[number];

export const KIND_WORDS: Record<Kind, string> = {
  consultation: "Consultation",
  patch_test: "Patch test",
  session: "Session",
  touch_up: "Touch-up",
};

/** The booking rules (the server's gates) in words. */
export const GATE_WORDS: Record<string, string> = {
  opening_hours: "the opening hours",
  credentials: "the credentials",
  assessment: "the assessment",
  consent: "the consent",
  patch_test: "the patch test",
  spacing: "the session spacing",
};

/** A typical length to start from, in minutes; the clinic's settings give the patch test's. */
const DEFAULT_MINUTES: Record<Kind, number> = { consultation: 60, patch_test: 15, session: 240, touch_up: 120 };

function kindLine(a: Appointment): string {
  return a.kind === "session" && a.session_number ? `Session ${a.session_number}` : KIND_WORDS[a.kind];
}

/**
 * The diary: a week of appointments on the clinic's wall clock (its time zone,
 * whatever the browser's), and booking. The week is in the URL (?from=, a Monday).
 */
export function DiaryPage() {
  const [params, setParams] = useSearchParams();
  const clinic = useLoad(() => call(api.GET("/api/v1/clinic")), []);
  const today = (clinic.data as { today?: string } | null)?.today;
  const from = params.get("from") ?? (today ? mondayOf(today) : null);
  const week = useLoad(
    () =>
      from
        ? call(api.GET("/api/v1/appointments", { params: { query: { from, days: 7 } } }))
        : Promise.resolve(null),
    [from],
  );
  const people = useLoad(() => call(api.GET("/api/v1/practitioners")).then((r) => r.practitioners), []);
  const chairs = useLoad(() => call(api.GET("/api/v1/chairs")).then((r) => r.chairs), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [cancelError, setCancelError] = useState<ApiError | null>(null);

  const days = useMemo(() => (from ? Array.from({ length: 7 }, (_, i) => addDays(from, i)) : []), [from]);
  const zone = week.data?.time_zone ?? "";
  const byDay = useMemo(() => {
    const m = new Map<string, Appointment[]>();
    for (const a of week.data?.appointments ?? []) {
      const d = wallClock(a.start).date;
      m.set(d, [...(m.get(d) ?? []), a]);
    }
    return m;
  }, [week.data]);

  async function cancel(a: Appointment) {
    setBusy(a.id);
    setCancelError(null);
    try {
      await call(api.PATCH("/api/v1/appointments/{id}", { params: { path: { id: a.id } }, body: { version: a.version, status: "cancelled" } }));
      setConfirming(null);
      week.reload();
    } catch (e) {
      setCancelError(e instanceof ApiError ? e : new ApiError(0, "Error", String(e)));
    } finally {
      setBusy(null);
    }
  }

  const go = (d: string) => setParams({ from: d }, { replace: true });
  return (
    <section className="page diary">
      <header className="page__header">
        <h1>Diary</h1>
        {from ? (
          <div className="diary__nav" role="group" aria-label="Week">
            <button type="button" className="button" onClick={() => go(addDays(from, -7))}>
              Previous week
            </button>
            {today ? (
              <button type="button" className="button" onClick={() => go(mondayOf(today))}>
                This week
              </button>
            ) : null}
            <button type="button" className="button" onClick={() => go(addDays(from, 7))}>
              Next week
            </button>
          </div>
        ) : null}
      </header>
      <p className="muted">
        {from ? `Week of ${dayWords(from)} ${from.slice(0, 4)}` : ""}
        {zone ? ` · times in the clinic's time zone, ${zone}` : ""}
      </p>
      <Alert>{week.error?.formMessage ?? clinic.error?.formMessage}</Alert>
      <Alert>{cancelError?.formMessage}</Alert>
      <div className="diary__layout">
        <div className="diary__week">
          {days.map((d) => {
            const list = byDay.get(d) ?? [];
            return (
              <section key={d} className={`diary__day${d === today ? " diary__day--today" : ""}`} aria-label={dayWords(d)}>
                <h2 className="diary__date">{dayWords(d)}</h2>
                {week.data && list.length === 0 ? <p className="muted diary__free">Nothing booked</p> : null}
                <ul className="diary__list">
                  {list.map((a) => (
                    <li key={a.id} className={`diary__item${a.status === "cancelled" ? " diary__item--cancelled" : ""}`}>
                      <span className="diary__time">
                        {wallClock(a.start).time}–{wallClock(a.end).time}
                      </span>
                      <span className="diary__who">{a.client_name}</span>
                      <span className="diary__what">
                        {kindLine(a)} · {a.practitioner_name}
                        {a.chair_name ? ` · ${a.chair_name}` : ""}
                      </span>
                      {a.override ? (
                        <span className="diary__override">
                          Booked against {(a.override.gates ?? []).map((g) => GATE_WORDS[g] ?? g).join(", ")}: {a.override.reason}
                        </span>
                      ) : null}
                      {(a.attention ?? []).length > 0 ? (
                        <span className="diary__attention" role="status">
                          Needs attention: {(a.attention ?? []).map((g) => `${GATE_WORDS[g.gate] ?? g.gate} (${g.message})`).join("; ")}
                        </span>
                      ) : null}
                      {a.status === "cancelled" ? (
                        <span className="badge">Cancelled</span>
                      ) : confirming === a.id ? (
                        <span className="diary__confirm">
                          <button type="button" className="button diary__cancel" disabled={busy === a.id} onClick={() => void cancel(a)}>
                            {busy === a.id ? "Cancelling…" : "Yes, cancel it"}
                          </button>
                          <button type="button" className="button button--quiet" onClick={() => setConfirming(null)}>
                            Keep it
                          </button>
                        </span>
                      ) : (
                        <button
                          type="button"
                          className="button button--quiet diary__cancel"
                          onClick={() => setConfirming(a.id)}
                          aria-label={`Cancel ${a.client_name}'s ${kindLine(a).toLowerCase()} at ${wallClock(a.start).time}`}
                        >
                          Cancel
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
        <BookingForm
          zone={zone}
          firstDay={from && today && from < today ? today : from ?? ""}
          practitioners={people.data ?? []}
          chairs={chairs.data ?? []}
          onBooked={(a) => {
            const day = wallClock(a.start).date;
            if (from && (day < from || day >= addDays(from, 7))) go(mondayOf(day));
            else week.reload();
          }}
        />
      </div>
    </section>
  );
}

interface BookingProps {
  zone: string;
  firstDay: string;
  practitioners: ReadonlyArray<Schemas["PractitionerList"]["practitioners"][number]>;
  chairs: ReadonlyArray<Schemas["Chair"]>;
  onBooked(a: Appointment): void;
}

/** Books a client: found by name, with a practitioner, optionally a chair, at a time on the clinic's clock. */
function BookingForm({ zone, firstDay, practitioners, chairs, onBooked }: BookingProps) {
  const [query, setQuery] = useState("");
  const [clientId, setClientId] = useState("");
  const [practitionerId, setPractitionerId] = useState("");
  const [chairId, setChairId] = useState("");
  const [kind, setKind] = useState<Kind>("consultation");
  const [session, setSession] = useState("1");
  const [date, setDate] = useState("");
  const [time, setTime] = useState("10:00");
  const [minutes, setMinutes] = useState(String(DEFAULT_MINUTES.consultation));
  const [reason, setReason] = useState("");
  const [waive, setWaive] = useState<ReadonlySet<string>>(new Set());
  // The rules the last refusal named: kept while the override is written (a 400 on its reason keeps them).
  const [refused, setRefused] = useState<ReadonlyArray<GateRefusal>>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState("");
  const { me } = useAuth();
  const mayOverride = seesClinicalData(me);
  const found = useLoad(
    () =>
      query.trim()
        ? call(api.GET("/api/v1/clients", { params: { query: { q: query.trim(), limit: 10 } } })).then((r) => r.clients)
        : Promise.resolve([]),
    [query],
  );
  const day = date || firstDay;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone("");
    const local: Record<string, string> = {};
    if (!clientId) local["client_id"] = "expected a client: type a name and choose one";
    if (!practitionerId) local["practitioner_id"] = "expected who treats";
    if (!day || !/^\d{2}:\d{2}$/.test(time)) local["start"] = "expected a day and a time";
    if (Object.keys(local).length) {
      setError(new ApiError(400, "", "", local));
      return;
    }
    setBusy(true);
    try {
      const a = await call(
        api.POST("/api/v1/appointments", {
          body: {
            client_id: clientId,
            practitioner_id: practitionerId,
            chair_id: chairId || null,
            kind,
            ...(kind === "session" ? { session_number: Number(session) } : {}),
            start: clinicTime(day, time, zone),
            duration_min: Number(minutes),
            ...(mayOverride && waive.size > 0 ? { override_gates: [...waive] as Gate[], override_reason: reason.trim() } : {}),
          },
        }),
      );
      setDone(`Booked: ${a.client_name}, ${dayWords(wallClock(a.start).date)} at ${wallClock(a.start).time}.`);
      setReason("");
      setWaive(new Set());
      setRefused([]);
      onBooked(a);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError(0, "Error", String(err));
      setError(apiError);
      if (apiError.status === 422 && apiError.gates.length > 0) setRefused(apiError.gates);
      else if (apiError.status !== 400) setRefused([]);
    } finally {
      setBusy(false);
    }
  }

  const f = error?.fields ?? {};
  const toggle = (gate: string, on: boolean) =>
    setWaive((w) => {
      const next = new Set(w);
      if (on) next.add(gate);
      else next.delete(gate);
      return next;
    });
  const clientOptions = [{ value: "", label: query.trim() ? "Choose…" : "Type a name first" }, ...(found.data ?? []).map((c) => ({ value: c.id, label: c.name }))];
  return (
    <form className="card form diary__book" onSubmit={submit} noValidate aria-label="Book an appointment">
      <h2>Book</h2>
      <Alert>{error && error.status !== 400 && error.status !== 422 && error.status !== 409 ? error.formMessage : ""}</Alert>
      {done ? <Alert tone="info">{done}</Alert> : null}
      <TextField label="Find the client" type="search" autoComplete="off" value={query} onChange={(e) => { setQuery(e.target.value); setClientId(""); }} />
      <SelectField label="Client" value={clientId} onChange={(e) => setClientId(e.target.value)} options={clientOptions} error={f["client_id"]} />
      <SelectField
        label="Practitioner"
        value={practitionerId}
        onChange={(e) => setPractitionerId(e.target.value)}
        options={[{ value: "", label: "Choose…" }, ...practitioners.map((p) => ({ value: p.id, label: p.name }))]}
        error={f["practitioner_id"]}
      />
      <SelectField
        label="Chair"
        value={chairId}
        onChange={(e) => setChairId(e.target.value)}
        options={[{ value: "", label: "None" }, ...chairs.map((c) => ({ value: c.id, label: c.name }))]}
        error={f["chair_id"]}
      />
      <div className="form__row">
        <SelectField
          label="Kind"
          value={kind}
          onChange={(e) => {
            const k = e.target.value as Kind;
            setKind(k);
            setMinutes(String(DEFAULT_MINUTES[k]));
          }}
          options={Object.entries(KIND_WORDS).map(([value, label]) => ({ value, label }))}
          error={f["kind"]}
        />
        {kind === "session" ? (
          <SelectField label="Session" value={session} onChange={(e) => setSession(e.target.value)}
            options={["1", "2", "3", "4"].map((n) => ({ value: n, label: n }))} error={f["session_number"]} />
        ) : (
          <TextField label="Minutes" type="number" min={5} max={600} step={5} value={minutes} onChange={(e) => setMinutes(e.target.value)} error={f["duration_min"]} />
        )}
      </div>
      {kind === "session" ? (
        <TextField label="Minutes" type="number" min={5} max={600} step={5} value={minutes} onChange={(e) => setMinutes(e.target.value)} error={f["duration_min"]} />
      ) : null}
      <div className="form__row">
        <TextField label="Day" type="date" value={day} onChange={(e) => setDate(e.target.value)} />
        <TextField label="Time" type="time" step={300} value={time} onChange={(e) => setTime(e.target.value)} error={f["start"]} />
      </div>
      {refused.length > 0 ? (
        <div className="diary__refusal" role="group" aria-label="Rules the booking breaks">
          <p className="diary__refusal-title">The booking breaks {refused.length === 1 ? "a rule" : `${refused.length} rules`}:</p>
          <ul>
            {refused.map((g) => (
              <li key={g.gate}>
                <strong>{GATE_WORDS[g.gate] ?? g.gate}</strong>: {g.message}
              </li>
            ))}
          </ul>
          {refused.some((g) => !g.overridable) ? (
            <p className="muted">
              {refused
                .filter((g) => !g.overridable)
                .map((g) => GATE_WORDS[g.gate] ?? g.gate)
                .join(" and ")
                .replace(/^./, (c) => c.toUpperCase())}{" "}
              cannot be booked against: record the credential or have the client sign first.
            </p>
          ) : null}
          {mayOverride ? (
            <>
              {refused
                .filter((g) => g.overridable)
                .map((g) => (
                  <label key={g.gate} className="checkbox">
                    <input type="checkbox" checked={waive.has(g.gate)} onChange={(e) => toggle(g.gate, e.target.checked)} />
                    Book against {GATE_WORDS[g.gate] ?? g.gate}
                  </label>
                ))}
              {waive.size > 0 ? (
                <TextArea
                  label="Why book against the rule"
                  rows={2}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  help="In words someone reading the record later can weigh; kept on the appointment and in the access log"
                  error={f["override_reason"] ?? f["override_gates"]}
                />
              ) : null}
            </>
          ) : refused.some((g) => g.overridable) ? (
            <p className="muted">Only an owner or a practitioner can book against {refused.some((g) => !g.overridable) ? "the other rules" : "these rules"}.</p>
          ) : null}
        </div>
      ) : null}
      <FormActions label="Book" busyLabel="Booking…" busy={busy} />
    </form>
  );
}
