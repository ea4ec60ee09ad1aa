import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { api, ApiError, call, type Schemas } from "../../api/client";
import { Alert } from "../../components/Alert";
import { SelectField } from "../../components/Field";
import { FormActions } from "../../components/FormActions";
import { sections } from "../intake/questions";

type Consultation = Schemas["Consultation"];
export type DesignChoices = Schemas["DesignChoices"];
type Key = keyof DesignChoices;

/** What the design document says of the choices (design.json, stipple.design/1). */
export interface DesignDoc {
  look?: string;
  hair_loss?: { norwood?: string | null; ludwig?: string | null };
  hairline?: { style?: string };
  pigment?: { tone?: string; hair_color?: string };
}

function intakeOptions(path: string): Record<string, string> {
  for (const s of sections) for (const q of s.questions) if (q.path === path && q.options) return q.options;
  return {};
}

/** Each choice: its label and the words of its answers (the intake's own words where it asks the same). */
export const CHOICES: ReadonlyArray<{ key: Key; label: string; options: Record<string, string> }> = [
  { key: "norwood", label: "Norwood class", options: intakeOptions("hair_loss.norwood") },
  { key: "ludwig", label: "Ludwig class", options: intakeOptions("hair_loss.ludwig") },
  {
    key: "look",
    label: "Look",
    options: { shaved: "Shaved (buzz cut)", density: "Density under longer hair", scar_camouflage: "Scar camouflage", patch_camouflage: "Patch camouflage" },
  },
  { key: "hairline", label: "Hairline", options: { natural: "Natural", soft: "Soft", defined: "Defined", mature: "Mature (receded)" } },
  { key: "pigment_tone", label: "Pigment tone", options: { neutral: "Neutral", warm: "Warm", cool: "Cool" } },
  { key: "hair_color", label: "Hair colour the shade matches", options: intakeOptions("client.hair_color") },
];

/** The choices a design was made with: the scale it uses (Norwood or Ludwig), look, hairline, tone and hair colour. */
export function choicesOfDesign(d: DesignDoc): DesignChoices {
  const out: DesignChoices = {};
  if (d.hair_loss?.norwood) out.norwood = d.hair_loss.norwood as DesignChoices["norwood"];
  else if (d.hair_loss?.ludwig) out.ludwig = d.hair_loss.ludwig as DesignChoices["ludwig"];
  if (d.look) out.look = d.look as DesignChoices["look"];
  if (d.hairline?.style) out.hairline = d.hairline.style as DesignChoices["hairline"];
  if (d.pigment?.tone) out.pigment_tone = d.pigment.tone as DesignChoices["pigment_tone"];
  if (d.pigment?.hair_color) out.hair_color = d.pigment.hair_color as DesignChoices["hair_color"];
  return out;
}

/** The body's `design` for a new run: the earlier run's choices, with what was changed here over them. */
export function nextChoices(shown: DesignChoices, edited: DesignChoices, earlier: DesignChoices | undefined): DesignChoices {
  const out: DesignChoices = { ...(earlier ?? {}) };
  for (const { key } of CHOICES) if (edited[key] && edited[key] !== shown[key]) (out as Record<string, unknown>)[key] = edited[key];
  return out;
}

/** "hairline soft, pigment tone cool": the practitioner's choices in words. */
export function choiceWords(c: DesignChoices | undefined): string {
  if (!c) return "";
  return CHOICES.filter(({ key }) => c[key])
    .map(({ key, label, options }) => `${label.toLowerCase()}: ${options[c[key] as string] ?? c[key]}`)
    .join(", ");
}

/**
 * The design's choices for a finished consultation, to run it again differently:
 * a new consultation of the same intake whose design, dots, pictures and plan follow
 * them; this one and its documents stay as they are.
 */
export function ChangeDesign({ c, design }: { c: Consultation; design: DesignDoc }) {
  const navigate = useNavigate();
  const shown = choicesOfDesign(design);
  const [edited, setEdited] = useState<DesignChoices>(shown);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const changed = CHOICES.some(({ key }) => edited[key] !== shown[key]);
  // The scale the design uses: a Norwood class or a Ludwig grade, not both.
  const keys = CHOICES.filter(({ key }) => (key === "norwood" ? !shown.ludwig : key === "ludwig" ? !!shown.ludwig : true));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await call(
        api.POST("/api/v1/clients/{id}/consultations", {
          params: { path: { id: c.client_id } },
          body: {
            intake_id: c.intake_id ?? "",
            start_date: c.start_date ?? null,
            design: nextChoices(shown, edited, c.design_choices),
            ...(c.override?.reason ? { override_reason: c.override.reason } : {}),
          },
        }),
      );
      navigate(`/consultations/${encodeURIComponent(next.id)}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "Error", String(err)));
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="card change-design">
      <summary>
        <h2>Change the design</h2>
      </summary>
      <form onSubmit={submit} noValidate>
        <p className="muted">
          Choose differently and run again: the design, the dots, the pictures and the plan follow, as a new consultation of the same intake.
          This one stays as it is.
        </p>
        <Alert>{error?.formMessage}</Alert>
        <div className="change-design__grid">
          {keys.map(({ key, label, options }) => (
            <SelectField
              key={key}
              label={label}
              name={`design.${key}`}
              value={(edited[key] as string | undefined) ?? ""}
              error={error?.fields[`design.${key}`]}
              options={[...(edited[key] ? [] : [{ value: "", label: "As the intake says" }]), ...Object.entries(options).map(([value, l]) => ({ value, label: l }))]}
              onChange={(ev) => setEdited({ ...edited, [key]: ev.target.value || undefined })}
            />
          ))}
        </div>
        <FormActions label="Design again with these choices" busyLabel="Starting…" busy={busy} disabled={!changed} primary={false} />
      </form>
    </details>
  );
}
