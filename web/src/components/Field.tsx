import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

interface FieldFrame {
  label: string;
  /** help under the label, e.g. the format expected */
  help?: ReactNode;
  /** the server's message for this field (problem+json errors[]), shown at the field */
  error?: string | undefined;
}

function Frame({ id, label, help, error, children }: FieldFrame & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {help ? (
        <p className="field__help" id={`${id}-help`}>
          {help}
        </p>
      ) : null}
      {children}
      {error ? (
        <p className="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, help: unknown, error: unknown): string | undefined {
  const ids = [help ? `${id}-help` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** A labelled text input with its help and its error, wired for screen readers. */
export function TextField({ label, help, error, ...input }: FieldFrame & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <Frame id={id} label={label} help={help} error={error}>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, help, error)} {...input} />
    </Frame>
  );
}

export function TextArea({ label, help, error, ...input }: FieldFrame & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <Frame id={id} label={label} help={help} error={error}>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, help, error)} {...input} />
    </Frame>
  );
}

export function SelectField({
  label,
  help,
  error,
  options,
  ...select
}: FieldFrame & SelectHTMLAttributes<HTMLSelectElement> & { options: ReadonlyArray<{ value: string; label: string }> }) {
  const id = useId();
  return (
    <Frame id={id} label={label} help={help} error={error}>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, help, error)} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}
