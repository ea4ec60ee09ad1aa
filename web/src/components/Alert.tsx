import type { ReactNode } from "react";

/** A message for a whole form or page; `role="alert"` so it is read out when it appears. */
export function Alert({ tone = "error", children }: { tone?: "error" | "info"; children: ReactNode }) {
  if (!children) return null;
  return (
    <div className={`alert alert--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
