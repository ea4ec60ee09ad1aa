import { useState } from "react";
import { Link } from "react-router-dom";
import { api, call } from "../../api/client";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { SelectField, TextField } from "../../components/Field";
import { seesClinicalData, useAuth } from "../auth/auth";
import { KIND_WORDS } from "../diary/DiaryPage";
import { dateWords, wallClock } from "../diary/time";

/** "March 2027" for "2027-03". */
function monthWords(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, 1)));
}

/** One practitioner's day, to print: every appointment with the client's phone, what it is and what needs attention. */
function DaySheet({ today }: { today: string }) {
  const people = useLoad(() => call(api.GET("/api/v1/practitioners")).then((r) => r.practitioners), []);
  const [day, setDay] = useState(today);
  const [who, setWho] = useState("");
  const list = useLoad(
    () =>
      day
        ? call(api.GET("/api/v1/appointments", { params: { query: { from: day, days: 1, ...(who ? { practitioner_id: who } : {}) } } }))
        : Promise.resolve(null),
    [day, who],
  );
  const booked = (list.data?.appointments ?? []).filter((a) => a.status === "booked");
  return (
    <section className="card report" aria-labelledby="day-sheet-title">
      <div className="card__header">
        <h2 id="day-sheet-title">Day sheet</h2>
        <button type="button" className="button button--quiet no-print" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <div className="form__row no-print">
        <TextField label="Day" type="date" value={day} onChange={(e) => setDay(e.target.value)} />
        <SelectField
          label="Practitioner"
          value={who}
          onChange={(e) => setWho(e.target.value)}
          options={[{ value: "", label: "Everyone" }, ...(people.data ?? []).map((p) => ({ value: p.id, label: p.name }))]}
        />
      </div>
      <Alert>{list.error?.formMessage}</Alert>
      <p className="muted">
        {day ? dateWords(day) : ""}
        {who ? ` · ${(people.data ?? []).find((p) => p.id === who)?.name ?? ""}` : ""}
        {list.data ? ` · ${booked.length} booked · times in ${list.data.time_zone}` : ""}
      </p>
      {list.data && booked.length === 0 ? <p className="muted">Nothing booked.</p> : null}
      <ul className="report__list">
        {booked.map((a) => (
          <li key={a.id}>
            <strong>
              {wallClock(a.start).time}–{wallClock(a.end).time}
            </strong>{" "}
            <Link to={`/clients/${encodeURIComponent(a.client_id)}`}>{a.client_name}</Link> ·{" "}
            {a.kind === "session" && a.session_number ? `Session ${a.session_number}` : KIND_WORDS[a.kind]} · {a.practitioner_name}
            {a.chair_name ? ` · ${a.chair_name}` : ""}
            {a.notes ? <span className="muted"> · {a.notes}</span> : null}
            {(a.attention ?? []).length > 0 ? (
              <span className="diary__attention"> · Needs attention: {(a.attention ?? []).map((g) => g.message).join("; ")}</span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Clients due for a touch-up, month by month, with how to reach them. */
function Recalls() {
  const report = useLoad(() => call(api.GET("/api/v1/reports/recalls", { params: { query: { months: 24 } } })), []);
  const data = report.data;
  const row = (c: NonNullable<typeof data>["overdue"][number]) => (
    <li key={c.client_id}>
      <Link to={`/clients/${encodeURIComponent(c.client_id)}`}>{c.client_name}</Link> · due {dateWords(c.due)} (last session {dateWords(c.last_session)},{" "}
      {c.years} years{c.from_intake ? "" : ", average skin and sun assumed"}) ·{" "}
      {c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : null} {c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : null}
    </li>
  );
  const months = (data?.months ?? []).filter((m) => m.clients.length > 0);
  return (
    <section className="card report" aria-labelledby="recalls-title">
      <h2 id="recalls-title">Touch-up recalls</h2>
      <p className="muted">
        Due when the dots have faded to about two thirds of their contrast, by the client's skin and sun exposure (3 to 8 years), from
        their last signed session. The next 24 months:
      </p>
      <Alert>{report.error?.formMessage}</Alert>
      {data && data.overdue.length > 0 ? (
        <>
          <h3>Overdue</h3>
          <ul className="report__list">{data.overdue.map(row)}</ul>
        </>
      ) : null}
      {data && months.length === 0 && data.overdue.length === 0 ? <p className="muted">Nobody is due in these months.</p> : null}
      {months.map((m) => (
        <div key={m.month}>
          <h3>{monthWords(m.month)}</h3>
          <ul className="report__list">{m.clients.map(row)}</ul>
        </div>
      ))}
    </section>
  );
}

/** Signed sessions per month, the twelve months up to this one, newest first. */
function Sessions({ from }: { from: string }) {
  const report = useLoad(() => call(api.GET("/api/v1/reports/sessions", { params: { query: { from, months: 12 } } })), [from]);
  return (
    <section className="card report" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions per month</h2>
      <Alert>{report.error?.formMessage}</Alert>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>Month</th>
              <th>Sessions</th>
              <th>Touch-ups</th>
              <th>Clients</th>
              <th className="hide-narrow">By practitioner</th>
            </tr>
          </thead>
          <tbody>
            {[...(report.data?.months ?? [])].reverse().map((m) => (
              <tr key={m.month}>
                <td>{monthWords(m.month)}</td>
                <td>{m.sessions}</td>
                <td>{m.touch_ups}</td>
                <td>{m.clients}</td>
                <td className="hide-narrow">{m.by_practitioner.map((p) => `${p.practitioner_name} ${p.charted}`).join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Reports: the day sheet to print, the touch-up recalls and (for clinical roles) the sessions per month. */
export function ReportsPage() {
  const { me } = useAuth();
  const clinic = useLoad(() => call(api.GET("/api/v1/clinic")), []);
  const today = (clinic.data as { today?: string } | null)?.today ?? "";
  // The twelve months up to this one.
  const yearAgo = today
    ? new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 - 11, 1)).toISOString().slice(0, 7)
    : "";
  return (
    <section className="page reports">
      <header className="page__header">
        <h1>Reports</h1>
      </header>
      {today ? <DaySheet today={today} /> : null}
      <Recalls />
      {seesClinicalData(me) && yearAgo ? <Sessions from={yearAgo} /> : null}
    </section>
  );
}
