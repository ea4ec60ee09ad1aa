// Who is signed in. The session itself is an HttpOnly cookie the UI never
// reads: GET /api/v1/me answers 401 when there is none (or it has expired).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, ApiError, call, type Me } from "../../api/client";

interface Auth {
  /** undefined while the first answer is awaited; null when nobody is signed in */
  me: Me | null | undefined;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** after any 401: the session ended (idle timeout), so show the sign-in page */
  expired(): void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  useEffect(() => {
    let live = true;
    call(api.GET("/api/v1/me"))
      .then((m) => live && setMe(m))
      .catch(() => live && setMe(null));
    return () => {
      live = false;
    };
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    setMe(await call(api.POST("/api/v1/session", { body: { email, password } })));
  }, []);
  const signOut = useCallback(async () => {
    try {
      await call(api.DELETE("/api/v1/session"));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
    }
    setMe(null);
  }, []);
  const expired = useCallback(() => setMe(null), []);

  const value = useMemo(() => ({ me, signIn, signOut, expired }), [me, signIn, signOut, expired]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error("useAuth outside AuthProvider");
  return a;
}

/** Roles that see clinical data (STUDIO.md "Roles": front desk sees contact details only). */
export function seesClinicalData(me: Me | null | undefined): boolean {
  return me?.role === "owner" || me?.role === "practitioner";
}

export const roleWords: Record<Me["role"], string> = {
  owner: "Owner",
  practitioner: "Practitioner",
  front_desk: "Front desk",
};
