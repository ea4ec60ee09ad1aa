import { useEffect, useState, type FormEvent } from "react";
import { FormActions } from "../../components/FormActions";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { api, ApiError, call, type Schemas } from "../../api/client";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { ageOn, todayIso } from "../../utils/age";
import { seesClinicalData, useAuth } from "../auth/auth";
import { IntakeForm } from "../intake/IntakeForm";
import type { Answers } from "../intake/questions";
import { AssessmentView, candidacyWords, PLANNABLE, type AssessmentDoc } from "./Assessment";
import { ChangeDesign, choiceWords, type DesignDoc } from "./DesignChoices";
import { PlanView, useDocument, type PlanDoc, type QuoteDoc } from "./PlanView";

type Consultation = Schemas["Consultation"];

/** How often a running consultation is asked for its progress. */
export const POLL_MS = 700;
/** The shortest override reason the server takes, in letters (studio/consultations.cpp). */
export const MIN_OVERRIDE_LETTERS = 20;

/** The steps of a consultation, in the words of the progress bar. */
const STEP_WORDS: Record<string, string> = {
  assessment: "Assessment done",
  design: "Design done",
  dots: "Dots placed",
  pictures: "Pictures rendered",
  plan: "Plan and quote done",
  calendar: "Calendar done",
  report: "Report done",
};

/** The intake's first answers, from the client's record: name, sex, age by the date of birth, today's date. */
export function answersFromClient(c: Schemas["Client"]): Answers {
  const client: Answers = { name: c.name };
  if (c.sex === "male" || c.sex === "female" || c.sex === "other") client.sex = c.sex;
  if (c.date_of_birth) {
    const age = ageOn(c.date_of_birth, todayIso());
    if (age !== undefined) client.age = age;
  }
  return { date: todayIso(), client };
}

/**
 * The answers of an earlier intake, to edit and run again: today's date, and the
 * sex and age from the client's record as it is now (a birthday may have passed).
 */
export function answersFromIntake(doc: Answers, c: Schemas["Client"]): Answers {
  const { schema: _schema, ...answers } = doc;
  void _schema;
  const fresh = answersFromClient(c);
  const client = { ...((answers.client as Answers | undefined) ?? {}), ...(fresh.client as Answers) };
  return { ...answers, date: fresh.date, client };
}

/** A new consultation: the intake questionnaire (empty, or an earlier intake's answers), then the engine's run. */
export function NewConsultation() {
  const { id = "" } = useParams();
  const [params] = useSearchParams();
  const from = params.get("from") ?? "";
  const { me } = useAuth();
  const navigate = useNavigate();
  const { data: client, error } = useLoad(() => call(api.GET("/api/v1/clients/{id}", { params: { path: { id } } })), [id]);
  const clinic = useLoad(() => call(api.GET("/api/v1/clinic")), []);
  const earlier = useLoad(
    () => (from ? call(api.GET("/api/v1/intakes/{id}", { params: { path: { id: from } } })) : Promise.resolve(null)),
    [from],
  );
  if (!seesClinicalData(me))
    return (
      <section className="page">
        <Alert>A consultation is run by an owner or a practitioner.</Alert>
        <Link to={`/clients/${encodeURIComponent(id)}`}>Back to the client</Link>
      </section>
    );
  if (error) return <section className="page"><Alert>{error.status === 404 ? "There is no such client." : error.formMessage}</Alert></section>;
  if (!client || client.id !== id) return <p className="page muted">Loading…</p>;
  if (from && earlier.error) return <section className="page"><Alert>The earlier intake could not be read: {earlier.error.formMessage}</Alert></section>;
  if (from && !earlier.data) return <p className="page muted">Loading…</p>;
  if (!clinic.data && !clinic.error) return <p className="page muted">Loading…</p>;
  if (earlier.data && earlier.data.client_id !== id) return <section className="page"><Alert>That intake is not this client’s.</Alert></section>;
  const fresh = answersFromClient(client);
  // A budget is in the clinic's currency unless said otherwise (asked only once a budget is given).
  if (clinic.data?.pricing.currency) fresh.goals = { currency: clinic.data.pricing.currency };
  const initial = earlier.data ? answersFromIntake(earlier.data.document as Answers, client) : fresh;
  return (
    <section className="page">
      <nav className="crumbs">
        <Link to="/clients">Clients</Link> / <Link to={`/clients/${encodeURIComponent(id)}`}>{client.name}</Link>
      </nav>
      <header className="page__header">
        <h1>Consultation: {client.name}</h1>
      </header>
      <p className="muted">
        {earlier.data
          ? `The answers of the intake of ${new Date(earlier.data.created_at).toLocaleDateString(undefined, { dateStyle: "medium" })}: change what is different now. That intake and its consultations stay as they are.`
          : "Answer what the client tells you; leave a question as “Not asked” when it did not come up. Only sex and age are needed."}
      </p>
      <IntakeForm
        initial={initial}
        submitLabel="Assess and plan"
        onCancel={() => navigate(`/clients/${encodeURIComponent(id)}`)}
        onSubmit={async (doc) => {
          const intake = await call(api.POST("/api/v1/clients/{id}/intakes", { params: { path: { id } }, body: doc as never }));
          const c = await call(api.POST("/api/v1/clients/{id}/consultations", { params: { path: { id } }, body: { intake_id: intake.id } }));
          navigate(`/consultations/${encodeURIComponent(c.id)}`);
        }}
      />
    </section>
  );
}

function Progress({ c }: { c: Consultation }) {
  const pct = Math.round((c.progress ?? 0) * 100);
  return (
    <div className="card progress-card" aria-live="polite">
      <p>
        <strong>{c.status === "queued" ? "Waiting for the engine…" : "Working…"}</strong>{" "}
        <span className="muted">{c.step ? STEP_WORDS[c.step] ?? c.step : ""}</span>
      </p>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label="Consultation progress">
        <div className="progress__bar" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

const VIEW_WORDS: Record<string, string> = { top: "from above", three_quarter: "three-quarter", front: "front", back: "back", left: "left", right: "right" };

/** A document's name in words, and where it sorts: the result first, the design's diagrams after. */
export function documentWords(name: string): { label: string; order: number } {
  const fixed: Record<string, [string, number]> = {
    "report.pdf": ["Consultation report (PDF)", 0],
    "calendar.ics": ["Calendar of the visits (iCalendar)", 1],
    "quote.json": ["Quote (JSON)", 2],
    "plan.json": ["Plan (JSON)", 3],
    "summary.txt": ["The assessment in the client's words (text)", 4],
    "design.json": ["Design (JSON)", 5],
    "measure.json": ["Design's measurements (JSON)", 6],
    "dots.csv": ["Every dot (CSV)", 7],
    "pattern-stats.json": ["Dot pattern statistics (JSON)", 8],
    "progression.png": ["Session by session", 40],
    "timeline.png": ["Fading over the years", 41],
  };
  const known = fixed[name];
  if (known) return { label: known[0], order: known[1] };
  let m = /^(top|three_quarter)\.(before|healed|years-(\d+))\.(png|meta\.json)$/.exec(name);
  if (m) {
    const when = m[2] === "before" ? "Before" : m[2] === "healed" ? "Healed" : `${m[3]} years later`;
    const meta = m[4] !== "png";
    const order = (m[2] === "before" ? 10 : m[2] === "healed" ? 20 : 30 + Number(m[3] ?? 0) / 100) + (m[1] === "top" ? 0 : 1);
    return { label: `${when}, ${VIEW_WORDS[m[1]!]}${meta ? " (render settings, JSON)" : ""}`, order: meta ? 100 + order : order };
  }
  m = /^(top|front|back|left|right)\.png$/.exec(name);
  if (m) return { label: `Design, ${m[1]} view`, order: 50 + ["top", "front", "left", "right", "back"].indexOf(m[1]!) };
  return { label: name, order: 200 };
}

/** The documents a consultation made: pictures shown, files to open or download. */
function Documents({ docs }: { docs: Record<string, string> }) {
  const names = Object.keys(docs).sort((a, b) => documentWords(a).order - documentWords(b).order || a.localeCompare(b));
  const pictures = names.filter((n) => n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".webp"));
  const files = names.filter((n) => !pictures.includes(n));
  // For the client: the report, the calendar and the assessment in words; the JSON documents are the practitioner's.
  const forClient = (n: string) => documentWords(n).order < 5 && !n.endsWith(".json");
  const main = files.filter(forClient);
  const more = files.filter((n) => !forClient(n));
  const fileList = (list: string[]) => (
    <ul className="files">
      {list.map((n) => (
        <li key={n}>
          <a href={docs[n]} target="_blank" rel="noreferrer">
            {documentWords(n).label}
          </a>{" "}
          <a className="muted" href={docs[n]} download={n}>
            download
          </a>
        </li>
      ))}
    </ul>
  );
  return (
    <>
      {main.length ? (
        <section className="card">
          <h2>For the client</h2>
          {fileList(main)}
        </section>
      ) : null}
      {pictures.length ? (
        <section className="card">
          <h2>Pictures</h2>
          <div className="pictures">
            {pictures.map((n) => (
              <figure key={n}>
                <a href={docs[n]} target="_blank" rel="noreferrer">
                  <img src={docs[n]} alt={documentWords(n).label} loading="lazy" />
                </a>
                <figcaption>{documentWords(n).label}</figcaption>
              </figure>
            ))}
          </div>
        </section>
      ) : null}
      {more.length ? (
        <details className="card">
          <summary>
            <h2>Files for the practitioner</h2>
          </summary>
          {fileList(more)}
        </details>
      ) : null}
    </>
  );
}

/** The practitioner's override of a blocking assessment: a new run with the reason recorded. */
function Override({ c }: { c: Consultation }) {
  const navigate = useNavigate();
  const [reason, setReason] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const letters = [...reason].filter((ch) => /\p{L}/u.test(ch)).length;
    if (letters < MIN_OVERRIDE_LETTERS) {
      setError(new ApiError(400, "", "", { override_reason: `expected a reason in words, of at least ${MIN_OVERRIDE_LETTERS} letters: why plan against the assessment, and who agreed` }));
      return;
    }
    if (!confirmed) {
      setError(new ApiError(400, "", "", { override_confirmed: "expected your confirmation that the client was told what the assessment advises" }));
      return;
    }
    setBusy(true);
    try {
      const next = await call(
        api.POST("/api/v1/clients/{id}/consultations", {
          params: { path: { id: c.client_id } },
          body: { intake_id: c.intake_id ?? "", override_reason: reason.trim() },
        }),
      );
      navigate(`/consultations/${encodeURIComponent(next.id)}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "Error", String(err)));
    } finally {
      setBusy(false);
    }
  }
  const fieldError = error?.fields["override_reason"];
  return (
    <form className="card override" onSubmit={submit} noValidate>
      <h2>Plan anyway</h2>
      <p className="muted">
        The assessment advises against booking. A practitioner may still plan, with the reason, which is recorded and printed in the plan,
        the calendar and the report.
      </p>
      <Alert>{error?.formMessage}</Alert>
      <div className={`field${fieldError ? " field--error" : ""}`}>
        <label htmlFor="override-reason">Reason</label>
        <textarea id="override-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={fieldError ? true : undefined} />
        {fieldError ? <p className="field__error" role="alert">{fieldError}</p> : null}
      </div>
      <div className={`field${error?.fields["override_confirmed"] ? " field--error" : ""}`}>
        <label className="choice__option">
          <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
          <span>I have told the client what the assessment advises, and the reason is recorded in their documents.</span>
        </label>
        {error?.fields["override_confirmed"] ? <p className="field__error" role="alert">{error.fields["override_confirmed"]}</p> : null}
      </div>
      <FormActions label="Plan with this reason" busyLabel="Starting…" busy={busy} primary={false} />
    </form>
  );
}

/** One consultation: its progress while the engine runs, then the assessment and everything it made. */
export function ConsultationPage() {
  const { id = "" } = useParams();
  const { me } = useAuth();
  const loaded = useLoad(() => call(api.GET("/api/v1/consultations/{id}", { params: { path: { id } } })), [id]);
  const c = loaded.data?.id === id ? loaded.data : null;
  const running = c?.status === "queued" || c?.status === "running";
  const { reload, setData } = loaded;
  // While the engine runs, only its status is asked for (not audited); the whole consultation once it ends.
  useEffect(() => {
    if (!running || !c) return;
    const t = setTimeout(() => {
      call(api.GET("/api/v1/consultations/{id}/status", { params: { path: { id } } }))
        .then((s) => (s.status === "done" || s.status === "failed" ? reload() : setData({ ...c, status: s.status, progress: s.progress, step: s.step })))
        .catch(() => reload());
    }, POLL_MS);
    return () => clearTimeout(t);
  }, [running, c, id, reload, setData]);
  const clientId = c?.client_id;
  const { data: client } = useLoad(
    () => (clientId ? call(api.GET("/api/v1/clients/{id}", { params: { path: { id: clientId } } })) : Promise.resolve(null)),
    [clientId],
  );
  const full = useDocument<AssessmentDoc>(c?.documents?.["assessment.json"]);
  const plan = useDocument<PlanDoc>(c?.documents?.["plan.json"]);
  const quote = useDocument<QuoteDoc>(c?.documents?.["quote.json"]);
  const design = useDocument<DesignDoc>(c?.documents?.["design.json"]);

  if (loaded.error && !c)
    return (
      <section className="page">
        <Alert>
          {loaded.error.status === 404
            ? "There is no such consultation."
            : loaded.error.status === 403
              ? "A consultation's assessment and documents are for owners and practitioners: the client's page has the quote and the calendar."
              : loaded.error.formMessage}
        </Alert>
        <Link to="/clients">Back to clients</Link>
      </section>
    );
  if (!c) return <p className="page muted">Loading…</p>;
  const summary = c.assessment;
  const overridden = c.override?.applied === true;
  const blocked = summary?.blocked === true && !overridden;
  const { ["assessment.json"]: _assessment, ...documents } = c.documents ?? {};
  void _assessment;
  return (
    <section className="page">
      <nav className="crumbs">
        <Link to="/clients">Clients</Link> / <Link to={`/clients/${encodeURIComponent(c.client_id)}`}>{client?.name ?? "The client’s record"}</Link>
      </nav>
      <header className="page__header">
        <h1>Consultation{client ? `: ${client.name}` : ""}</h1>
        <span className="muted">
          {new Date(c.created_at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}
          {c.planned ? ` · clinic settings ${c.settings_version === 0 ? "as installed" : `version ${c.settings_version}`}` : ""}
        </span>
      </header>
      {running ? <Progress c={c} /> : null}
      {c.status === "failed" ? <Alert>The engine could not finish this consultation: {c.error}</Alert> : null}
      {overridden ? <Alert tone="info">Planned against the assessment’s advice. Reason: {c.override?.reason}</Alert> : null}
      {choiceWords(c.design_choices) ? <Alert tone="info">The practitioner chose, instead of the intake’s answers: {choiceWords(c.design_choices)}.</Alert> : null}
      {summary ? (
        <section className="card">
          <h2>Assessment</h2>
          {full ? (
            <AssessmentView a={full} />
          ) : (
            <p className={`candidacy candidacy--${PLANNABLE.has(summary.candidacy) ? "good" : summary.candidacy === "defer" ? "wait" : "stop"}`}>
              <strong>{candidacyWords(summary.candidacy)}</strong>
              <span>{summary.candidacy_text}</span>
            </p>
          )}
          {summary.holds?.length ? (
            <>
              <h3>Holds on the first session</h3>
              <ul className="assessment__list">
                {summary.holds.map((h, i) => (
                  <li key={i}>
                    {h.text} {h.until ? <strong>until {h.until}</strong> : null} <code className="rule">{h.rule}</code>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
      {c.status === "done" && blocked ? (
        <Alert tone="info">No plan or price was made: {summary?.summary || "the assessment does not allow booking."}</Alert>
      ) : null}
      {c.status === "done" && blocked && seesClinicalData(me) ? <Override c={c} /> : null}
      <PlanView plan={plan} quote={quote} />
      <Documents docs={documents} />
      {c.status === "done" && design && seesClinicalData(me) ? <ChangeDesign c={c} design={design} /> : null}
      {c.status !== "queued" && c.status !== "running" && c.intake_id && seesClinicalData(me) ? (
        <p>
          <Link className="button" to={`/clients/${encodeURIComponent(c.client_id)}/consultations/new?from=${encodeURIComponent(c.intake_id)}`}>
            Edit the intake and run again
          </Link>
        </p>
      ) : null}
    </section>
  );
}
