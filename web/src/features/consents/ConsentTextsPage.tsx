import { useEffect, useState, type FormEvent } from "react";
import { ApiError, api, call, type Schemas } from "../../api/client";
import { saving } from "../../api/saving";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { FormActions } from "../../components/FormActions";
import { TextArea, TextField } from "../../components/Field";
import { useAuth } from "../auth/auth";
import { CONSENT_WORDS } from "./Consents";

type Template = Schemas["ConsentTemplate"];
type Kind = Template["kind"];
const KINDS: Kind[] = ["treatment", "clinical_photos", "marketing_photos"];

/** One kind's text: the owner saves a changed text as its next version. */
function KindEditor({ kind, latest, history, editable, onSaved }: {
  kind: Kind;
  latest: Template | null;
  history: Template[];
  editable: boolean;
  onSaved(): void;
}) {
  const [title, setTitle] = useState(latest?.title ?? "");
  const [body, setBody] = useState(latest?.body ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState("");
  useEffect(() => {
    setTitle(latest?.title ?? "");
    setBody(latest?.body ?? "");
  }, [latest?.id]);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone("");
    await saving(setBusy, setError, async () => {
      const t = await call(api.POST("/api/v1/consent-templates", { body: { kind, title, body } }));
      setDone(`Saved as version ${t.version}. Clients sign it before their next session.`);
      onSaved();
    });
  }
  const f = error?.fields ?? {};
  return (
    <section className="card" aria-labelledby={`text-${kind}`}>
      <h2 id={`text-${kind}`}>{CONSENT_WORDS[kind]}</h2>
      <p className="muted">
        {latest ? `Version ${latest.version}, saved ${latest.created_at.slice(0, 10)}` : "No text yet: nobody can sign this consent."}
        {history.length > 1 ? ` · ${history.length - 1} earlier version${history.length > 2 ? "s" : ""} kept` : ""}
      </p>
      {done ? <Alert tone="info">{done}</Alert> : null}
      <form className="form" onSubmit={submit} noValidate aria-label={`The ${CONSENT_WORDS[kind].toLowerCase()} consent text`}>
        <Alert>{error?.formMessage}</Alert>
        <TextField label="Title" value={title} onChange={(e) => setTitle(e.target.value)} disabled={!editable} error={f["title"]} />
        <TextArea
          label="Text"
          help="What the client reads and signs; a blank line between paragraphs"
          rows={10}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          disabled={!editable}
          error={f["body"]}
        />
        {editable ? <FormActions label={latest ? "Save as a new version" : "Save"} busyLabel="Saving…" busy={busy} /> : null}
      </form>
    </section>
  );
}

/**
 * The clinic's consent texts (treatment, clinical photos, photos in
 * marketing). The owner writes them; saving a changed text makes its next
 * version, and every version a client signed stays as it was.
 */
export function ConsentTextsPage() {
  const { me } = useAuth();
  const texts = useLoad(() => call(api.GET("/api/v1/consent-templates")), []);
  return (
    <section className="page consent-texts">
      <header className="page__header">
        <h1>Consent texts</h1>
      </header>
      <p className="muted">
        Clients sign these on the client's page. A new version of the treatment text must be signed again before the client's next
        session; a signed text is kept exactly as it was signed.
      </p>
      <Alert>{texts.error?.formMessage}</Alert>
      {texts.data
        ? KINDS.map((k) => (
            <KindEditor
              key={k}
              kind={k}
              latest={texts.data!.latest[k] ?? null}
              history={texts.data!.templates.filter((t) => t.kind === k)}
              editable={me?.role === "owner"}
              onSaved={texts.reload}
            />
          ))
        : null}
    </section>
  );
}
