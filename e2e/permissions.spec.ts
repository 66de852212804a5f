import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { can, type Permission } from "../lib/auth/permissions";
import { ACCOUNTS, storageState, type AccountRole } from "./accounts";

// Discovers every page and route handler under app/ and checks each against every role over real
// HTTP: strangers, end users, data scientists and admins. A page or route with no recognised guard
// fails here unless it is listed as public; the expected answer comes from the permission map.
const APP = path.resolve(__dirname, "../app");
const PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000";
const PUBLIC_PAGES = new Set(["/", "/login"]);
// The portal link opener is authenticated by its single-use token, not a session.
const PUBLIC_ROUTES = new Set(["/api/health", "/api/v1/openapi.json", `/privacy/session/${PLACEHOLDER_ID}`]);

type Guard = { kind: "permission"; permission: Permission } | { kind: "signed_in" } | { kind: "api_key" } | { kind: "public" };

function walk(dir: string, file: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name), file) : e.name === file ? [path.join(dir, e.name)] : [],
  );
}

function urlOf(file: string): string {
  const segments = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => (s === "[file]" ? "features.csv" : /^\[.*\]$/.test(s) ? PLACEHOLDER_ID : s));
  return `/${segments.join("/")}`;
}

/** The guards a file applies: the permission it asks for, or how else it decides. */
function guardsIn(source: string, page = false): Guard[] {
  const guards: Guard[] = [];
  for (const m of source.matchAll(/(?:requirePageUser|routeUser|requireUser)\("([a-z_.]+)"\)/g)) guards.push({ kind: "permission", permission: m[1] as Permission });
  if (/\bwithApiKey(<[^>]*>)?\(|\botlpRoute\(/.test(source)) guards.push({ kind: "api_key" });
  // A page that only reads the user (the login page, the root redirect) guards nothing.
  if (!page && /\bgetCurrentUser\(\)/.test(source) && guards.length === 0) guards.push({ kind: "signed_in" });
  return guards;
}

/** A page's guards include those of the layouts above it. */
function pageGuards(file: string): Guard[] {
  const guards = guardsIn(readFileSync(file, "utf8"), true);
  for (let dir = path.dirname(file); dir.startsWith(APP); dir = path.dirname(dir)) {
    try {
      guards.push(...guardsIn(readFileSync(path.join(dir, "layout.tsx"), "utf8"), true));
    } catch {
      // no layout at this level
    }
  }
  return guards;
}

const ROLES: (AccountRole | null)[] = [null, "end_user", "data_scientist", "admin"];
const pages = walk(APP, "page.tsx").map((f) => ({ url: urlOf(f), guards: pageGuards(f) }));
const routes = walk(APP, "route.ts").map((f) => {
  const source = readFileSync(f, "utf8");
  const methods = [...source.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
  return { url: urlOf(f), guards: guardsIn(source), methods };
});

test("discovery finds the console, the portal and the public API", () => {
  expect(pages.map((p) => p.url)).toEqual(expect.arrayContaining(["/admin", "/admin/logs", "/privacy", "/login"]));
  expect(routes.map((r) => r.url)).toEqual(expect.arrayContaining(["/api/v1/events", "/api/admin/logs", "/api/health"]));
});

test("every page and route has a guard, or is listed as public", () => {
  for (const p of pages) expect(p.guards.length > 0 || PUBLIC_PAGES.has(p.url), `page ${p.url} has no guard`).toBe(true);
  for (const r of routes) expect(r.guards.length > 0 || PUBLIC_ROUTES.has(r.url), `route ${r.url} has no guard`).toBe(true);
});

function allowed(guards: Guard[], role: AccountRole | null): boolean {
  return guards.every((g) => g.kind === "public" || (g.kind === "signed_in" ? role !== null : g.kind === "permission" ? can(role, g.permission) : false));
}

for (const role of ROLES) {
  test.describe(`as ${role ?? "a stranger"}`, () => {
    if (role) test.use({ storageState: storageState(role) });

    test("pages answer as the permission map says", async ({ page }) => {
      test.setTimeout(180_000);
      for (const p of pages.filter((x) => x.guards.length > 0)) {
        const response = await page.goto(p.url);
        const status = response?.status() ?? 0;
        if (allowed(p.guards, role)) expect([200, 404], `${p.url} for ${role}`).toContain(status);
        else if (role === null) await expect(page, p.url).toHaveURL(new RegExp(`/login\\?next=`));
        else expect(status, `${p.url} for ${role}`).toBe(403);
      }
    });

    test("route handlers answer as the permission map says", async ({ request }) => {
      test.setTimeout(180_000);
      for (const r of routes.filter((x) => x.guards.length > 0)) {
        for (const method of r.methods) {
          const status = await call(request, method, r.url);
          const where = `${method} ${r.url} for ${role ?? "a stranger"}`;
          expect(status, where).toBeLessThan(500);
          if (r.guards.some((g) => g.kind === "api_key")) expect(status, `${where}: a session is not an API key`).toBe(401);
          else if (allowed(r.guards, role)) expect([401, 403], where).not.toContain(status);
          else expect(status, where).toBe(role === null ? 401 : 403);
        }
      }
    });
  });
}

async function call(request: APIRequestContext, method: string, url: string): Promise<number> {
  const response = await request.fetch(url, { method, maxRedirects: 0, ...(method === "GET" ? {} : { data: {} }) });
  return response.status();
}

test("the demo accounts cover every role", () => {
  expect(Object.keys(ACCOUNTS).sort()).toEqual(["admin", "data_scientist", "end_user"]);
});
