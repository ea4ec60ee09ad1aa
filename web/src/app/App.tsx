import { createBrowserRouter, Navigate, NavLink, Route, RouterProvider, Routes } from "react-router-dom";
import { AuthProvider, roleWords, useAuth } from "../features/auth/auth";
import { SignIn } from "../features/auth/SignIn";
import { LotsPage } from "../features/charts/LotsPage";
import { ClientList } from "../features/clients/ClientList";
import { ClientPage, NewClient } from "../features/clients/ClientPages";
import { ConsultationPage, NewConsultation } from "../features/consultations/ConsultationPages";
import { ConsentTextsPage } from "../features/consents/ConsentTextsPage";
import { CredentialsPage } from "../features/credentials/CredentialsPage";
import { DiaryPage } from "../features/diary/DiaryPage";
import { ReportsPage } from "../features/reports/ReportsPage";
import { SettingsPage } from "../features/settings/SettingsPage";

function Shell() {
  const { me, signOut } = useAuth();
  if (me === undefined) return <p className="page muted">Loading…</p>;
  if (me === null) return <SignIn />;
  return (
    <div className="shell">
      <header className="topbar">
        <NavLink to="/clients" className="topbar__brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="topbar__brand-words">Stipple studio</span>
        </NavLink>
        <nav className="topbar__nav" aria-label="Main">
          <NavLink to="/clients">Clients</NavLink>
          <NavLink to="/diary">Diary</NavLink>
          <NavLink to="/reports">Reports</NavLink>
          <NavLink to="/lots">Lots</NavLink>
          <NavLink to="/credentials">Credentials</NavLink>
          <NavLink to="/consents">Consents</NavLink>
          <NavLink to="/clinic">Clinic</NavLink>
        </nav>
        <div className="topbar__user">
          <span className="topbar__name">{me.name}</span>
          <span className="badge">{roleWords[me.role]}</span>
          <button className="button button--quiet" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main>
        <Routes>
          <Route path="/" element={<Navigate to="/clients" replace />} />
          <Route path="/clients" element={<ClientList />} />
          <Route path="/clients/new" element={<NewClient />} />
          <Route path="/clients/:id" element={<ClientPage />} />
          <Route path="/clients/:id/consultations/new" element={<NewConsultation />} />
          <Route path="/consultations/:id" element={<ConsultationPage />} />
          <Route path="/diary" element={<DiaryPage />} />
          <Route path="/lots" element={<LotsPage />} />
          <Route path="/reports" element={<ReportsPage />} />
          <Route path="/credentials" element={<CredentialsPage />} />
          <Route path="/consents" element={<ConsentTextsPage />} />
          <Route path="/clinic" element={<SettingsPage />} />
          <Route path="*" element={<p className="page">There is no such page. <NavLink to="/clients">Clients</NavLink></p>} />
        </Routes>
      </main>
    </div>
  );
}

// A data router (so a page can hold the user back from leaving with unsaved edits: useBlocker),
// with the pages as descendant routes of one splat route.
const router = createBrowserRouter([
  {
    path: "*",
    element: (
      <AuthProvider>
        <Shell />
      </AuthProvider>
    ),
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
