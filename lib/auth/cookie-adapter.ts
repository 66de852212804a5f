import "server-only";
import { cookies } from "next/headers";

export interface CookieToSet {
  name: string;
  value: string;
  options?: {
    httpOnly?: boolean;
    secure?: boolean;
    sameSite?: "lax" | "strict" | "none" | boolean;
    path?: string;
    expires?: Date;
    maxAge?: number;
  };
}

/** The cookie operations auth needs; Next's request cookies in the app, a plain map in tests. */
export interface CookieAdapter {
  get(name: string): string | undefined;
  getAll(): { name: string; value: string }[];
  setAll(cookies: CookieToSet[]): void;
}

export async function requestCookies(): Promise<CookieAdapter> {
  const store = await cookies();
  return {
    get: (name) => store.get(name)?.value,
    getAll: () => store.getAll().map(({ name, value }) => ({ name, value })),
    setAll(list) {
      // Server components cannot set cookies; actions and route handlers can. Reads still work.
      try {
        for (const c of list) store.set(c.name, c.value, c.options);
      } catch {
        /* called from a server component: the session refresh happens on the next action */
      }
    },
  };
}
