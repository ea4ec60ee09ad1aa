import { useState, type FormEvent } from "react";
import { FormActions } from "../../components/FormActions";
import { ApiError, type Client } from "../../api/client";
import { Alert } from "../../components/Alert";
import { SelectField, TextArea, TextField } from "../../components/Field";
import { ageOn, todayIso } from "../../utils/age";

/** The editable fields of a client, as the form holds them ("" for none). */
export interface ClientDraft {
  name: string;
  email: string;
  phone: string;
  date_of_birth: string;
  sex: Client["sex"] | "";  // "": not chosen yet (a new client)
  notes: string;
}

export function draftOf(c?: Client): ClientDraft {
  return {
    name: c?.name ?? "",
    email: c?.email ?? "",
    phone: c?.phone ?? "",
    date_of_birth: c?.date_of_birth ?? "",
    sex: c?.sex ?? "",
    notes: c?.notes ?? "",
  };
}

export const SEX_OPTIONS = [
  { value: "female", label: "Female" },
  { value: "male", label: "Male" },
  { value: "other", label: "Other" },
] as const;

/**
 * The client form, for a new client and for an edit. `onSave` sends the draft
 * and throws ApiError; the server's field errors show at their fields.
 * `clinical`: the signed-in role may see and write clinical notes.
 */
export function ClientForm({
  initial,
  clinical,
  submitLabel,
  onSave,
  onCancel,
}: {
  initial: ClientDraft;
  clinical: boolean;
  submitLabel: string;
  onSave(d: ClientDraft): Promise<void>;
  onCancel?(): void;
}) {
  const [d, setD] = useState(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof ClientDraft) => (e: { target: { value: string } }) => setD({ ...d, [k]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    // Chosen, never assumed: it decides the hair-loss scale of every consultation.
    if (d.sex === "") {
      setError(new ApiError(400, "", "", { sex: "expected the client's sex: female, male or other" }));
      return;
    }
    setBusy(true);
    try {
      await onSave(d);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "Error", String(err)));
    } finally {
      setBusy(false);
    }
  }

  const age = d.date_of_birth ? ageOn(d.date_of_birth, todayIso()) : undefined;
  const f = error?.fields ?? {};
  return (
    <form className="card form" onSubmit={submit} noValidate>
      <Alert>{error?.formMessage}</Alert>
      <TextField label="Full name" name="name" required autoComplete="off" value={d.name} onChange={set("name")} error={f["name"]} />
      <div className="form__row">
        <TextField label="Email" name="email" type="email" autoComplete="off" value={d.email} onChange={set("email")} error={f["email"]} />
        <TextField label="Phone" name="phone" type="tel" autoComplete="off" value={d.phone} onChange={set("phone")} error={f["phone"]} />
      </div>
      <div className="form__row">
        <TextField
          label="Date of birth"
          name="date_of_birth"
          type="date"
          max={todayIso()}
          value={d.date_of_birth}
          onChange={set("date_of_birth")}
          help={age !== undefined ? `Age ${age}` : "Gives the client's age"}
          error={f["date_of_birth"]}
        />
        <SelectField label="Sex" name="sex" value={d.sex} onChange={set("sex")} options={d.sex === "" ? [{ value: "", label: "Choose…" }, ...SEX_OPTIONS] : SEX_OPTIONS} error={f["sex"]} />
      </div>
      {clinical ? (
        <TextArea label="Clinical notes" name="notes" rows={4} value={d.notes} onChange={set("notes")} error={f["notes"]}
          help="Seen by owners and practitioners only" />
      ) : null}
      <FormActions label={submitLabel} busyLabel="Saving…" busy={busy} onCancel={onCancel} />
    </form>
  );
}
