// The plan and its quote (plan.json, quote.json of a consultation) as the
// practitioner goes through them with the client: the visits with their dates and
// chair time in the clinic's time zone, the touch-up, and the price line by line.
import { useEffect, useState } from "react";

interface Appointment {
  kind: string;
  date: string;
  start?: string;
  duration_min: number;
  session?: number;
}
export interface PlanDoc {
  clinic?: { name?: string; time_zone?: string };
  appointments?: Appointment[];
  touch_up?: { years_min: number; years_max: number; date: string; price?: string };
  notes?: string[];
}
export interface QuoteDoc {
  currency: string;
  lines: Array<{ item: string; qty: number; unit_price: string; amount: string }>;
  subtotal: string;
  tax_rate?: string;
  tax_name?: string;
  tax_included?: boolean;
  tax: string;
  total: string;
}

/** Fetches a JSON document of the consultation (null until it arrives, or when it cannot be read). */
export function useDocument<T>(url: string | undefined): T | null {
  const [doc, setDoc] = useState<T | null>(null);
  useEffect(() => {
    setDoc(null);
    if (!url) return;
    let live = true;
    fetch(url, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((j) => live && setDoc(j as T | null))
      .catch(() => live && setDoc(null));
    return () => {
      live = false;
    };
  }, [url]);
  return doc;
}

/** "7 h 15 min", "45 min". */
export function chairTime(min: number): string {
  const h = Math.floor(min / 60), m = min % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

function visitWords(a: Appointment): string {
  if (a.kind === "patch_test") return "Patch test";
  if (a.kind === "session") return `Session ${a.session ?? ""}`.trim();
  return a.kind.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

function day(iso: string): string {
  const d = new Date(`${iso}T12:00:00`);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric" });
}

/** An amount in its currency, as the quote's exact decimal string says it. */
export function money(amount: string, currency: string): string {
  const n = Number(amount);
  if (!Number.isFinite(n)) return `${currency} ${amount}`;
  const digits = amount.includes(".") ? amount.split(".")[1]!.length : 0;
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
  } catch {
    return `${currency} ${amount}`;
  }
}

export function PlanView({ plan, quote }: { plan: PlanDoc | null; quote: QuoteDoc | null }) {
  if (!plan && !quote) return null;
  const rate = quote?.tax_rate ? Number(quote.tax_rate) : 0;
  return (
    <section className="card" aria-labelledby="plan-title">
      <h2 id="plan-title">Plan and quote</h2>
      <div className="plan">
        {plan?.appointments?.length ? (
          <div>
            <h3>Visits{plan.clinic?.time_zone ? <span className="muted"> ({plan.clinic.time_zone})</span> : null}</h3>
            <table className="table table--compact">
              <thead>
                <tr>
                  <th>Visit</th>
                  <th>Date</th>
                  <th>Start</th>
                  <th className="num">Chair time</th>
                </tr>
              </thead>
              <tbody>
                {plan.appointments.map((a, i) => (
                  <tr key={i}>
                    <td>{visitWords(a)}</td>
                    <td>{day(a.date)}</td>
                    <td>{a.start ?? ""}</td>
                    <td className="num">{chairTime(a.duration_min)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {plan.touch_up ? (
              <p>
                Touch-up in about {plan.touch_up.years_min.toFixed(1)}–{plan.touch_up.years_max.toFixed(1)} years, around {day(plan.touch_up.date)}
                {plan.touch_up.price && quote ? ` (${money(plan.touch_up.price, quote.currency)})` : ""}.
              </p>
            ) : null}
            {plan.notes?.map((n, i) => (
              <p key={i} className="muted">
                {n}
              </p>
            ))}
          </div>
        ) : null}
        {quote ? (
          <div>
            <h3>Quote</h3>
            <table className="table table--compact">
              <tbody>
                {quote.lines.map((l, i) => (
                  <tr key={i}>
                    <td>
                      {l.item}
                      {l.qty !== 1 ? ` × ${l.qty}` : ""}
                    </td>
                    <td className="num">{money(l.amount, quote.currency)}</td>
                  </tr>
                ))}
                {quote.tax !== "0.00" && Number(quote.tax) !== 0 ? (
                  <tr>
                    <td>
                      {quote.tax_name ?? "Tax"} {rate ? `${Math.round(rate * 10000) / 100}%` : ""}
                      {quote.tax_included ? " (included)" : ""}
                    </td>
                    <td className="num">{money(quote.tax, quote.currency)}</td>
                  </tr>
                ) : null}
                <tr className="total">
                  <td>Total</td>
                  <td className="num">{money(quote.total, quote.currency)}</td>
                </tr>
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </section>
  );
}
