import { useCallback, useEffect, useState, type DependencyList } from "react";
import { useAuth } from "../features/auth/auth";
import { ApiError } from "./client";

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  /** replaces what was loaded (after a save that answered the new state) */
  setData(d: T): void;
  /** loads again */
  reload(): void;
}

/**
 * Loads once per change of `deps`, and again on reload(). An answer that
 * arrives after the deps changed (a search typed further) is dropped, and a 401
 * sends the user back to the sign-in (the session ended).
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const { expired } = useAuth();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [round, setRound] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);

  useEffect(() => {
    let live = true;
    run()
      .then((d) => {
        if (!live) return;
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!live) return;
        const err = e instanceof ApiError ? e : new ApiError(0, "Error", String(e));
        if (err.status === 401) expired();
        setError(err);
      });
    return () => {
      live = false;
    };
  }, [run, round, expired]);

  return { data, error, setData, reload: useCallback(() => setRound((r) => r + 1), []) };
}
