import { useRef, useState, type FormEvent } from "react";
import { FormActions } from "../../components/FormActions";
import { api, ApiError, call, toApiError, type Schemas } from "../../api/client";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";

type Photo = Schemas["Photo"];

export const KIND_WORDS: Record<Photo["kind"], string> = {
  consultation: "Consultation",
  before: "Before",
  after: "After a session",
  session: "During a session",
  touch_up: "Touch-up",
};
export const VIEW_WORDS: Record<Photo["view"], string> = { top: "Top", front: "Front", left: "Left", right: "Right", back: "Back" };

/** The largest upload the server takes (studio/photos.h kMaxPhotoUploadBytes). */
export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

/** What a photo shows, in words: "After session 2, front". */
export function photoTitle(p: Pick<Photo, "kind" | "view" | "session">): string {
  const kind = p.session && (p.kind === "after" || p.kind === "session") ? `${p.kind === "after" ? "After" : "During"} session ${p.session}` : KIND_WORDS[p.kind];
  return `${kind}, ${VIEW_WORDS[p.view].toLowerCase()}`;
}

/**
 * Sends a photo's bytes (POST /api/v1/clients/{id}/photos). The body is the
 * file itself, so this is a plain fetch with the CSRF header; the answer is
 * typed by the OpenAPI document.
 */
export async function uploadPhoto(
  clientId: string,
  file: Blob,
  q: { kind: Photo["kind"]; view: Photo["view"]; session?: number; taken_on?: string },
): Promise<Photo> {
  const params = new URLSearchParams({ kind: q.kind, view: q.view });
  if (q.session) params.set("session", String(q.session));
  if (q.taken_on) params.set("taken_on", q.taken_on);
  let res: Response;
  try {
    res = await fetch(`/api/v1/clients/${encodeURIComponent(clientId)}/photos?${params}`, {
      method: "POST",
      credentials: "same-origin",
      // The server reads the kind from the bytes: a file the browser does not call an image goes as plain bytes.
      headers: { "X-Requested-With": "stipple", "Content-Type": file.type.startsWith("image/") ? file.type : "application/octet-stream" },
      body: file,
    });
  } catch {
    throw toApiError(undefined, undefined);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    if (res.status === 413) throw new ApiError(413, "Too large", "", { image: `expected a photo of at most ${MAX_UPLOAD_BYTES >> 20} MB` });
    throw toApiError(body, res);
  }
  return body as Photo;
}

function UploadForm({ clientId, onUploaded }: { clientId: string; onUploaded(p: Photo): void }) {
  const [kind, setKind] = useState<Photo["kind"]>("consultation");
  const [view, setView] = useState<Photo["view"] | "">("");
  const [session, setSession] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const withSession = kind === "after" || kind === "session";

  async function submit(e: FormEvent) {
    e.preventDefault();
    const file = fileInput.current?.files?.[0];
    setError(null);
    if (!view) return setError(new ApiError(400, "", "", { view: "expected the side the photo shows" }));
    if (!file) return setError(new ApiError(400, "", "", { image: "expected a photo: choose a file or take one" }));
    if (file.size > MAX_UPLOAD_BYTES) return setError(new ApiError(413, "", "", { image: `expected a photo of at most ${MAX_UPLOAD_BYTES >> 20} MB, found ${(file.size / 1048576).toFixed(1)} MB` }));
    setBusy(true);
    try {
      const p = await uploadPhoto(clientId, file, { kind, view: view as Photo["view"], session: withSession && session ? Number(session) : undefined });
      if (fileInput.current) fileInput.current.value = "";
      onUploaded(p);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "Error", String(err)));
    } finally {
      setBusy(false);
    }
  }
  const f = error?.fields ?? {};
  return (
    <form className="photo-upload" onSubmit={submit} noValidate>
      <Alert>{error?.formMessage || f["client_id"]}</Alert>
      <div className="photo-upload__row">
        <div className={`field${f["kind"] ? " field--error" : ""}`}>
          <label htmlFor="photo-kind">When</label>
          <select id="photo-kind" value={kind} onChange={(e) => setKind(e.target.value as Photo["kind"])}>
            {Object.entries(KIND_WORDS).map(([v, w]) => (
              <option key={v} value={v}>
                {w}
              </option>
            ))}
          </select>
          {f["kind"] ? <p className="field__error" role="alert">{f["kind"]}</p> : null}
        </div>
        {withSession ? (
          <div className={`field${f["session"] ? " field--error" : ""}`}>
            <label htmlFor="photo-session">Session</label>
            <input id="photo-session" type="number" min={1} max={50} inputMode="numeric" value={session} onChange={(e) => setSession(e.target.value)} />
            {f["session"] ? <p className="field__error" role="alert">{f["session"]}</p> : null}
          </div>
        ) : null}
        <div className={`field${f["view"] ? " field--error" : ""}`}>
          <label htmlFor="photo-view">View</label>
          <select id="photo-view" value={view} onChange={(e) => setView(e.target.value as Photo["view"])}>
            <option value="">Choose…</option>
            {Object.entries(VIEW_WORDS).map(([v, w]) => (
              <option key={v} value={v}>
                {w}
              </option>
            ))}
          </select>
          {f["view"] ? <p className="field__error" role="alert">{f["view"]}</p> : null}
        </div>
      </div>
      <div className={`field${f["image"] ? " field--error" : ""}`}>
        <label htmlFor="photo-file">Photo</label>
        <p className="field__help" id="photo-file-help">
          JPEG, PNG, WebP or HEIC, up to {MAX_UPLOAD_BYTES >> 20} MB. Turned upright; its metadata (camera, place) is not kept.
        </p>
        <input
          id="photo-file"
          ref={fileInput}
          type="file"
          accept="image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"
          aria-describedby="photo-file-help"
          aria-invalid={f["image"] ? true : undefined}
        />
        {f["image"] ? (
          <p className="field__error" role="alert">
            {f["image"]}
          </p>
        ) : null}
      </div>
      <FormActions label="Upload photo" busyLabel="Uploading…" busy={busy} />
    </form>
  );
}

function dayOf(p: Photo): string {
  return p.taken_on ?? p.created_at.slice(0, 10);
}

/** A client's photos: upload, a timeline by day, and two side by side. */
export function ClientPhotos({ clientId, onUploaded }: { clientId: string; onUploaded?(): void }) {
  const loaded = useLoad(() => call(api.GET("/api/v1/clients/{id}/photos", { params: { path: { id: clientId } } })).then((r) => r.photos), [clientId]);
  const photos = loaded.data ?? [];
  const [chosen, setChosen] = useState<string[]>([]);
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c.slice(-1), id]));
  const days = [...new Set(photos.map(dayOf))];
  const compared = chosen.map((id) => photos.find((p) => p.id === id)).filter((p): p is Photo => p !== undefined);
  return (
    <section className="card photos" aria-labelledby="photos-title">
      <h2 id="photos-title">Photos</h2>
      <UploadForm
        clientId={clientId}
        onUploaded={(p) => {
          loaded.setData([p, ...photos]);
          onUploaded?.();
        }}
      />
      <Alert>{loaded.error?.formMessage}</Alert>
      {photos.length === 0 && loaded.data ? <p className="muted">No photos yet.</p> : null}
      {compared.length === 2 ? (
        <div className="compare" aria-label="Two photos side by side">
          {compared.map((p) => (
            <figure key={p.id}>
              <img src={p.url} alt={photoTitle(p)} />
              <figcaption>
                {photoTitle(p)} · {dayOf(p)}
              </figcaption>
            </figure>
          ))}
        </div>
      ) : photos.length > 1 ? (
        <p className="muted">Tick two photos to see them side by side.</p>
      ) : null}
      {days.map((day) => (
        <div key={day} className="photos__day">
          <h3>
            <time dateTime={day}>{new Date(`${day}T12:00:00`).toLocaleDateString(undefined, { dateStyle: "medium" })}</time>
          </h3>
          <ul className="photos__grid">
            {photos
              .filter((p) => dayOf(p) === day)
              .map((p) => (
                <li key={p.id} className={chosen.includes(p.id) ? "photos__item photos__item--chosen" : "photos__item"}>
                  <a href={p.url} target="_blank" rel="noreferrer">
                    <img src={p.thumbnail_url} alt={photoTitle(p)} loading="lazy" width={240} height={Math.round((240 * p.height) / p.width)} />
                  </a>
                  <label className="photos__pick">
                    <input type="checkbox" checked={chosen.includes(p.id)} onChange={() => toggle(p.id)} />
                    <span>{photoTitle(p)}</span>
                  </label>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
