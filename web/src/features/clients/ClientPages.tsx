import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, ApiError, call, type Client, type ClientCreate, type ClientUpdate } from "../../api/client";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { ageOn, todayIso } from "../../utils/age";
import { seesClinicalData, useAuth } from "../auth/auth";
import { ClientConsultations } from "../consultations/ClientConsultations";
import { ClientPhotos } from "../photos/Photos";
import { ClientCharts } from "../charts/Charts";
import { ClientConsents } from "../consents/Consents";
import { ClientAppointments } from "../diary/ClientAppointments";
import { PatchTests } from "../patchtests/PatchTests";
import { ClientForm, draftOf, SEX_OPTIONS, type ClientDraft } from "./ClientForm";
import { ClientAudit } from "./ClientAudit";
import { ClientTimeline } from "./ClientTimeline";

/** The body of a create: empty optional fields left out. */
export function createBody(d: ClientDraft, clinical: boolean): ClientCreate {
  const body: ClientCreate = { name: d.name.trim(), sex: d.sex as Client["sex"] };  // the form checks it is chosen
  if (d.email.trim()) body.email = d.email.trim();
  if (d.phone.trim()) body.phone = d.phone.trim();
  if (d.date_of_birth) body.date_of_birth = d.date_of_birth;
  if (clinical && d.notes.trim()) body.notes = d.notes;
  return body;
}

/** The body of an edit: only what changed ("" clears a field), with the version it was read at. */
export function updateBody(before: Client, d: ClientDraft, clinical: boolean): ClientUpdate {
  const body: ClientUpdate = { version: before.version };
  const was = draftOf(before);
  if (d.name.trim() !== was.name) body.name = d.name.trim();
  if (d.email.trim() !== was.email) body.email = d.email.trim();
  if (d.phone.trim() !== was.phone) body.phone = d.phone.trim();
  if (d.date_of_birth !== was.date_of_birth) body.date_of_birth = d.date_of_birth;
  if (d.sex !== was.sex && d.sex !== "") body.sex = d.sex;
  if (clinical && d.notes !== was.notes) body.notes = d.notes;
  return body;
}

export function NewClient() {
  const { me } = useAuth();
  const navigate = useNavigate();
  const clinical = seesClinicalData(me);
  return (
    <section className="page page--narrow">
      <header className="page__header">
        <h1>New client</h1>
      </header>
      <ClientForm
        initial={draftOf()}
        clinical={clinical}
        submitLabel="Create client"
        onCancel={() => navigate("/clients")}
        onSave={async (d) => {
          const c = await call(api.POST("/api/v1/clients", { body: createBody(d, clinical) }));
          navigate(`/clients/${encodeURIComponent(c.id)}`, { replace: true });
        }}
      />
    </section>
  );
}


/** One client: contact details, the record's history, and the edit form. */
export function ClientPage() {
  const { id = "" } = useParams();
  const { me } = useAuth();
  const clinical = seesClinicalData(me);
  const loaded = useLoad(() => call(api.GET("/api/v1/clients/{id}", { params: { path: { id } } })), [id]);
  const { error, setData: setClient } = loaded;
  const client = loaded.data?.id === id ? loaded.data : null;
  const [editing, setEditing] = useState(false);
  const [photosChanged, setPhotosChanged] = useState(0);  // an upload: the timeline reads the photos again

  if (error && !client)
    return (
      <section className="page">
        <Alert>{error.status === 404 ? "There is no such client." : error.formMessage}</Alert>
        <Link to="/clients">Back to clients</Link>
      </section>
    );
  if (!client) return <p className="page muted">Loading…</p>;

  const age = client.date_of_birth ? ageOn(client.date_of_birth, todayIso()) : undefined;
  return (
    <section className="page">
      <nav className="crumbs">
        <Link to="/clients">Clients</Link>
      </nav>
      <header className="page__header">
        <h1>{client.name}</h1>
        {!editing ? (
          <button className="button" onClick={() => setEditing(true)}>
            Edit
          </button>
        ) : null}
      </header>
      {editing ? (
        <ClientForm
          initial={draftOf(client)}
          clinical={clinical}
          submitLabel="Save"
          onCancel={() => setEditing(false)}
          onSave={async (d) => {
            try {
              setClient(
                await call(api.PATCH("/api/v1/clients/{id}", { params: { path: { id } }, body: updateBody(client, d, clinical) })),
              );
              setEditing(false);
            } catch (e) {
              if (e instanceof ApiError && e.status === 409)
                throw new ApiError(409, e.title, "Someone else changed this client since you opened it. Reload the page to see their change, then edit again.");
              throw e;
            }
          }}
        />
      ) : (
        <div className="grid">
          <div className="stack">
          <dl className="card facts">
            <dt>Email</dt>
            <dd>{client.email ? <a href={`mailto:${client.email}`}>{client.email}</a> : <span className="muted">none</span>}</dd>
            <dt>Phone</dt>
            <dd>{client.phone ? <a href={`tel:${client.phone}`}>{client.phone}</a> : <span className="muted">none</span>}</dd>
            <dt>Date of birth</dt>
            <dd>{client.date_of_birth ? `${client.date_of_birth}${age !== undefined ? ` (age ${age})` : ""}` : <span className="muted">not given</span>}</dd>
            <dt>Sex</dt>
            <dd>{SEX_OPTIONS.find((o) => o.value === client.sex)?.label ?? client.sex}</dd>
            {clinical ? (
              <>
                <dt>Clinical notes</dt>
                <dd className="prewrap">{client.notes ? client.notes : <span className="muted">none</span>}</dd>
              </>
            ) : null}
          </dl>
          <ClientConsultations clientId={client.id} clinical={clinical} />
          <ClientAppointments clientId={client.id} />
          <ClientConsents clientId={client.id} />
          {clinical ? <PatchTests clientId={client.id} /> : null}
          {clinical ? <ClientCharts clientId={client.id} /> : null}
          {clinical ? <ClientPhotos clientId={client.id} onUploaded={() => setPhotosChanged((n) => n + 1)} /> : null}
          {me?.role === "owner" ? <ClientAudit clientId={client.id} /> : null}
          </div>
          <ClientTimeline client={client} clinical={clinical} photosChanged={photosChanged} />
        </div>
      )}
    </section>
  );
}
