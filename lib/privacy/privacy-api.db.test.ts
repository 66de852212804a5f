import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { openPortalSession, userForPortalToken } from "../auth/portal-sessions";
import { database, db } from "../db/client";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { pseudonymFor } from "./pseudonym";

// The privacy API for applications, over real HTTP against the real route handlers: portal sessions
// (POST /api/v1/portal-sessions) and requests filed and read by the application.
let server: IngestTestServer;
let key: { id: string; secret: string };
let ingestKey: string;

beforeAll(async () => {
  const created = await createApiKey({ name: "backend", scopes: ["privacy"] }, { type: "cli" });
  key = { id: created.id, secret: created.secret };
  ingestKey = (await createApiKey({ name: "ingest only", scopes: ["ingest"] }, { type: "cli" })).secret;
  server = await startIngestServer();
});

afterAll(async () => {
  await server.stop();
});

const call = (method: "GET" | "POST", path: string, body?: unknown, secret = key.secret) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${secret}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("POST /api/v1/portal-sessions", () => {
  it("returns a single-use link for the application's user that opens a session bound to their subject, with no account", async () => {
    const users = await db().user.count();
    const res = await call("POST", "/api/v1/portal-sessions", { subject: "app-user-501", returnUrl: "https://app.example.test/settings" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; url: string; expiresAt: string };
    const match = new RegExp(`^${server.url}/privacy/session/([A-Za-z0-9_-]{43})$`).exec(body.url);
    expect(match, body.url).not.toBeNull();
    const minutes = (Date.parse(body.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(9);
    expect(minutes).toBeLessThanOrEqual(10);
    // Stored hashed: the token appears nowhere in the database.
    const leak = await database().pool.query("SELECT count(*)::int AS n FROM portal_sessions p WHERE p::text LIKE '%' || $1 || '%'", [match![1]]);
    expect(leak.rows[0].n).toBe(0);

    const opened = await openPortalSession(match![1]!);
    expect(opened).not.toBeNull();
    const person = await userForPortalToken(opened!.token);
    expect(person).toMatchObject({ id: body.id, provider: "portal", role: "end_user", subjectPseudonym: pseudonymFor("app-user-501"), returnUrl: "https://app.example.test/settings" });
    // Single use, and no users row was created for the person.
    expect(await openPortalSession(match![1]!)).toBeNull();
    expect(await db().user.count()).toBe(users);
    const audit = await db().auditLog.findMany({ where: { resourceId: body.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actorType])).toEqual([
      ["portal_session.create", "api_key"],
      ["portal_session.open", "subject"],
    ]);
  });

  it("refuses an expired link, bad input with a 400 naming the field, and a key without the privacy scope with 403", async () => {
    const res = await call("POST", "/api/v1/portal-sessions", { subject: "app-user-502" });
    const token = /\/privacy\/session\/(.+)$/.exec(((await res.json()) as { url: string }).url)![1]!;
    await db().portalSession.updateMany({ where: { subjectPseudonym: pseudonymFor("app-user-502") }, data: { linkExpiresAt: new Date(Date.now() - 1000) } });
    expect(await openPortalSession(token)).toBeNull();

    const before = await db().portalSession.count();
    for (const [body, field] of [
      [{}, "subject"],
      [{ subject: "" }, "subject"],
      [{ subject: "x", returnUrl: "javascript:alert(1)" }, "returnUrl"],
    ] as const) {
      const bad = await call("POST", "/api/v1/portal-sessions", body);
      expect(bad.status).toBe(400);
      expect(bad.headers.get("content-type")).toContain("application/problem+json");
      expect(((await bad.json()) as { field: string }).field).toBe(field);
    }
    const wrongScope = await call("POST", "/api/v1/portal-sessions", { subject: "app-user-503" }, ingestKey);
    expect(wrongScope.status).toBe(403);
    expect(await db().portalSession.count()).toBe(before);
  });
});

describe("/api/v1/privacy-requests", () => {
  it("files a request for a user with no account, answers its state, lists it, and refuses a second open one of the same kind", async () => {
    const res = await call("POST", "/api/v1/privacy-requests", { subject: "app-user-601", type: "access", details: "Send me everything", requesterContact: "ticket #77" });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown> & { id: string; timeline: unknown[] };
    expect(res.headers.get("location")).toBe(`/api/v1/privacy-requests/${created.id}`);
    expect(created).toMatchObject({ subject: "app-user-601", type: "access", status: "received", channel: "api", verificationMethod: "application" });
    expect(created.timeline).toEqual([{ status: "received", at: expect.any(String) }]);
    // Answers never carry nulls or internal columns.
    expect(JSON.stringify(created)).not.toMatch(/null|pseudonym|apiKeyId/);
    const row = await db().privacyRequest.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ subjectPseudonym: pseudonymFor("app-user-601"), requesterId: null, apiKeyId: key.id, requesterContact: "ticket #77", details: "Send me everything" });
    const step = await db().privacyRequestEvent.findFirstOrThrow({ where: { requestId: created.id } });
    expect(step).toMatchObject({ actorType: "api_key", actorId: key.id });

    const one = await call("GET", `/api/v1/privacy-requests/${created.id}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(created);

    const dup = await call("POST", "/api/v1/privacy-requests", { subject: "app-user-601", type: "access" });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { detail: string }).detail).toMatch(/already open/);
    expect(await db().privacyRequest.count({ where: { subjectPseudonym: pseudonymFor("app-user-601") } })).toBe(1);

    await call("POST", "/api/v1/privacy-requests", { subject: "app-user-602", type: "erasure" });
    const page1 = (await (await call("GET", "/api/v1/privacy-requests?limit=1")).json()) as { data: { subject: string }[]; nextCursor: string };
    expect(page1.data.map((r) => r.subject)).toEqual(["app-user-602"]);
    const page2 = (await (await call("GET", `/api/v1/privacy-requests?limit=1&cursor=${page1.nextCursor}`)).json()) as { data: { subject: string }[] };
    expect(page2.data.map((r) => r.subject)).toEqual(["app-user-601"]);
    const erasures = (await (await call("GET", "/api/v1/privacy-requests?type=erasure")).json()) as { data: { type: string }[] };
    expect(erasures.data.every((r) => r.type === "erasure")).toBe(true);
  });

  it("refuses bad input with a 400 naming the field and writes nothing; 404 for an unknown id; 403 without the scope", async () => {
    const before = await db().privacyRequest.count();
    for (const [body, field] of [
      [{ type: "access" }, "subject"],
      [{ subject: "u", type: "forget-me" }, "type"],
      [{ subject: "u", type: "objection" }, "purpose"],
      [{ subject: "u", type: "objection", purpose: "essential" }, "purpose"],
      [{ subject: "u", type: "objection", purpose: "no_such_purpose" }, "purpose"],
    ] as const) {
      const bad = await call("POST", "/api/v1/privacy-requests", body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(((await bad.json()) as { field: string }).field).toBe(field);
    }
    expect(await db().privacyRequest.count()).toBe(before);
    expect((await call("GET", "/api/v1/privacy-requests?status=lost")).status).toBe(400);
    expect((await call("GET", "/api/v1/privacy-requests/6f1c5ad8-54a4-4c59-9f2c-3b7c7d1d0000")).status).toBe(404);
    expect((await call("GET", "/api/v1/privacy-requests", undefined, ingestKey)).status).toBe(403);
  });
});
