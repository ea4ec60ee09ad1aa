import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { ApiError, api, call, type Schemas } from "../../api/client";
import { saving } from "../../api/saving";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { FormActions } from "../../components/FormActions";
import { SelectField, TextField } from "../../components/Field";
import { seesClinicalData, useAuth } from "../auth/auth";
import { dateWords, dayWords, wallClock } from "../diary/time";

type Lot = Schemas["Lot"];
export const LOT_KIND_WORDS: Record<Lot["kind"], string> = { pigment: "Pigment", needle: "Needle cartridges", numbing: "Numbing" };

/** Records a lot as its label reads: kind, product, lot number, expiry and a detail. */
function AddLot({ onAdded }: { onAdded(): void }) {
  const [kind, setKind] = useState<Lot["kind"]>("pigment");
  const [product, setProduct] = useState("");
  const [lot, setLot] = useState("");
  const [expires, setExpires] = useState("");
  const [detail, setDetail] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    await saving(setBusy, setError, async () => {
      await call(api.POST("/api/v1/lots", { body: { kind, product, lot, expires_on: expires, detail: detail || null } }));
      setLot("");
      setExpires("");
      onAdded();
    });
  }
  const f = error?.fields ?? {};
  return (
    <form className="card form" onSubmit={submit} noValidate aria-label="Record a lot">
      <h2>Record a lot</h2>
      <Alert>{error?.formMessage}</Alert>
      <SelectField
        label="Kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as Lot["kind"])}
        options={Object.entries(LOT_KIND_WORDS).map(([value, label]) => ({ value, label }))}
        error={f["kind"]}
      />
      <TextField label="Product" value={product} onChange={(e) => setProduct(e.target.value)} error={f["product"]} />
      <div className="form__row">
        <TextField label="Lot number" value={lot} onChange={(e) => setLot(e.target.value)} error={f["lot"]} />
        <TextField label="Expires" type="date" value={expires} onChange={(e) => setExpires(e.target.value)} error={f["expires_on"]} />
      </div>
      <TextField
        label="Detail"
        help={kind === "needle" ? "The configuration, e.g. 1RL 0.30 mm" : kind === "pigment" ? "The shade or dilution" : "Strength"}
        value={detail}
        onChange={(e) => setDetail(e.target.value)}
        error={f["detail"]}
      />
      <FormActions label="Record" busyLabel="Saving…" busy={busy} />
    </form>
  );
}

/** Who received a lot: every charted session that used it, with the client's contact details. */
function Recipients({ lot }: { lot: Lot }) {
  const found = useLoad(() => call(api.GET("/api/v1/lots/{id}/recipients", { params: { path: { id: lot.id } } })), [lot.id]);
  const data = found.data;
  return (
    <section className="card" aria-labelledby="recipients-title">
      <h2 id="recipients-title">
        Who received {lot.product}, lot {lot.lot}
      </h2>
      <Alert>{found.error?.formMessage}</Alert>
      {data ? (
        <p className="muted">
          {data.clients === 0 ? "No charted session used this lot." : `${data.clients} client${data.clients === 1 ? "" : "s"}, ${data.sessions} session${data.sessions === 1 ? "" : "s"}.`}
        </p>
      ) : null}
      {data && data.recipients.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Client</th>
                <th>Email</th>
                <th>Phone</th>
                <th>Session</th>
                <th className="hide-narrow">Practitioner</th>
              </tr>
            </thead>
            <tbody>
              {data.recipients.map((r) => (
                <tr key={r.chart_id}>
                  <td>
                    <Link to={`/clients/${encodeURIComponent(r.client_id)}`}>{r.client_name}</Link>
                  </td>
                  <td>{r.email ? <a href={`mailto:${r.email}`}>{r.email}</a> : <span className="muted">none</span>}</td>
                  <td>{r.phone ? <a href={`tel:${r.phone}`}>{r.phone}</a> : <span className="muted">none</span>}</td>
                  <td>
                    {r.session_number ? `Session ${r.session_number}` : "Touch-up"}, {dayWords(wallClock(r.started_at).date)} {r.started_at.slice(0, 4)}
                  </td>
                  <td className="hide-narrow">{r.practitioner_name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/**
 * Lots (brief section 11 "Records": the ink's lot and the instruments' lots;
 * EU REACH: every tattoo ink carries a batch number): search by product or lot
 * number, record one, and for any lot the list of who received it, for a recall.
 */
export function LotsPage() {
  const { me } = useAuth();
  const [q, setQ] = useState("");
  const [chosen, setChosen] = useState<Lot | null>(null);
  const lots = useLoad(() => call(api.GET("/api/v1/lots", { params: { query: { q: q.trim(), limit: 200 } } })).then((r) => r.lots), [q]);
  const clinic = useLoad(() => call(api.GET("/api/v1/clinic")), []);
  const today = (clinic.data as { today?: string } | null)?.today ?? "";
  return (
    <section className="page lots">
      <header className="page__header">
        <h1>Lots</h1>
      </header>
      <p className="muted">Pigment, needle cartridges and numbing products by batch. A session cannot be charted with a lot past its expiry.</p>
      <div className="lots__layout">
        <div className="lots__main">
          <section className="card">
            <TextField label="Find a lot" type="search" help="Part of the product or lot number" value={q} onChange={(e) => setQ(e.target.value)} />
            <Alert>{lots.error?.formMessage}</Alert>
            {lots.data && lots.data.length === 0 ? <p className="muted">No lot found.</p> : null}
            <ul className="lots__list">
              {(lots.data ?? []).map((l) => (
                <li key={l.id} className={`lots__item${today && l.expires_on < today ? " lots__item--expired" : ""}`}>
                  <button type="button" className="lots__pick" aria-pressed={chosen?.id === l.id} onClick={() => setChosen(l)}>
                    <strong>
                      {l.product}, lot {l.lot}
                    </strong>
                    <span className="muted">
                      {LOT_KIND_WORDS[l.kind]}
                      {l.detail ? ` · ${l.detail}` : ""} · {today && l.expires_on < today ? "expired" : "expires"} {dateWords(l.expires_on)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
          {chosen ? <Recipients lot={chosen} /> : null}
        </div>
        {seesClinicalData(me) ? <AddLot onAdded={lots.reload} /> : null}
      </div>
    </section>
  );
}
