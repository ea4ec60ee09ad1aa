import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { UnsavedChanges } from "../../components/UnsavedChanges";
import { FormActions } from "../../components/FormActions";
import { ApiError } from "../../api/client";
import { Alert } from "../../components/Alert";
import {
  scarFields,
  schemaAt,
  sections,
  valueAt,
  type Answers,
  type FieldSchema,
  type Question,
} from "./questions";
import { intakeDocument, validate, withValue } from "./intake";

/** A question's frame: a fieldset (radio and checkbox groups) or a labelled control. */
function Frame({
  id,
  q,
  error,
  group,
  children,
}: {
  id: string;
  q: Question;
  error?: string | undefined;
  group?: boolean;
  children: ReactNode;
}) {
  const help = q.help ? (
    <p className="field__help" id={`${id}-help`}>
      {q.help}
    </p>
  ) : null;
  const err = error ? (
    <p className="field__error" id={`${id}-error`} role="alert">
      {error}
    </p>
  ) : null;
  const cls = `field${error ? " field--error" : ""}`;
  if (group)
    return (
      <fieldset className={`${cls} choice`} aria-describedby={describedBy(id, q.help, error)} data-path={q.path}>
        <legend>{q.label}</legend>
        {help}
        {children}
        {err}
      </fieldset>
    );
  return (
    <div className={cls} data-path={q.path}>
      <label htmlFor={id}>{q.label}</label>
      {help}
      {children}
      {err}
    </div>
  );
}

function describedBy(id: string, help: unknown, error: unknown): string | undefined {
  const ids = [help ? `${id}-help` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

const types = (s: FieldSchema) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

/** The words of an answer: the question's own, else the value itself. */
const words = (q: Question, v: string) => q.options?.[v] ?? v;

/** One question, as the control its schema calls for. */
function QuestionField({
  q,
  s,
  value,
  error,
  onChange,
}: {
  q: Question;
  s: FieldSchema;
  value: unknown;
  error?: string | undefined;
  onChange(v: unknown): void;
}) {
  const id = useId();
  const aria = { "aria-invalid": error ? true : undefined, "aria-describedby": describedBy(id, q.help, error) } as const;
  const t = types(s);

  // A list of words: a checkbox for each.
  if (t.includes("array") && s.items?.enum) {
    const chosen = Array.isArray(value) ? (value as string[]) : [];
    const words_ = s.items.enum.filter((v): v is string => v !== null);
    return (
      <Frame id={id} q={q} error={error} group>
        <div className="choice__options choice__options--wrap">
          {words_.map((w) => (
            <label key={w} className="choice__option">
              <input
                type="checkbox"
                name={q.path}
                value={w}
                checked={chosen.includes(w)}
                onChange={(e) => {
                  const next = e.target.checked ? [...chosen, w] : chosen.filter((x) => x !== w);
                  // keep the schema's order, and no list at all when nothing is ticked
                  onChange(next.length ? words_.filter((x) => next.includes(x)) : undefined);
                }}
              />
              <span>{words(q, w)}</span>
            </label>
          ))}
        </div>
      </Frame>
    );
  }

  // Yes, no, or not asked.
  if (t.includes("boolean")) {
    const current = value === true ? "yes" : value === false ? "no" : "";
    return (
      <Frame id={id} q={q} error={error} group>
        <div className="choice__options">
          {[
            ["yes", "Yes"],
            ["no", "No"],
            ["", "Not asked"],
          ].map(([v, label]) => (
            <label key={v} className="choice__option">
              <input
                type="radio"
                name={q.path}
                value={v}
                checked={current === v}
                onChange={() => onChange(v === "yes" ? true : v === "no" ? false : undefined)}
              />
              <span>{label}</span>
            </label>
          ))}
        </div>
      </Frame>
    );
  }

  // Words to choose one of (the skin type's are numbers): radio buttons for a few, a list for more.
  const options: string[] | undefined = s.enum
    ? s.enum.filter((v): v is string => v !== null)
    : q.options && t.includes("integer")
      ? Object.keys(q.options)
      : undefined;
  if (options) {
    const current = value === undefined || value === null ? "" : String(value);
    const toValue = (v: string) => (v === "" ? undefined : t.includes("integer") ? Number(v) : v);
    const requiredField = isRequired(q.path);
    if (options.length <= 4)
      return (
        <Frame id={id} q={q} error={error} group>
          <div className="choice__options">
            {[...options, ...(requiredField ? [] : [""])].map((v) => (
              <label key={v} className="choice__option">
                <input type="radio" name={q.path} value={v} checked={current === v} onChange={() => onChange(toValue(v))} />
                <span>{v === "" ? "Not asked" : words(q, v)}</span>
              </label>
            ))}
          </div>
        </Frame>
      );
    return (
      <Frame id={id} q={q} error={error}>
        <select id={id} name={q.path} value={current} onChange={(e) => onChange(toValue(e.target.value))} {...aria}>
          <option value="">{requiredField ? "Choose…" : "Not asked"}</option>
          {options.map((v) => (
            <option key={v} value={v}>
              {words(q, v)}
            </option>
          ))}
        </select>
      </Frame>
    );
  }

  // A number, in its unit.
  if (t.includes("integer") || t.includes("number")) {
    return (
      <Frame id={id} q={q} error={error}>
        <div className="unit-input">
          <input
            id={id}
            name={q.path}
            type="number"
            inputMode={t.includes("integer") ? "numeric" : "decimal"}
            step={t.includes("integer") ? 1 : "any"}
            min={s.minimum ?? s.exclusiveMinimum}
            max={s.maximum}
            required={isRequired(q.path)}
            value={value === undefined || value === null ? "" : String(value)}
            onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
            {...aria}
          />
          {q.unit ? <span className="unit-input__unit">{q.unit}</span> : null}
        </div>
      </Frame>
    );
  }

  // Text: a date, or a line.
  return (
    <Frame id={id} q={q} error={error}>
      <input
        id={id}
        name={q.path}
        type={s.format === "date" ? "date" : "text"}
        maxLength={s.maxLength}
        autoComplete="off"
        value={typeof value === "string" ? value : ""}
        onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}
        {...aria}
      />
    </Frame>
  );
}

function isRequired(path: string): boolean {
  const dot = path.lastIndexOf(".");
  const parent = dot < 0 ? schemaAt("") : schemaAt(path.slice(0, dot));
  return (dot < 0 ? ["schema", "client"] : (parent?.required ?? [])).includes(path.slice(dot + 1));
}

/** The scars: a row each, added and removed; errors of scalp.scars[i].KEY at their fields. */
function ScarList({
  q,
  scars,
  errors,
  onChange,
}: {
  q: Question;
  scars: Array<Record<string, unknown>>;
  errors: Record<string, string>;
  onChange(v: Array<Record<string, unknown>> | undefined): void;
}) {
  const item = schemaAt("scalp.scars")?.items;
  const listError = errors["scalp.scars"];
  return (
    <fieldset className={`field scars${listError ? " field--error" : ""}`} data-path="scalp.scars">
      <legend>{q.label}</legend>
      <p className="field__help">A transplant's FUT strip or FUE dots, surgery, a burn or an injury; sizes in millimetres.</p>
      {scars.map((scar, i) => (
        <div className="scars__row" key={i}>
          {scarFields.map((f) => (
            <QuestionField
              key={f.path}
              q={{ ...f, path: `scalp.scars[${i}].${f.path}`, label: `Scar ${i + 1}: ${f.label.toLowerCase()}` }}
              s={item?.properties?.[f.path] ?? {}}
              value={scar[f.path]}
              error={errors[`scalp.scars[${i}].${f.path}`]}
              onChange={(v) => {
                const next = scars.map((x, j) => (j === i ? { ...x, [f.path]: v } : x));
                onChange(next);
              }}
            />
          ))}
          <button type="button" className="button button--quiet scars__remove" onClick={() => onChange(scars.filter((_, j) => j !== i).length ? scars.filter((_, j) => j !== i) : undefined)}>
            Remove scar {i + 1}
          </button>
        </div>
      ))}
      <button type="button" className="button" onClick={() => onChange([...scars, {}])}>
        Add a scar
      </button>
      {listError ? (
        <p className="field__error" role="alert">
          {listError}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * The consultation's intake questionnaire. Every answer may stay "not asked"
 * except sex and age; a question that does not apply (a Ludwig class for a man,
 * the transplant's density without a transplant) is not shown and not sent.
 * The form checks what the schema says before sending; the engine's reader
 * checks the rest (answers that contradict each other), and its message shows at
 * the field it names. `onSubmit` sends the intake document and throws ApiError.
 */
export function IntakeForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: Answers;
  submitLabel: string;
  onSubmit(document: Answers): Promise<void>;
  onCancel?(): void;
}) {
  const [start] = useState<Answers>(initial);  // as the form opened (the caller may pass a new object each render)
  const [answers, setAnswers] = useState<Answers>(start);
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // Answers given and not sent yet: leaving the page asks first (sending leaves freely).
  const sending = useRef(false);
  const unsent = () => answers !== start && !sending.current;

  const errors = { ...checked, ...(serverError?.fields ?? {}) };
  const errorCount = Object.keys(errors).length;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setServerError(null);
    const doc = intakeDocument(answers);
    const found = validate(doc);
    setChecked(found);
    if (Object.keys(found).length) {
      focusFirstError(found);
      return;
    }
    setBusy(true);
    sending.current = true;
    try {
      await onSubmit(doc);
    } catch (err) {
      sending.current = false;
      const apiError = err instanceof ApiError ? err : new ApiError(0, "Error", String(err));
      setServerError(apiError);
      focusFirstError(apiError.fields);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="intake" onSubmit={submit} noValidate>
      <UnsavedChanges when={unsent} what="The answers on this page are not sent yet." />
      <Alert>{serverError?.formMessage}</Alert>
      {errorCount > 0 && !serverError?.formMessage ? (
        <Alert>{errorCount === 1 ? "One answer needs a look: it is marked below." : `${errorCount} answers need a look: they are marked below.`}</Alert>
      ) : null}
      {sections.map((sec) => (
        <section className="card intake__section" key={sec.id} aria-labelledby={`intake-${sec.id}`}>
          <h2 id={`intake-${sec.id}`}>{sec.title}</h2>
          {sec.intro ? <p className="muted">{sec.intro}</p> : null}
          <div className="intake__grid">
            {sec.questions
              .filter((q) => !q.askedWhen || q.askedWhen(answers))
              .map((q) =>
                q.path === "scalp.scars" ? (
                  <ScarList
                    key={q.path}
                    q={q}
                    scars={(valueAt(answers, q.path) as Array<Record<string, unknown>> | undefined) ?? []}
                    errors={errors}
                    onChange={(v) => setAnswers(withValue(answers, q.path, v))}
                  />
                ) : (
                  <QuestionField
                    key={q.path}
                    q={q}
                    s={schemaAt(q.path) ?? {}}
                    value={valueAt(answers, q.path)}
                    error={errors[q.path]}
                    onChange={(v) => setAnswers(withValue(answers, q.path, v))}
                  />
                ),
              )}
          </div>
        </section>
      ))}
      <FormActions className="intake__actions" label={submitLabel} busyLabel="Sending…" busy={busy} onCancel={onCancel} />
    </form>
  );
}

function focusFirstError(errors: Record<string, string>) {
  const first = Object.keys(errors)[0];
  if (!first) return;
  // after React has drawn the messages
  setTimeout(() => {
    const el = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(first.replace(/\[\d+\]\..*$/, ""))}"]`);
    el?.scrollIntoView({ block: "center" });
    el?.querySelector<HTMLElement>("input, select")?.focus();
  }, 0);
}
