/** A form's buttons: Cancel (when it can be left) and the submit button, which says what it is doing while busy. */
export function FormActions({
  label,
  busyLabel,
  busy,
  onCancel,
  primary = true,
  disabled = false,
  className = "",
}: {
  label: string;
  busyLabel: string;
  busy: boolean;
  onCancel?: (() => void) | undefined;
  primary?: boolean;
  /** not ready to submit (nothing changed yet), without saying busy */
  disabled?: boolean;
  className?: string;
}) {
  return (
    <div className={`form__actions ${className}`.trim()}>
      {onCancel ? (
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
      <button type="submit" className={primary ? "button button--primary" : "button"} disabled={busy || disabled}>
        {busy ? busyLabel : label}
      </button>
    </div>
  );
}
