import { useState, type FormEvent } from "react";
import { ApiError } from "../api/client";
import { saving } from "../api/saving";
import { Alert } from "./Alert";
import { FormActions } from "./FormActions";
import { TextArea } from "./Field";

interface Props {
  /** the button that opens the form ("Withdraw", "Revoke") */
  button: string;
  /** the form's accessible name */
  formLabel: string;
  /** the reason's label and help */
  label: string;
  help?: string;
  /** the submit button and its busy words */
  submit: string;
  busyLabel?: string;
  /** the server's field the reason is read from, for its error */
  field: string;
  /** sends the reason; throws ApiError on refusal */
  send(reason: string): Promise<void>;
  onDone(): void;
}

/** An action that needs a reason in words: a quiet button that opens a one-field form. */
export function ReasonAction({ button, formLabel, label, help, submit, busyLabel = "Saving…", field, send, onDone }: Props) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (!open)
    return (
      <button type="button" className="button button--quiet" onClick={() => setOpen(true)}>
        {button}
      </button>
    );
  async function go(e: FormEvent) {
    e.preventDefault();
    await saving(setBusy, setError, async () => {
      await send(reason);
      setOpen(false);
      setReason("");
      onDone();
    });
  }
  return (
    <form className="form" onSubmit={go} noValidate aria-label={formLabel}>
      <Alert>{error?.formMessage}</Alert>
      <TextArea label={label} help={help} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} error={error?.fields[field]} />
      <FormActions label={submit} busyLabel={busyLabel} busy={busy} onCancel={() => setOpen(false)} primary={false} />
    </form>
  );
}
