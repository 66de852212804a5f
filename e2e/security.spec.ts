import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, storageState } from "./accounts";

// Security headers and CSP in a real browser: every page works under the strict policy (no violation
// reported), the headers are on pages and API routes, a cross-origin server action is a 403, and the
// sign-in redirect never leaves the site.

/** Collects the browser's CSP violation reports (Chromium logs each one to the console). */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

test.describe("as an admin", () => {
  test.use({ storageState: storageState("admin") });
  test("the dashboard (charts), logs explorer and audit pages load without a CSP violation", async ({ page }) => {
    test.setTimeout(120_000); // four full page loads, each hydrating its client components
    const violations = watchCsp(page);
    for (const path of ["/admin", "/admin/logs", "/admin/audit", "/admin/rules"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await expect(page.getByTestId("current-user")).toHaveText(ACCOUNTS.admin.name);
      // Scripts, styles and the explorer's queries have all run (or been refused, which would be reported).
      await page.waitForLoadState("networkidle");
    }
    expect(violations).toEqual([]);
  });
});

test.describe("as an end user", () => {
  test.use({ storageState: storageState("end_user") });
  test("the privacy center loads and a consent switch works without a CSP violation", async ({ page }) => {
    const violations = watchCsp(page);
    await page.goto("/privacy");
    const analytics = page.getByTestId("purpose-analytics").getByRole("switch");
    const start = (await analytics.getAttribute("aria-checked")) === "true";
    await analytics.click();
    await expect(analytics).toHaveAttribute("aria-checked", String(!start));
    await analytics.click();
    await expect(analytics).toHaveAttribute("aria-checked", String(start));
    expect(violations).toEqual([]);
  });
});

test("pages and API routes carry the security headers; the public API keeps its CORS", async ({ request }) => {
  const page = await request.get("/login");
  const h = page.headers();
  expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("same-origin");
  expect(h["permissions-policy"]).toContain("camera=()");
  expect(h["strict-transport-security"]).toBeUndefined(); // plain HTTP here
  const again = await request.get("/login");
  expect(again.headers()["content-security-policy"]).not.toBe(h["content-security-policy"]); // a fresh nonce

  const overHttps = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
  expect(overHttps.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");

  const health = await request.get("/api/health");
  expect(health.headers()["content-security-policy"]).toContain("default-src 'self'");
  expect(health.headers()["x-content-type-options"]).toBe("nosniff");

  const preflight = await request.fetch("/api/v1/events", { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "POST" } });
  expect(preflight.status()).toBe(204);
  expect(preflight.headers()["access-control-allow-origin"]).toBe("*");
});

test("server actions: another origin is a 403, a body Next cannot decode is a 400, wrong arguments are no 500", async ({ request, baseURL }) => {
  // The login form's action id, as the page gives it to forms posted without JavaScript.
  const html = await (await request.get("/login")).text();
  const id = /&quot;id&quot;:&quot;([0-9a-f]{40,})&quot;/.exec(html)?.[1];
  expect(id).toBeDefined();
  const action = (headers: Record<string, string>, data: string) => request.post("/login", { headers: { "next-action": id!, ...headers }, data });

  expect((await action({ origin: "https://evil.example", "content-type": "text/plain;charset=UTF-8" }, "[]")).status()).toBe(403);
  const noScriptForm = { $ACTION_REF_1: "", "$ACTION_1:0": JSON.stringify({ id, bound: "$@1" }), "$ACTION_1:1": "[{}]", email: "a@b.c", password: "x" };
  expect((await request.post("/login", { headers: { origin: "https://evil.example" }, multipart: noScriptForm })).status()).toBe(403);

  for (const [type, body] of [
    ["text/plain;charset=UTF-8", "not json at all \u0000"],
    ["text/plain;charset=UTF-8", '["$K1",{}]'],
    ["application/json", "0"],
    ["multipart/form-data; boundary=x", "--x\r\ngarbage"],
  ] as const) {
    const answer = await action({ origin: baseURL!, "content-type": type }, body);
    expect(answer.status(), `${type} ${body}`).toBe(400);
  }
  expect((await request.post("/login", { headers: { origin: baseURL! }, multipart: { ...noScriptForm, "$ACTION_1:1": "garbage" } })).status()).toBe(400);
  // Decodable but not what the action takes: the action answers, not a 500.
  const wrongArgs = await action({ origin: baseURL!, "content-type": "text/plain;charset=UTF-8" }, "[1,2,3]");
  expect(wrongArgs.status()).toBeLessThan(500);
});

test("the sign-in redirect stays on this site whatever `next` says", async ({ page, baseURL }) => {
  const violations = watchCsp(page);
  await page.goto(`/login?next=${encodeURIComponent("/..//evil.example")}`);
  await page.getByLabel("Email").fill(ACCOUNTS.end_user.email);
  await page.getByLabel("Password").fill(ACCOUNTS.end_user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${baseURL}${ACCOUNTS.end_user.home}`);
  expect(violations).toEqual([]);
});
