import { useState, type FormEvent } from "react";
import { ApiError, api, call, type Schemas } from "../../api/client";
import { saving } from "../../api/saving";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { ReasonAction } from "../../components/ReasonAction";
import { FormActions } from "../../components/FormActions";
import { SelectField, TextField } from "../../components/Field";
import { useAuth } from "../auth/auth";
import { dateWords as day } from "../diary/time";

type Credential = Schemas["Credential"];
type Kind = Credential["kind"];

const KIND_WORDS: Record<Kind, string> = {
  body_art_licence: "Body-art licence",
  bloodborne_pathogens: "Bloodborne-pathogens training",
  health_permit: "Health permit",
};
const STATE_WORDS: Record<Credential["state"], string> = {
  valid: "Valid",
  expired: "Expired",
  not_yet_valid: "Not yet valid",
  revoked: "Revoked",
};

/** The owner records a credential: whose, which, its number and the days it is valid. */
function AddForm({ onAdded }: { onAdded(): void }) {
  const people = useLoad(() => call(api.GET("/api/v1/practitioners")).then((r) => r.practitioners), []);
  const [holder, setHolder] = useState("");
  const [kind, setKind] = useState<Kind>("body_art_licence");
  const [reference, setReference] = useState("");
  const [issuer, setIssuer] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const clinic = holder === "clinic";
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!holder) {
      setError(new ApiError(400, "", "", { user_id: "expected whose credential it is" }));
      return;
    }
    await saving(setBusy, setError, async () => {
      await call(
        api.POST("/api/v1/credentials", {
          body: {
            user_id: clinic ? null : holder,
            kind: clinic ? "health_permit" : kind,
            reference,
            issuer: issuer || null,
            valid_from: from,
            expires_on: to,
          },
        }),
      );
      setReference("");
      setIssuer("");
      setFrom("");
      setTo("");
      onAdded();
    });
  }
  const f = error?.fields ?? {};
  return (
    <form className="card form" onSubmit={submit} noValidate aria-label="Record a credential">
      <h2>Record a credential</h2>
      <p className="muted">A renewal is a new credential; the old one stays on the record.</p>
      <Alert>{error?.formMessage}</Alert>
      <SelectField
        label="Whose"
        value={holder}
        onChange={(e) => setHolder(e.target.value)}
        options={[
          { value: "", label: "Choose…" },
          ...(people.data ?? []).map((p) => ({ value: p.id, label: p.name })),
          { value: "clinic", label: "The clinic (its health permit)" },
        ]}
        error={f["user_id"]}
      />
      {clinic ? null : (
        <SelectField
          label="Kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
          options={[
            { value: "body_art_licence", label: KIND_WORDS.body_art_licence },
            { value: "bloodborne_pathogens", label: KIND_WORDS.bloodborne_pathogens },
          ]}
          error={f["kind"]}
        />
      )}
      <div className="form__row">
        <TextField label="Number, as printed" value={reference} onChange={(e) => setReference(e.target.value)} error={f["reference"]} />
        <TextField label="Issued by" value={issuer} onChange={(e) => setIssuer(e.target.value)} error={f["issuer"]} />
      </div>
      <div className="form__row">
        <TextField label="Valid from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} error={f["valid_from"]} />
        <TextField label="Last valid day" type="date" value={to} onChange={(e) => setTo(e.target.value)} error={f["expires_on"]} />
      </div>
      <FormActions label="Record" busyLabel="Saving…" busy={busy} />
    </form>
  );
}

/** The owner revokes a credential recorded in error, saying why; it stays on the record. */
function Revoke({ credential, onRevoked }: { credential: Credential; onRevoked(): void }) {
  return (
    <ReasonAction
      button="Revoke"
      formLabel={`Revoke ${credential.reference}`}
      label="Why it was recorded in error"
      submit="Revoke"
      busyLabel="Revoking…"
      field="revoke_reason"
      send={async (reason) => {
        await call(api.PATCH("/api/v1/credentials/{id}", { params: { path: { id: credential.id } }, body: { revoke_reason: reason } }));
      }}
      onDone={onRevoked}
    />
  );
}

/**
 * Credentials (brief section 9): each practitioner's body-art licence and
 * bloodborne-pathogens training, and the clinic's health permit, with the days
 * they are valid. What lapses, is missing or expires within 60 days is listed
 * first; nobody is booked to treat on a day one of theirs is not valid.
 */
export function CredentialsPage() {
  const { me } = useAuth();
  const owner = me?.role === "owner";
  const list = useLoad(() => call(api.GET("/api/v1/credentials")), []);
  const data = list.data;
  return (
    <section className="page credentials">
      <header className="page__header">
        <h1>Credentials</h1>
      </header>
      <p className="muted">
        Nobody is booked to put pigment in the skin on a day their licence or training, or the clinic's health permit, is not valid.
        {data ? ` Today is ${day(data.today)} on the clinic's clock.` : ""}
      </p>
      <Alert>{list.error?.formMessage}</Alert>
      {data && data.attention.length > 0 ? (
        <section className="card" aria-labelledby="attention-title">
          <h2 id="attention-title">Needs attention</h2>
          <ul className="credentials__attention">
            {data.attention.map((a) => (
              <li key={`${a.user_id ?? "clinic"}-${a.kind}`} className={`credentials__need credentials__need--${a.state}`}>
                {a.state === "missing"
                  ? `${a.holder_name}: no ${a.kind_text} recorded`
                  : a.state === "expires_soon"
                    ? `${a.holder_name}: ${a.kind_text} expires ${day(a.expires_on ?? "")}, in ${a.days_left} days`
                    : a.state === "expired"
                      ? `${a.holder_name}: ${a.kind_text} expired ${day(a.expires_on ?? "")}`
                      : `${a.holder_name}: ${a.kind_text} not valid yet`}
              </li>
            ))}
          </ul>
        </section>
      ) : data ? (
        <Alert tone="info">Every credential is valid for the next {data.notice_days} days.</Alert>
      ) : null}
      <div className="credentials__layout">
        <section className="card" aria-labelledby="all-title">
          <h2 id="all-title">On record</h2>
          {data && data.credentials.length === 0 ? <p className="muted">None recorded yet.</p> : null}
          <ul className="credentials__list">
            {(data?.credentials ?? []).map((c) => (
              <li key={c.id} className={`credentials__item credentials__item--${c.state}`}>
                <p className="credentials__head">
                  <strong>{c.holder_name}</strong> · {KIND_WORDS[c.kind]} <span className="badge">{STATE_WORDS[c.state]}</span>
                </p>
                <p className="muted">
                  No. {c.reference}
                  {c.issuer ? `, ${c.issuer}` : ""} · {day(c.valid_from)} to {day(c.expires_on)}
                  {c.state === "revoked" ? ` · revoked: ${c.revoke_reason}` : ""}
                </p>
                {owner && c.state !== "revoked" ? <Revoke credential={c} onRevoked={list.reload} /> : null}
              </li>
            ))}
          </ul>
        </section>
        {owner ? <AddForm onAdded={list.reload} /> : null}
      </div>
    </section>
  );
}
