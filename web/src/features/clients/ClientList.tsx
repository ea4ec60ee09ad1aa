import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { api, call } from "../../api/client";
import { useLoad } from "../../api/useLoad";
import { Alert } from "../../components/Alert";
import { ageOn, todayIso } from "../../utils/age";

/** Time between the last key and the search, so typing a name sends one request, not one a letter. */
export const SEARCH_DEBOUNCE_MS = 200;

/** Clients, searched as you type by name, email or phone; the query is kept in the URL (?q=). */
export function ClientList() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const [text, setText] = useState(q);

  useEffect(() => {
    const t = setTimeout(() => {
      if (text !== q) setParams(text ? { q: text } : {}, { replace: true });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, q, setParams]);

  const { data: clients, error } = useLoad(
    () => call(api.GET("/api/v1/clients", { params: { query: { q: q || undefined, limit: 50 } } })).then((r) => r.clients),
    [q],
  );

  const today = todayIso();
  return (
    <section className="page">
      <header className="page__header">
        <h1>Clients</h1>
        <Link className="button button--primary" to="/clients/new">
          New client
        </Link>
      </header>
      <div className="search">
        <label htmlFor="client-search" className="visually-hidden">
          Search clients
        </label>
        <input
          id="client-search"
          type="search"
          placeholder="Search by name, email or phone"
          autoComplete="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <Alert>{error?.formMessage}</Alert>
      {clients === null && !error ? <p className="muted">Loading…</p> : null}
      {clients !== null && clients.length === 0 ? (
        <p className="empty">{q ? `No client matches “${q}”.` : "No clients yet. Add the first with New client."}</p>
      ) : null}
      {clients && clients.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="hide-narrow">
                Email
              </th>
              <th scope="col">Phone</th>
              <th scope="col" className="num">
                Age
              </th>
            </tr>
          </thead>
          <tbody>
            {clients.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/clients/${encodeURIComponent(c.id)}`}>{c.name}</Link>
                </td>
                <td className="hide-narrow">{c.email ?? ""}</td>
                <td>{c.phone ?? ""}</td>
                <td className="num">{c.date_of_birth ? (ageOn(c.date_of_birth, today) ?? "") : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
