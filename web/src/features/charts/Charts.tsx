import { useMemo, useState, type FormEvent } from "react";
import { ApiError, api, call, type Schemas } from "../../api/client";
import { saving } from "../../api/saving";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { ReasonAction } from "../../components/ReasonAction";
import { FormActions } from "../../components/FormActions";
import { SelectField, TextArea, TextField } from "../../components/Field";
import { useAuth } from "../auth/auth";
import { addDays, clinicTime, dateWords, wallClock } from "../diary/time";
import { LOT_KIND_WORDS } from "./LotsPage";

type Chart = Schemas["Chart"];
type Lot = Schemas["Lot"];
type Hygiene = Chart["hygiene"];

const HYGIENE_WORDS: Record<keyof Hygiene, string> = {
  cartridges_opened_in_front: "Single-use cartridges opened in front of the client",
  gloves: "Gloves worn",
  barrier_film: "Barrier film on the machine and surfaces",
  surfaces_disinfected: "Surfaces disinfected",
};
const NO_HYGIENE: Hygiene = { cartridges_opened_in_front: false, gloves: false, barrier_film: false, surfaces_disinfected: false };

/** The chart's form: a new draft, or the draft `editing` changed. */
function ChartForm({ clientId, zone, today, editing, onSaved, onCancel }: {
  clientId: string;
  zone: string;
  today: string;
  editing: Chart | null;
  onSaved(): void;
  onCancel(): void;
}) {
  const lots = useLoad(() => call(api.GET("/api/v1/lots", { params: { query: { limit: 500 } } })).then((r) => r.lots), []);
  const appointments = useLoad(
    () =>
      today
        ? call(api.GET("/api/v1/appointments", { params: { query: { client_id: clientId, from: addDays(today, -61), days: 62 } } })).then((r) =>
            r.appointments.filter((a) => a.status === "booked" && (a.kind === "session" || a.kind === "touch_up")),
          )
        : Promise.resolve([]),
    [clientId, today],
  );
  const photos = useLoad(() => call(api.GET("/api/v1/clients/{id}/photos", { params: { path: { id: clientId } } })).then((r) => r.photos), [clientId]);
  const [appointmentId, setAppointmentId] = useState(editing?.appointment_id ?? "");
  const [session, setSession] = useState(String(editing?.session_number ?? 1));
  const [zones, setZones] = useState(editing?.zones ?? "");
  const [day, setDay] = useState(editing ? wallClock(editing.started_at).date : today);
  const [from, setFrom] = useState(editing ? wallClock(editing.started_at).time : "10:00");
  const [to, setTo] = useState(editing ? wallClock(editing.ended_at).time : "13:00");
  const [dilution, setDilution] = useState(editing?.dilution ?? "");
  const chosen = (use: string) => editing?.lots.find((l) => l.use === use)?.id ?? "";
  const [pigment, setPigment] = useState(chosen("pigment"));
  const [needle, setNeedle] = useState(chosen("needle"));
  const [numbing, setNumbing] = useState(chosen("numbing"));
  const [hygiene, setHygiene] = useState<Hygiene>(editing?.hygiene ?? NO_HYGIENE);
  const [before, setBefore] = useState(editing?.before_photo_id ?? "");
  const [after, setAfter] = useState(editing?.after_photo_id ?? "");
  const [adverse, setAdverse] = useState(editing?.adverse_reaction ?? "");
  const [notes, setNotes] = useState(editing?.notes ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const byKind = useMemo(() => {
    const m: Record<string, Lot[]> = { pigment: [], needle: [], numbing: [] };
    for (const l of lots.data ?? []) m[l.kind]?.push(l);
    return m;
  }, [lots.data]);
  const lotOptions = (kind: Lot["kind"]) => [
    { value: "", label: kind === "numbing" ? "None" : "Choose…" },
    ...(byKind[kind] ?? []).map((l) => ({
      value: l.id,
      label: `${l.product}, lot ${l.lot}${l.detail ? ` (${l.detail})` : ""}${day && l.expires_on < day ? " — expired" : ""}`,
    })),
  ];
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      appointment_id: appointmentId || null,
      session_number: Number(session),
      zones,
      started_at: clinicTime(day, from, zone),
      ended_at: clinicTime(day, to, zone),
      dilution: dilution || null,
      lots: [pigment, needle, numbing].filter(Boolean).map((lot_id) => ({ lot_id })),
      hygiene,
      before_photo_id: before || null,
      after_photo_id: after || null,
      adverse_reaction: adverse || null,
      notes: notes || null,
    };
    await saving(setBusy, setError, async () => {
      if (editing)
        await call(api.PATCH("/api/v1/charts/{id}", { params: { path: { id: editing.id } }, body: { ...body, version: editing.version } }));
      else await call(api.POST("/api/v1/clients/{id}/charts", { params: { path: { id: clientId } }, body }));
      onSaved();
    });
  }
  const f = error?.fields ?? {};
  const lotError = (i: number) => f[`lots[${i}]`];
  const picked = [pigment, needle, numbing].filter(Boolean);
  const photoOptions = [{ value: "", label: "None" }, ...(photos.data ?? []).map((p) => ({ value: p.id, label: `${p.kind}, ${p.view}${p.taken_on ? `, ${p.taken_on}` : ""}` }))];
  return (
    <form className="form chart-form" onSubmit={submit} noValidate aria-label={editing ? "Change the chart" : "Chart a session"}>
      <Alert>{error?.formMessage || f["lots"]}</Alert>
      <SelectField
        label="Appointment"
        value={appointmentId}
        onChange={(e) => {
          setAppointmentId(e.target.value);
          const a = appointments.data?.find((x) => x.id === e.target.value);
          if (a) {
            setSession(String(a.session_number ?? 0));
            setDay(wallClock(a.start).date);
            setFrom(wallClock(a.start).time);
            setTo(wallClock(a.end).time);
          }
        }}
        options={[
          { value: "", label: "None" },
          ...(appointments.data ?? []).map((a) => ({
            value: a.id,
            label: `${a.kind === "session" ? `Session ${a.session_number}` : "Touch-up"}, ${dateWords(wallClock(a.start).date)} ${wallClock(a.start).time}`,
          })),
        ]}
        error={f["appointment_id"]}
      />
      <div className="form__row">
        <SelectField
          label="Session"
          value={session}
          onChange={(e) => setSession(e.target.value)}
          options={[{ value: "0", label: "Touch-up" }, ...["1", "2", "3", "4"].map((n) => ({ value: n, label: `Session ${n}` }))]}
          error={f["session_number"]}
        />
        <TextField label="Zones worked" help="e.g. hairline, crown" value={zones} onChange={(e) => setZones(e.target.value)} error={f["zones"]} />
      </div>
      <div className="form__row">
        <TextField label="Day" type="date" value={day} onChange={(e) => setDay(e.target.value)} error={f["started_at"]} />
        <TextField label="Started" type="time" step={300} value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField label="Ended" type="time" step={300} value={to} onChange={(e) => setTo(e.target.value)} error={f["ended_at"]} />
      </div>
      <SelectField label="Pigment lot" value={pigment} onChange={(e) => setPigment(e.target.value)} options={lotOptions("pigment")}
        error={lotError(picked.indexOf(pigment))} />
      <TextField label="Dilution" help="As mixed, e.g. 25%" value={dilution} onChange={(e) => setDilution(e.target.value)} error={f["dilution"]} />
      <SelectField label="Needle cartridges' lot" value={needle} onChange={(e) => setNeedle(e.target.value)} options={lotOptions("needle")}
        error={needle ? lotError(picked.indexOf(needle)) : undefined} />
      <SelectField label="Numbing product's lot" value={numbing} onChange={(e) => setNumbing(e.target.value)} options={lotOptions("numbing")}
        error={numbing ? lotError(picked.indexOf(numbing)) : undefined} />
      <fieldset className="chart-form__hygiene">
        <legend>Hygiene checklist</legend>
        {(Object.keys(HYGIENE_WORDS) as (keyof Hygiene)[]).map((k) => (
          <label key={k} className={`checkbox${f[`hygiene.${k}`] ? " checkbox--error" : ""}`}>
            <input type="checkbox" checked={hygiene[k]} onChange={(e) => setHygiene({ ...hygiene, [k]: e.target.checked })} />
            {HYGIENE_WORDS[k]}
          </label>
        ))}
      </fieldset>
      <div className="form__row">
        <SelectField label="Photo before" value={before} onChange={(e) => setBefore(e.target.value)} options={photoOptions} error={f["before_photo_id"]} />
        <SelectField label="Photo after" value={after} onChange={(e) => setAfter(e.target.value)} options={photoOptions} error={f["after_photo_id"]} />
      </div>
      <TextArea label="Adverse reaction" help="None, or what was seen and done" rows={2} value={adverse} onChange={(e) => setAdverse(e.target.value)}
        error={f["adverse_reaction"]} />
      <TextArea label="Notes" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} error={f["notes"]} />
      <FormActions label={editing ? "Save the draft" : "Save as a draft"} busyLabel="Saving…" busy={busy} onCancel={onCancel} />
    </form>
  );
}

/** A signed chart's correction: kept beside the original. */
function Amend({ chart, onDone }: { chart: Chart; onDone(): void }) {
  return (
    <ReasonAction
      button="Add an amendment"
      formLabel="Add an amendment"
      label="The correction"
      submit="Add"
      field="text"
      send={async (text) => {
        await call(api.POST("/api/v1/charts/{id}/amendments", { params: { path: { id: chart.id } }, body: { text } }));
      }}
      onDone={onDone}
    />
  );
}

/**
 * A client's session charts (owners and practitioners): what was done at each
 * session and with which lots. A draft is changed until the practitioner who
 * charted it signs it, which needs the pigment's and the needles' lots and the
 * whole hygiene checklist; a signed chart is locked and corrected by amendments.
 */
export function ClientCharts({ clientId }: { clientId: string }) {
  const { me } = useAuth();
  const charts = useLoad(() => call(api.GET("/api/v1/clients/{id}/charts", { params: { path: { id: clientId } } })).then((r) => r.charts), [clientId]);
  const clinic = useLoad(() => call(api.GET("/api/v1/clinic")), []);
  const today = (clinic.data as { today?: string } | null)?.today ?? "";
  const zone = (clinic.data as { clinic?: { time_zone?: string } } | null)?.clinic?.time_zone ?? "UTC";
  const [form, setForm] = useState<"new" | Chart | null>(null);
  const [signError, setSignError] = useState<{ id: string; error: ApiError } | null>(null);
  const [busy, setBusy] = useState("");
  async function sign(c: Chart) {
    setBusy(c.id);
    setSignError(null);
    try {
      await call(api.POST("/api/v1/charts/{id}/signature", { params: { path: { id: c.id } }, body: { version: c.version } }));
      charts.reload();
    } catch (e) {
      setSignError({ id: c.id, error: e instanceof ApiError ? e : new ApiError(0, "Error", String(e)) });
    } finally {
      setBusy("");
    }
  }
  return (
    <section className="card charts" aria-labelledby="charts-title">
      <div className="card__header">
        <h2 id="charts-title">Session charts</h2>
        {!form ? (
          <button type="button" className="button" onClick={() => setForm("new")}>
            Chart a session
          </button>
        ) : null}
      </div>
      <Alert>{charts.error?.formMessage}</Alert>
      {form && today ? (
        <ChartForm
          clientId={clientId}
          zone={zone}
          today={today}
          editing={form === "new" ? null : form}
          onCancel={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            charts.reload();
          }}
        />
      ) : null}
      {charts.data && charts.data.length === 0 && !form ? <p className="muted">No session charted yet.</p> : null}
      <ul className="charts__list">
        {(charts.data ?? []).map((c) => {
          const mine = me?.id === c.practitioner_id;
          const problems = signError?.id === c.id ? Object.values(signError.error.fields) : [];
          return (
            <li key={c.id} className={`charts__item charts__item--${c.status}`}>
              <p className="charts__head">
                <strong>{c.session_number ? `Session ${c.session_number}` : "Touch-up"}</strong>, {dateWords(wallClock(c.started_at).date)}{" "}
                {wallClock(c.started_at).time}–{wallClock(c.ended_at).time} · {c.practitioner_name}{" "}
                <span className="badge">{c.status === "signed" ? "Signed, locked" : "Draft"}</span>
              </p>
              <p className="muted">
                {c.zones}
                {c.dilution ? ` · dilution ${c.dilution}` : ""}
              </p>
              <ul className="charts__lots">
                {c.lots.map((l) => (
                  <li key={l.id}>
                    {LOT_KIND_WORDS[l.use]}: {l.product}, lot {l.lot}
                    {l.detail ? ` (${l.detail})` : ""}, expires {dateWords(l.expires_on)}
                  </li>
                ))}
              </ul>
              <p className="muted">
                Hygiene: {(Object.keys(HYGIENE_WORDS) as (keyof Hygiene)[]).filter((k) => c.hygiene[k]).length} of 4 confirmed
                {c.adverse_reaction ? ` · adverse reaction: ${c.adverse_reaction}` : ""}
                {c.notes ? ` · ${c.notes}` : ""}
              </p>
              {c.amendments.length > 0 ? (
                <ul className="charts__amendments" aria-label="Amendments">
                  {c.amendments.map((a) => (
                    <li key={a.id}>
                      Amended {dateWords(a.created_at.slice(0, 10))} by {a.created_by_name}: {a.text}
                    </li>
                  ))}
                </ul>
              ) : null}
              {problems.length > 0 ? (
                <Alert>{`Not signed yet: ${problems.join("; ")}`}</Alert>
              ) : signError?.id === c.id ? (
                <Alert>{signError.error.formMessage}</Alert>
              ) : null}
              {c.status === "draft" ? (
                <div className="charts__actions">
                  <button type="button" className="button button--quiet" onClick={() => setForm(c)}>
                    Change
                  </button>
                  {mine ? (
                    <button type="button" className="button" disabled={busy === c.id} onClick={() => void sign(c)}>
                      {busy === c.id ? "Signing…" : "Sign and lock"}
                    </button>
                  ) : (
                    <span className="muted">{c.practitioner_name} signs it</span>
                  )}
                </div>
              ) : (
                <Amend chart={c} onDone={charts.reload} />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
