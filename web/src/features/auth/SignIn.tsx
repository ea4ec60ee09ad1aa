import { useState, type FormEvent } from "react";
import { ApiError } from "../../api/client";
import { Alert } from "../../components/Alert";
import { TextField } from "../../components/Field";
import { useAuth } from "./auth";

/** The sign-in page: the form's errors at their fields, a wrong password or too many attempts above it. */
export function SignIn() {
  const { signIn } = useAuth();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "Error", String(err)));
      setPassword("");
    } finally {
      setBusy(false);
    }
  }

  let message = error?.formMessage ?? "";
  if (error?.status === 401) message = "That email and password do not match an account.";
  if (error?.status === 429)
    message = `Too many sign-in attempts. Try again in ${error.retryAfterS ?? 60} seconds.`;

  return (
    <main className="signin">
      <form className="card signin__card" onSubmit={submit} noValidate>
        <h1 className="signin__title">
          <span className="brand-mark" aria-hidden="true" />
          Stipple studio
        </h1>
        <p className="muted">Sign in to your clinic.</p>
        <Alert>{message}</Alert>
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={error?.fields["email"]}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error?.fields["password"]}
        />
        <button className="button button--primary button--wide" type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
