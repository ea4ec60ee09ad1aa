import { useState } from "react";
import { Link } from "react-router-dom";
import { api, call } from "../../api/client";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { candidacyWords } from "./Assessment";
import { choiceWords } from "./DesignChoices";
import { PlanView, useDocument, type QuoteDoc } from "./PlanView";

/** The quote of one consultation for the front desk, opened on demand. */
function DeskQuote({ url }: { url: string }) {
  const [open, setOpen] = useState(false);
  const quote = useDocument<QuoteDoc>(open ? url : undefined);
  return (
    <details className="desk-quote" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>quote</summary>
      {open && !quote ? <p className="muted">Loading…</p> : null}
      <PlanView plan={null} quote={quote} />
    </details>
  );
}

const STATUS_WORDS = { queued: "Waiting", running: "Running", done: "Done", failed: "Failed" } as const;

/** A client's consultations, newest first, each linking to its page (front desk: the quote and calendar only). */
export function ClientConsultations({ clientId, clinical }: { clientId: string; clinical: boolean }) {
  const { data, error } = useLoad(
    () => call(api.GET("/api/v1/clients/{id}/consultations", { params: { path: { id: clientId } } })).then((r) => r.consultations),
    [clientId],
  );
  return (
    <section className="card" aria-labelledby="consultations-title">
      <div className="card__header">
        <h2 id="consultations-title">Consultations</h2>
        {clinical ? (
          <Link className="button button--primary" to={`/clients/${encodeURIComponent(clientId)}/consultations/new`}>
            New consultation
          </Link>
        ) : null}
      </div>
      <Alert>{error?.formMessage}</Alert>
      {data && data.length === 0 ? <p className="muted">No consultation yet.</p> : null}
      <ol className="timeline">
        {(data ?? []).map((c, i) => (
          <li key={c.id}>
            <time>{new Date(c.created_at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}</time>
            {clinical ? (
              <Link to={`/consultations/${encodeURIComponent(c.id)}`}>
                {c.assessment ? candidacyWords(c.assessment.candidacy) : "Consultation"}
              </Link>
            ) : (
              <span>Consultation</span>
            )}{" "}
            <span className="muted">
              {STATUS_WORDS[c.status]}
              {c.planned ? ", planned" : ""}
              {c.override?.applied ? ", against the assessment" : ""}
              {choiceWords(c.design_choices) ? ` · ${choiceWords(c.design_choices)}` : ""}
            </span>
            {!clinical && c.planned && i === data!.findIndex((x) => x.planned) && data!.filter((x) => x.planned).length > 1 ? (
              <span className="muted"> · the latest plan</span>
            ) : null}
            {!clinical && c.documents["calendar.ics"] ? (
              <>
                {" "}
                · <a href={c.documents["calendar.ics"]}>calendar</a>
              </>
            ) : null}
            {!clinical && c.documents["quote.json"] ? <DeskQuote url={c.documents["quote.json"]} /> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
