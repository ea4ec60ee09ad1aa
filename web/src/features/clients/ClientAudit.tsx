import { useState } from "react";
import { api, call, type Schemas } from "../../api/client";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";

type AuditEntry = Schemas["AuditEntry"];

const ACTION_WORDS: Record<string, string> = { read: "Read", create: "Created", update: "Changed", export: "Exported" };
const RESOURCE_WORDS: Record<string, string> = {
  client: "the record",
  intake: "an intake",
  consultation: "a consultation",
  document: "a document",
  photo: "a photo",
  photos: "the photos",
  "photo thumbnail": "a photo's thumbnail",
};

/** One entry in words: "Read a document: report.pdf". */
export function entryWords(e: Pick<AuditEntry, "action" | "resource" | "detail">): string {
  if (e.action === "override") return `Started a consultation against the assessment's advice${e.detail ? `, for this reason: ${e.detail}` : ""}`;
  const what = `${ACTION_WORDS[e.action] ?? e.action} ${RESOURCE_WORDS[e.resource] ?? e.resource}`;
  return e.detail ? `${what}: ${e.detail}` : what;
}

/** The entries as CSV (RFC 4180: every field quoted, quotes doubled, CRLF line ends), for the owner's records. */
export function auditCsv(entries: ReadonlyArray<AuditEntry>): string {
  const q = (v: string) => `"${v.replaceAll('"', '""')}"`;
  const rows = [["at", "user", "action", "resource", "detail", "from", "hash"]];
  for (const e of entries) rows.push([e.at, e.user_name || e.user_id, e.action, e.resource, e.detail ?? "", e.ip, e.hash]);
  return rows.map((r) => r.map(q).join(",")).join("\r\n") + "\r\n";
}

/** Who touched this client's health data (owners only): the log's entries, whether its hash chain holds, and a CSV of them. */
export function ClientAudit({ clientId }: { clientId: string }) {
  const [open, setOpen] = useState(false);
  const log = useLoad(
    () => (open ? call(api.GET("/api/v1/audit", { params: { query: { client: clientId, limit: 1000 } } })) : Promise.resolve(null)),
    [open, clientId],
  );
  const entries = log.data?.entries ?? [];
  function download() {
    const url = URL.createObjectURL(new Blob([auditCsv(entries)], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `access-log-${clientId}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  }
  return (
    <details className="card audit" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>
        <h2>Access log</h2>
        <span className="muted">who read or changed this record</span>
      </summary>
      {log.error ? <Alert>{log.error.formMessage}</Alert> : null}
      {open && !log.data && !log.error ? <p className="muted">Loading…</p> : null}
      {log.data ? (
        <>
          <p className={log.data.chain.intact ? "muted" : undefined}>
            {log.data.chain.intact ? (
              `The log's hash chain holds over all ${log.data.chain.entries} entries: no entry has been changed or removed.`
            ) : (
              <strong>The log's hash chain is broken: an entry was changed or removed. Keep this page and tell the clinic's owner.</strong>
            )}
          </p>
          <div className="table-scroll">
            <table className="table table--compact">
              <thead>
                <tr><th>When</th><th>Who</th><th>What</th><th>From</th></tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id}>
                    <td className="num">{new Date(e.at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}</td>
                    <td>{e.user_name || e.user_id}</td>
                    <td>{entryWords(e)}</td>
                    <td className="num">{e.ip}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p><button type="button" className="button" onClick={download} disabled={entries.length === 0}>Download as CSV</button></p>
        </>
      ) : null}
    </details>
  );
}
