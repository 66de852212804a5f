import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from "jose";

// Test helper: a local stand-in for the Supabase Auth (GoTrue) server, implementing only what
// auth-js calls from lib/auth/supabase-provider.ts. Access tokens are ES256 JWTs with a kid, verified
// by clients against the JWKS served here; /user and /logout verify the bearer token like GoTrue.

export interface StandInUser {
  id: string;
  email: string;
  password: string;
  appMetadata: Record<string, unknown>;
  userMetadata: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
}

export interface TokenOptions {
  /** Seconds until exp; negative for an already expired token. Default 3600. */
  expiresIn?: number;
  /** Sign with another key (a forgery); default the stand-in's own key. */
  signingKey?: CryptoKey;
  kid?: string;
  sessionId?: string;
  /** Claims merged over the defaults. */
  claims?: Record<string, unknown>;
}

export interface SupabaseStandIn {
  /** What NEXT_PUBLIC_SUPABASE_URL points at. */
  url: string;
  anonKey: string;
  kid: string;
  requests: RecordedRequest[];
  addUser(user: { email: string; password: string; appMetadata?: Record<string, unknown>; userMetadata?: Record<string, unknown> }): StandInUser;
  accessToken(user: StandInUser, options?: TokenOptions): Promise<string>;
  /** While true every endpoint answers 503, as during an Auth outage. */
  setUnavailable(unavailable: boolean): void;
  close(): Promise<void>;
}

interface Session {
  userId: string;
  active: boolean;
}

const TOKEN_TTL_SECONDS = 3600;

export async function startSupabaseStandIn(options: { anonKey?: string } = {}): Promise<SupabaseStandIn> {
  const anonKey = options.anonKey ?? "stand-in-anon-key";
  const kid = randomUUID();
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig", key_ops: ["verify"] };
  const jwks = createLocalJWKSet({ keys: [publicJwk] });
  const users = new Map<string, StandInUser>();
  const sessions = new Map<string, Session>();
  const refreshTokens = new Map<string, { sessionId: string; used: boolean }>();
  const requests: RecordedRequest[] = [];
  let url = "";
  let unavailable = false;

  const userJson = (u: StandInUser) => ({
    id: u.id,
    aud: "authenticated",
    role: "authenticated",
    email: u.email,
    email_confirmed_at: "2026-01-01T00:00:00Z",
    phone: "",
    app_metadata: { provider: "email", providers: ["email"], ...u.appMetadata },
    user_metadata: u.userMetadata,
    identities: [],
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    is_anonymous: false,
  });

  async function accessToken(user: StandInUser, o: TokenOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = o.expiresIn ?? TOKEN_TTL_SECONDS;
    const payload = {
      iss: `${url}/auth/v1`,
      sub: user.id,
      aud: "authenticated",
      iat: Math.min(now, now + expiresIn - 60),
      exp: now + expiresIn,
      email: user.email,
      phone: "",
      app_metadata: { provider: "email", providers: ["email"], ...user.appMetadata },
      user_metadata: user.userMetadata,
      role: "authenticated",
      aal: "aal1",
      amr: [{ method: "password", timestamp: now }],
      session_id: o.sessionId ?? randomUUID(),
      is_anonymous: false,
      ...o.claims,
    };
    return new SignJWT(payload).setProtectedHeader({ alg: "ES256", typ: "JWT", kid: o.kid ?? kid }).sign(o.signingKey ?? privateKey);
  }

  async function issueSession(user: StandInUser, sessionId: string) {
    const refreshToken = randomBytes(12).toString("hex");
    refreshTokens.set(refreshToken, { sessionId, used: false });
    return {
      access_token: await accessToken(user, { sessionId }),
      token_type: "bearer",
      expires_in: TOKEN_TTL_SECONDS,
      expires_at: Math.floor(Date.now() / 1000) + TOKEN_TTL_SECONDS,
      refresh_token: refreshToken,
      user: userJson(user),
    };
  }

  /** The user and session behind a bearer token, if its signature, claims and session hold. */
  async function authenticate(req: http.IncomingMessage): Promise<{ user: StandInUser; sessionId: string } | null> {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, jwks, { algorithms: ["ES256"], issuer: `${url}/auth/v1`, audience: "authenticated" });
      const user = typeof payload.sub === "string" ? users.get(payload.sub) : undefined;
      const sessionId = typeof payload.session_id === "string" ? payload.session_id : "";
      if (!user || !sessions.get(sessionId)?.active) return null;
      return { user, sessionId };
    } catch {
      return null;
    }
  }

  async function handle(req: http.IncomingMessage, body: Record<string, unknown>): Promise<[number, unknown]> {
    const u = new URL(req.url ?? "/", "http://stand-in");
    const grant = u.searchParams.get("grant_type");
    const route = `${req.method} ${u.pathname}`;
    if (unavailable) return [503, { message: "Service Unavailable" }];
    if (req.headers.apikey !== anonKey) return [401, { message: "Invalid API key" }];

    if (route === "GET /auth/v1/.well-known/jwks.json") return [200, { keys: [publicJwk] }];

    if (route === "POST /auth/v1/token" && grant === "password") {
      const email = String(body.email ?? "").toLowerCase();
      const user = [...users.values()].find((x) => x.email === email);
      if (!user || user.password !== body.password) return [400, { code: "invalid_credentials", message: "Invalid login credentials" }];
      const sessionId = randomUUID();
      sessions.set(sessionId, { userId: user.id, active: true });
      return [200, await issueSession(user, sessionId)];
    }

    if (route === "POST /auth/v1/token" && grant === "refresh_token") {
      const entry = refreshTokens.get(String(body.refresh_token ?? ""));
      const session = entry ? sessions.get(entry.sessionId) : undefined;
      const user = session ? users.get(session.userId) : undefined;
      if (!entry || entry.used || !session?.active || !user) {
        return [400, { code: "refresh_token_not_found", message: "Invalid Refresh Token: Refresh Token Not Found" }];
      }
      entry.used = true;
      return [200, await issueSession(user, entry.sessionId)];
    }

    if (route === "GET /auth/v1/user") {
      const auth = await authenticate(req);
      return auth ? [200, userJson(auth.user)] : [403, { code: "bad_jwt", message: "invalid JWT: unable to parse or verify signature" }];
    }

    if (route === "POST /auth/v1/logout") {
      const auth = await authenticate(req);
      if (!auth) return [403, { code: "bad_jwt", message: "invalid JWT: unable to parse or verify signature" }];
      const scope = u.searchParams.get("scope") ?? "global";
      for (const [id, s] of sessions) {
        const mine = s.userId === auth.user.id;
        if ((scope === "global" && mine) || (scope === "local" && id === auth.sessionId) || (scope === "others" && mine && id !== auth.sessionId)) {
          s.active = false;
        }
      }
      return [204, null];
    }

    return [404, { code: "not_found", message: `No stand-in route for ${route}` }];
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const u = new URL(req.url ?? "/", "http://stand-in");
      requests.push({
        method: req.method ?? "",
        path: u.pathname,
        query: Object.fromEntries(u.searchParams),
        authorization: req.headers.authorization ?? null,
      });
      let body: Record<string, unknown> = {};
      try {
        const parsed: unknown = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
        if (parsed && typeof parsed === "object") body = parsed as Record<string, unknown>;
      } catch {
        /* handled as an empty body */
      }
      handle(req, body)
        .catch((): [number, unknown] => [500, { code: "unexpected_failure", message: "stand-in error" }])
        .then(([status, payload]) => {
          res.writeHead(status, { "content-type": "application/json", "x-supabase-api-version": "2024-01-01" });
          res.end(status === 204 ? undefined : JSON.stringify(payload));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    anonKey,
    kid,
    requests,
    addUser(input) {
      const user: StandInUser = {
        id: randomUUID(),
        email: input.email.toLowerCase(),
        password: input.password,
        appMetadata: input.appMetadata ?? {},
        userMetadata: input.userMetadata ?? {},
      };
      users.set(user.id, user);
      return user;
    },
    accessToken,
    setUnavailable(value) {
      unavailable = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
