import { Link } from "react-router-dom";
import { api, call } from "../../api/client";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { GATE_WORDS, KIND_WORDS } from "./DiaryPage";
import { dateWords, mondayOf, wallClock } from "./time";

/**
 * The client's appointments from today over the next two months (the diary's
 * longest list), each with what needs attention, and a link to its week.
 */
export function ClientAppointments({ clientId }: { clientId: string }) {
  const clinic = useLoad(() => call(api.GET("/api/v1/clinic")), []);
  const today = (clinic.data as { today?: string } | null)?.today ?? "";
  const list = useLoad(
    () =>
      today
        ? call(api.GET("/api/v1/appointments", { params: { query: { client_id: clientId, from: today, days: 62 } } }))
        : Promise.resolve(null),
    [clientId, today],
  );
  const booked = (list.data?.appointments ?? []).filter((a) => a.status === "booked");
  return (
    <section className="card" aria-labelledby="appointments-title">
      <h2 id="appointments-title">Appointments</h2>
      <Alert>{list.error?.formMessage ?? clinic.error?.formMessage}</Alert>
      {list.data && booked.length === 0 ? <p className="muted">Nothing booked in the next two months.</p> : null}
      <ul className="report__list">
        {booked.map((a) => (
          <li key={a.id}>
            <Link to={`/diary?from=${mondayOf(wallClock(a.start).date)}`}>
              {dateWords(wallClock(a.start).date)} {wallClock(a.start).time}
            </Link>{" "}
            · {a.kind === "session" && a.session_number ? `Session ${a.session_number}` : KIND_WORDS[a.kind]} · {a.practitioner_name}
            {a.chair_name ? ` · ${a.chair_name}` : ""}
            {(a.attention ?? []).length > 0 ? (
              <span className="diary__attention">
                {" "}
                · Needs attention: {(a.attention ?? []).map((g) => `${GATE_WORDS[g.gate] ?? g.gate} (${g.message})`).join("; ")}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
