import { useState, type FormEvent } from "react";
import { ApiError, api, call, type Schemas } from "../../api/client";
import { saving } from "../../api/saving";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { ReasonAction } from "../../components/ReasonAction";
import { FormActions } from "../../components/FormActions";
import { TextField } from "../../components/Field";
import { SignaturePad } from "./SignaturePad";

type Consent = Schemas["Consent"];
type Kind = Consent["kind"];
type Template = Schemas["ConsentTemplate"];

export const CONSENT_WORDS: Record<Kind, string> = {
  treatment: "Treatment",
  clinical_photos: "Clinical photos",
  marketing_photos: "Photos in marketing",
};
const STATE_WORDS: Record<string, string> = {
  signed: "Signed",
  outdated: "A newer text to sign",
  withdrawn: "Withdrawn",
  replaced: "Signed again since",
  missing: "Not signed",
  no_text: "No text yet",
};
const KINDS: Kind[] = ["treatment", "clinical_photos", "marketing_photos"];

/** "15 Jan 2027, 10:30" in the browser's own clock (a record's time). */
function when(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }).format(
    new Date(iso),
  );
}

/** The client reads the text and signs it: the typed name and a drawn signature. */
function SignForm({ clientId, text, onSigned, onCancel }: { clientId: string; text: Template; onSigned(): void; onCancel(): void }) {
  const [name, setName] = useState("");
  const [png, setPng] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local["signer_name"] = "expected your name, as you sign";
    if (!png) local["signature_png"] = "expected a signature drawn in the box";
    if (Object.keys(local).length) {
      setError(new ApiError(400, "", "", local));
      return;
    }
    await saving(setBusy, setError, async () => {
      await call(
        api.POST("/api/v1/clients/{id}/consents", {
          params: { path: { id: clientId } },
          body: { template_id: text.id, signer_name: name.trim(), signature_png: png },
        }),
      );
      onSigned();
    });
  }
  const f = error?.fields ?? {};
  return (
    <form className="consent-sign" onSubmit={submit} noValidate aria-label={`Sign: ${text.title}`}>
      <h3>{text.title}</h3>
      <p className="muted">Version {text.version}. Please read it all before you sign.</p>
      <div className="consent-sign__text" tabIndex={0} aria-label="The text to sign">
        {text.body.split(/\n\s*\n/).map((para, i) => (
          <p key={i}>{para}</p>
        ))}
      </div>
      <Alert>{error?.formMessage || f["template_id"]}</Alert>
      <TextField label="Your name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} error={f["signer_name"]} />
      <SignaturePad
        label="Your signature"
        onChange={(drawn) => {
          setPng(drawn);
          if (drawn && error?.fields["signature_png"]) setError(null);
        }}
        error={f["signature_png"]}
      />
      <FormActions label="Sign" busyLabel="Signing…" busy={busy} onCancel={onCancel} />
    </form>
  );
}

/** Records that the client withdrew a consent, in the words they used. */
function Withdraw({ consent, onDone }: { consent: Consent; onDone(): void }) {
  return (
    <ReasonAction
      button="Withdraw"
      formLabel={`Withdraw ${CONSENT_WORDS[consent.kind].toLowerCase()} consent`}
      label="How the client withdrew it"
      help="For example: by email on 3 March"
      submit="Withdraw"
      field="withdraw_reason"
      send={async (reason) => {
        await call(api.PATCH("/api/v1/consents/{id}", { params: { path: { id: consent.id } }, body: { withdraw_reason: reason } }));
      }}
      onDone={onDone}
    />
  );
}

/**
 * A client's consents: for each kind whether it stands (signed on the newest
 * text), is to be signed again (a newer text), withdrawn or missing, and each
 * signature as it was given. **Sign** shows the newest text for the client to
 * read and sign on the tablet.
 */
export function ClientConsents({ clientId }: { clientId: string }) {
  const list = useLoad(() => call(api.GET("/api/v1/clients/{id}/consents", { params: { path: { id: clientId } } })), [clientId]);
  const texts = useLoad(() => call(api.GET("/api/v1/consent-templates")), []);
  const [signing, setSigning] = useState<Kind | null>(null);
  const [done, setDone] = useState("");
  const reload = () => {
    list.reload();
  };
  const latest = texts.data?.latest;
  const signingText = signing && latest ? latest[signing] : null;
  return (
    <section className="card consents" aria-labelledby="consents-title">
      <div className="card__header">
        <h2 id="consents-title">Consents</h2>
      </div>
      <Alert>{list.error?.formMessage ?? texts.error?.formMessage}</Alert>
      {done ? <Alert tone="info">{done}</Alert> : null}
      {signingText ? (
        <SignForm
          clientId={clientId}
          text={signingText}
          onCancel={() => setSigning(null)}
          onSigned={() => {
            setDone(`Signed: ${signingText.title}, version ${signingText.version}.`);
            setSigning(null);
            reload();
          }}
        />
      ) : null}
      <ul className="consents__kinds">
        {KINDS.map((k) => {
          const state = list.data?.by_kind[k];
          const mayBeSigned = latest?.[k] && state && state.state !== "signed";
          return (
            <li key={k} className={`consents__kind consents__kind--${state?.state ?? "loading"}`}>
              <span>
                <strong>{CONSENT_WORDS[k]}</strong> <span className="badge">{state ? STATE_WORDS[state.state] : "…"}</span>
              </span>
              {mayBeSigned && signing !== k ? (
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    setDone("");
                    setSigning(k);
                  }}
                >
                  {state?.state === "outdated" ? "Sign the new text" : "Sign"}
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
      {list.data && list.data.consents.length > 0 ? (
        <ul className="consents__list" aria-label="Signed consents">
          {list.data.consents.map((c) => (
            <li key={c.id} className={`consents__item consents__item--${c.state}`}>
              <img className="consents__signature" src={c.signature_url} alt={`${c.signer_name}'s signature`} />
              <div>
                <p className="consents__head">
                  <strong>{c.title}</strong>, version {c.version} · {STATE_WORDS[c.state]}
                </p>
                <p className="muted">
                  Signed by {c.signer_name}, {when(c.signed_at)}
                  {c.withdrawn_at ? ` · withdrawn ${when(c.withdrawn_at)}: ${c.withdraw_reason}` : ""}
                </p>
                <details>
                  <summary>The text as signed</summary>
                  <div className="consent-sign__text">
                    {c.text.split(/\n\s*\n/).map((para, i) => (
                      <p key={i}>{para}</p>
                    ))}
                  </div>
                  <p className="muted consents__hash">SHA-256 {c.text_sha256}</p>
                </details>
                {c.state !== "withdrawn" && list.data?.by_kind[c.kind].consent_id === c.id ? <Withdraw consent={c} onDone={reload} /> : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
