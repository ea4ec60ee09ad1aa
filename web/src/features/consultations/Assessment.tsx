// The engine's assessment (stipple.assessment/1) as the practitioner reads it
// with the client: the plain words first, the rule ids beside them for the
// practitioner.

export interface RuleText {
  rule: string;
  text: string;
}

export interface AssessmentDoc {
  candidacy: string;
  candidacy_text: string;
  referral?: { needed: boolean; reasons: Array<RuleText & { kind?: string }> };
  contraindications?: Array<RuleText & { severity: string }>;
  recommendations?: Array<{ rank: number; option: string; title: string; rationale: RuleText[] }>;
  not_recommended?: Array<{ option: string; title: string; rationale: RuleText[] }>;
  precare?: RuleText[];
  advice?: RuleText[];
  rules_fired?: string[];
}

/** The candidacies whose plan and price the assessment allows (docs/assess.md). */
export const PLANNABLE = new Set(["candidate", "candidate_with_conditions"]);

const CANDIDACY_WORDS: Record<string, string> = {
  candidate: "Candidate",
  candidate_with_conditions: "Candidate, with conditions",
  defer: "Not yet: wait first",
  refer: "Refer to a doctor first",
  not_recommended: "Not recommended",
};

export function candidacyWords(c: string): string {
  return CANDIDACY_WORDS[c] ?? c;
}

function Rule({ id }: { id: string }) {
  return <code className="rule">{id}</code>;
}

function Texts({ title, items }: { title: string; items: RuleText[] | undefined }) {
  if (!items?.length) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul className="assessment__list">
        {items.map((t, i) => (
          <li key={i}>
            {t.text} <Rule id={t.rule} />
          </li>
        ))}
      </ul>
    </>
  );
}

function Options({ title, items, ordered }: { title: string; items: Array<{ option: string; title: string; rationale: RuleText[] }> | undefined; ordered?: boolean }) {
  if (!items?.length) return null;
  const List = ordered ? "ol" : "ul";
  return (
    <>
      <h3>{title}</h3>
      <List className="assessment__list">
        {items.map((r) => (
          <li key={r.option}>
            <strong>{r.title}</strong>
            {r.rationale.map((t, i) => (
              <span key={i} className="assessment__why">
                {t.text} <Rule id={t.rule} />
              </span>
            ))}
          </li>
        ))}
      </List>
    </>
  );
}

export function AssessmentView({ a }: { a: AssessmentDoc }) {
  const tone = PLANNABLE.has(a.candidacy) ? "good" : a.candidacy === "defer" ? "wait" : "stop";
  return (
    <div className="assessment">
      <p className={`candidacy candidacy--${tone}`}>
        <strong>{candidacyWords(a.candidacy)}</strong>
        <span>{a.candidacy_text}</span>
      </p>
      {a.referral?.needed ? <Texts title="Refer first" items={a.referral.reasons} /> : null}
      {a.contraindications?.length ? (
        <>
          <h3>Points to take care of</h3>
          <ul className="assessment__list">
            {a.contraindications.map((c, i) => (
              <li key={i}>
                {c.text} <Rule id={c.rule} /> <span className="muted">({c.severity.replace(/_/g, " ")})</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <Options title="Options, best first" ordered items={a.recommendations} />
      <Options title="Not advised" items={a.not_recommended} />
      <Texts title="Before the first session" items={a.precare} />
      <Texts title="Advice" items={a.advice} />
    </div>
  );
}
