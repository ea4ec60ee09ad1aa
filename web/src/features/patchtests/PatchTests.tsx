import { useState, type FormEvent } from "react";
import { ApiError, api, call, type Schemas } from "../../api/client";
import { saving } from "../../api/saving";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { FormActions } from "../../components/FormActions";
import { SelectField, TextArea, TextField } from "../../components/Field";

type PatchTest = Schemas["PatchTest"];

export const RESULT_WORDS: Record<PatchTest["result"], string> = { pending: "Waiting to be read", passed: "Passed", failed: "Failed" };

/** "15 Jan 2027, 10:30" in the browser's own clock (a record's time, not the diary's). */
function when(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }).format(
    new Date(iso),
  );
}

/** Reads one pending test: passed or failed, and what was seen. */
function ReadForm({ test, onRead }: { test: PatchTest; onRead(): void }) {
  const [result, setResult] = useState("");
  const [notes, setNotes] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (result !== "passed" && result !== "failed") {
      setError(new ApiError(400, "", "", { result: "expected passed or failed" }));
      return;
    }
    await saving(setBusy, setError, async () => {
      await call(api.PATCH("/api/v1/patch-tests/{id}", { params: { path: { id: test.id } }, body: { result, notes: notes || null } }));
      onRead();
    });
  }
  const f = error?.fields ?? {};
  return (
    <form className="patch-tests__read" onSubmit={submit} noValidate aria-label="Read the patch test">
      <Alert>{error?.formMessage}</Alert>
      <SelectField
        label="Result"
        value={result}
        onChange={(e) => setResult(e.target.value)}
        options={[
          { value: "", label: "Choose…" },
          { value: "passed", label: "Passed: no reaction" },
          { value: "failed", label: "Failed: a reaction" },
        ]}
        error={f["result"] ?? f["read_at"]}
        help={`Read from ${when(test.read_from)} to ${when(test.read_until)}`}
      />
      <TextArea label="What was seen" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} error={f["notes"]} />
      <FormActions label="Record the reading" busyLabel="Saving…" busy={busy} primary={false} />
    </form>
  );
}

/**
 * A client's patch tests (owners and practitioners): each placed test with
 * its pigment and lot, read once in its 24-48 hour window; a failed one blocks
 * sessions in the diary. Recording a new one places it now.
 */
export function PatchTests({ clientId }: { clientId: string }) {
  const tests = useLoad(
    () => call(api.GET("/api/v1/clients/{id}/patch-tests", { params: { path: { id: clientId } } })).then((r) => r.patch_tests),
    [clientId],
  );
  const [open, setOpen] = useState(false);
  const [pigment, setPigment] = useState("");
  const [lot, setLot] = useState("");
  const [site, setSite] = useState("behind the ear");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function place(e: FormEvent) {
    e.preventDefault();
    await saving(setBusy, setError, async () => {
      await call(api.POST("/api/v1/clients/{id}/patch-tests", { params: { path: { id: clientId } }, body: { pigment, lot, site: site || null } }));
      setOpen(false);
      setPigment("");
      setLot("");
      tests.reload();
    });
  }
  const f = error?.fields ?? {};
  return (
    <section className="card patch-tests" aria-labelledby="patch-tests-title">
      <div className="card__header">
        <h2 id="patch-tests-title">Patch tests</h2>
        {!open ? (
          <button type="button" className="button" onClick={() => setOpen(true)}>
            Record a patch test
          </button>
        ) : null}
      </div>
      <Alert>{tests.error?.formMessage}</Alert>
      {open ? (
        <form className="form patch-tests__new" onSubmit={place} noValidate aria-label="Record a patch test">
          <Alert>{error?.formMessage}</Alert>
          <TextField label="Pigment" help="Brand and shade as on the bottle" value={pigment} onChange={(e) => setPigment(e.target.value)} error={f["pigment"]} />
          <div className="form__row">
            <TextField label="Lot" help="The batch number on the bottle" value={lot} onChange={(e) => setLot(e.target.value)} error={f["lot"]} />
            <TextField label="Where" value={site} onChange={(e) => setSite(e.target.value)} error={f["site"]} />
          </div>
          <FormActions label="Record, placed now" busyLabel="Saving…" busy={busy} onCancel={() => setOpen(false)} />
        </form>
      ) : null}
      {tests.data && tests.data.length === 0 ? <p className="muted">No patch test yet. A session needs a passed one, read before it.</p> : null}
      <ul className="patch-tests__list">
        {(tests.data ?? []).map((t) => (
          <li key={t.id} className={`patch-tests__item patch-tests__item--${t.result}`}>
            <p className="patch-tests__head">
              <strong>{RESULT_WORDS[t.result]}</strong> · placed {when(t.placed_at)}
              {t.site ? `, ${t.site}` : ""}
            </p>
            <p className="muted">
              {t.pigment}, lot {t.lot}
              {t.read_at ? ` · read ${when(t.read_at)}` : ""}
              {t.notes ? ` · ${t.notes}` : ""}
            </p>
            {t.result === "pending" ? <ReadForm test={t} onRead={tests.reload} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
