import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { api, call, type Client } from "../../api/client";
import { useLoad } from "../../api/useLoad";
import { candidacyWords } from "../consultations/Assessment";
import { photoTitle } from "../photos/Photos";

interface Event {
  at: string;
  text: ReactNode;
}

function when(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : t.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/**
 * Everything that happened in a client's record, newest first: the record made
 * and changed, intakes taken, consultations run, photos added. The front desk
 * sees the record and the consultations (not intakes or photos: clinical).
 */
export function ClientTimeline({ client, clinical, photosChanged = 0 }: { client: Client; clinical: boolean; photosChanged?: number }) {
  const id = client.id;
  const consultations = useLoad(() => call(api.GET("/api/v1/clients/{id}/consultations", { params: { path: { id } } })).then((r) => r.consultations), [id]);
  const intakes = useLoad(
    () => (clinical ? call(api.GET("/api/v1/clients/{id}/intakes", { params: { path: { id } } })).then((r) => r.intakes) : Promise.resolve([])),
    [id, clinical],
  );
  const photos = useLoad(
    () => (clinical ? call(api.GET("/api/v1/clients/{id}/photos", { params: { path: { id } } })).then((r) => r.photos) : Promise.resolve([])),
    [id, clinical, photosChanged],
  );
  const events: Event[] = [{ at: client.created_at, text: "Client record created" }];
  if (client.updated_at !== client.created_at) events.push({ at: client.updated_at, text: `Details changed (version ${client.version})` });
  for (const i of intakes.data ?? []) events.push({ at: i.created_at, text: "Intake questionnaire taken" });
  for (const c of consultations.data ?? [])
    events.push({
      at: c.created_at,
      text: clinical ? (
        <>
          Consultation: <Link to={`/consultations/${encodeURIComponent(c.id)}`}>{c.assessment ? candidacyWords(c.assessment.candidacy) : c.status}</Link>
          {c.planned ? ", plan and quote made" : ""}
        </>
      ) : (
        `Consultation${c.planned ? ", plan and quote made" : ""}`
      ),
    });
  for (const p of photos.data ?? []) events.push({ at: p.created_at, text: `Photo added: ${photoTitle(p).toLowerCase()}` });
  events.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return (
    <section className="card" aria-labelledby="record-title">
      <h2 id="record-title">Record</h2>
      <ol className="timeline">
        {events.map((e, i) => (
          <li key={i}>
            <time dateTime={e.at}>{when(e.at)}</time> {e.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
