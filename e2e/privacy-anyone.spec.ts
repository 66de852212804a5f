import { createHmac } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { scanDatabase } from "../test/support/database-scan";
import { withE2eDatabase } from "../test/support/e2e-database";
import { e2eSinkPorts } from "../test/support/e2e-sink-ports";
import type { ReceivedMail } from "../test/support/smtp-sink";
import type { ReceivedHook } from "../test/support/webhook-receiver";
import { storageState } from "./accounts";
import { ago, JOB_TIMEOUT, unique } from "./console-helpers";

// Privacy for a person of a real deployment, not a demo account: the application sends events for
// its own user ids, opens the privacy center for them with a portal session (no Clearlog account),
// and files requests over the API; the admin works them from the queue.
test.describe.configure({ timeout: 120_000 });

async function asAdmin<T>(browser: Browser, work: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ storageState: storageState("admin") });
  try {
    return await work(await context.newPage());
  } finally {
    await context.close();
  }
}

/** The application's backend key, created on the API keys page with the scopes it needs; its secret is shown once. */
async function createAppKey(page: Page, name: string, scopes: string[]): Promise<string> {
  await page.goto("/admin/api-keys");
  await page.getByLabel("Name").fill(name);
  for (const scope of ["ingest", "consent", "feedback", "privacy"]) {
    const box = page.getByLabel(new RegExp(`^${scope}`));
    if (scopes.includes(scope)) await box.check();
    else await box.uncheck();
  }
  await page.getByRole("button", { name: "Create key" }).click();
  return (await page.getByTestId("new-key-secret").textContent())!.trim();
}

/** The application's webhook endpoint, added in the console; its signing secret is shown once. */
async function addWebhookEndpoint(page: Page, path: string): Promise<string> {
  await page.goto("/admin/webhooks");
  // A URL the server may not fetch is refused, naming the field.
  await page.getByLabel("Endpoint URL").fill("ftp://files.example.test/hook");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByText("url must start with https://")).toBeVisible();
  await page.getByLabel("Endpoint URL").fill(`http://127.0.0.1:${e2eSinkPorts().http}${path}`);
  await page.getByLabel("Description (optional)").fill("The application's backend");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const secret = (await page.getByTestId("new-webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("webhook-endpoints")).toContainText(path);
  return secret;
}

const sink = (path: string) => `http://127.0.0.1:${e2eSinkPorts().http}${path}`;

interface Delivered {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** What the receiver got at `path`, each delivery's signature checked the way a receiver would (node:crypto, Standard Webhooks). */
async function signedDeliveries(request: APIRequestContext, path: string, secret: string): Promise<Delivered[]> {
  const hooks = (await (await request.get(sink(`/received/hooks?path=${encodeURIComponent(path)}`))).json()) as ReceivedHook[];
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return hooks.map((h) => {
    const expected = createHmac("sha256", key).update(`${h.headers["webhook-id"]}.${h.headers["webhook-timestamp"]}.${h.body}`).digest("base64");
    expect(h.headers["webhook-signature"]).toBe(`v1,${expected}`);
    expect(Math.abs(Date.now() / 1000 - Number(h.headers["webhook-timestamp"]))).toBeLessThan(300);
    const body = JSON.parse(h.body) as { type: string; data: Record<string, unknown> };
    return { id: h.headers["webhook-id"]!, type: body.type, data: body.data };
  });
}

async function mailsTo(request: APIRequestContext, address: string): Promise<ReceivedMail[]> {
  return (await (await request.get(sink(`/received/mails?to=${encodeURIComponent(address)}`))).json()) as ReceivedMail[];
}

async function extract(page: Page): Promise<string> {
  await page.goto("/admin/training");
  await page.getByLabel("Feature type").selectOption("user_behavior");
  await page.getByRole("button", { name: "Extract features" }).click();
  await expect(page).toHaveURL(/\/admin\/training\/[0-9a-f-]{36}$/);
  await expect(page.getByText("Ready", { exact: true })).toBeVisible(JOB_TIMEOUT);
  return page.url().split("/").pop()!;
}

test("app-user-77 opens the privacy center from the application, withdraws AI training and asks for erasure; the admin verifies and confirms", async ({ browser, request }) => {
  const run = unique("anyone");
  const subject = "app-user-77";
  const details = `Please erase my account (${run})`;
  const email = `${run}@person.example.test`;
  const hookPath = `/hooks/${run}`;
  // The application's key, and its webhook endpoint for privacy events (signed deliveries).
  const { secret, hookSecret } = await asAdmin(browser, async (page) => ({
    secret: await createAppKey(page, `Backend ${run}`, ["ingest", "consent", "privacy"]),
    hookSecret: await addWebhookEndpoint(page, hookPath),
  }));
  const auth = { Authorization: `Bearer ${secret}` };

  // The application sends events for its user and records the consent they gave in the app.
  const consent = await request.put("/api/v1/consent", { headers: auth, data: { subject, purposes: { analytics: true, ai_training: true } } });
  expect(consent.status()).toBe(200);
  const sent = await request.post("/api/v1/events", {
    headers: auth,
    data: { events: [1, 2, 3].map((n) => ({ id: `${run}-${n}`, type: "user_action", action: "search", component: "web", subject, sessionId: `${run}-s`, timestamp: ago(90 - n) })) },
  });
  expect((await sent.json()).accepted).toBe(3);

  // Its pseudonym, to look for it after the erasure.
  const pseudonym = await withE2eDatabase(async (db) => {
    const found = (await db.query<{ pseudonym: string }>("SELECT pseudonym FROM subjects WHERE external_id = $1", [subject])).rows[0]!.pseudonym;
    // The scan that must come back empty after the erasure sees them now.
    expect(await scanDatabase(db, [found, `${run}-s`])).toMatchObject({ "public.subjects": 1, "public.system_logs": 3 });
    return found;
  });
  expect(pseudonym).toMatch(/^[0-9a-f]{64}$/);

  // It issues a portal session for them and sends them there.
  const issued = await request.post("/api/v1/portal-sessions", { headers: auth, data: { subject, returnUrl: "https://app.example.test/account" } });
  expect(issued.status()).toBe(201);
  const { url } = (await issued.json()) as { url: string };
  expect(url).toMatch(/\/privacy\/session\/[A-Za-z0-9_-]{43}$/);

  const person = await browser.newContext();
  const page = await person.newPage();
  await page.goto(url);
  await expect(page).toHaveURL(/\/privacy$/);
  await expect(page.getByRole("heading", { name: "Your privacy center" })).toBeVisible();

  // Withdraws AI training: the switch, then the history says so.
  const training = page.getByTestId("purpose-ai_training").getByRole("switch");
  await expect(training).toHaveAttribute("aria-checked", "true");
  await training.click();
  await expect(training).toHaveAttribute("aria-checked", "false");
  await page.reload();
  await expect(training).toHaveAttribute("aria-checked", "false");
  await expect(page.getByTestId("consent-history").getByRole("row").filter({ hasText: "AI model training" }).filter({ hasText: "you withdrew it" })).toHaveCount(1);

  // Files an erasure: the consequence is spelled out, receipt confirmed, their words shown back.
  await page.getByLabel("What would you like us to do?").selectOption("erasure");
  await expect(page.getByText("It cannot be undone")).toBeVisible();
  await page.getByLabel("Details (optional)").fill(details);
  await page.getByLabel("E-mail for updates (optional)").fill(email);
  await page.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByTestId("request-received")).toContainText("We received your erasure request");
  const mine = page.getByTestId("my-requests").getByRole("listitem").filter({ hasText: "Erasure" });
  await expect(mine.getByTestId("request-details")).toContainText(details);
  // A second open erasure cannot be sent.
  await expect(page.getByRole("option", { name: "Erasure (already open)" })).toBeDisabled();

  // The link was single-use.
  const again = await request.get(url, { maxRedirects: 0 });
  expect(again.status()).toBe(410);

  await asAdmin(browser, async (admin) => {
    await admin.goto(`/admin/privacy-requests?q=${subject}&type=erasure`);
    const row = admin.getByTestId("request-queue").getByRole("row").filter({ hasText: "Erasure" });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("requester")).toContainText("the person, from the application");
    await expect(row.getByTestId("requester")).toContainText(subject);
    await expect(row.getByTestId("requester")).toContainText("Signed in to the application (portal session)");
    await row.getByRole("link", { name: "Erasure" }).click();
    await expect(admin.getByTestId("request-facts")).toContainText(details);
    await expect(admin.getByTestId("verification")).toHaveText("Signed in to the application (portal session)");

    await admin.getByRole("button", { name: "Mark verified" }).click();
    await admin.getByRole("button", { name: "Start erasure" }).click();
    const dialog = admin.getByRole("dialog", { name: "Erase this person's data?" });
    await expect(dialog).toContainText("cannot be undone");
    // Going back changes nothing; confirming erases.
    await dialog.getByRole("button", { name: "Go back" }).click();
    await expect(dialog).toBeHidden();
    await expect(admin.getByTestId("job-progress")).toHaveCount(0);
    await admin.getByRole("button", { name: "Start erasure" }).click();
    await dialog.getByRole("button", { name: "Erase everything" }).click();
    await expect(admin.getByTestId("erasure-receipt")).toBeVisible(JOB_TIMEOUT);
    const timeline = admin.getByTestId("request-timeline");
    await expect(timeline).toContainText("Verified · by Ada Admin");
    await expect(timeline).toContainText("In progress · by Ada Admin");
  });

  // The person, still in their session, is told their data was erased.
  await page.reload();
  await expect(page.getByTestId("erased-notice")).toContainText("Your data was erased");
  await expect(page.getByText("We hold no data about you")).toBeVisible();
  await expect(mine).toContainText("Completed");
  await expect(mine.getByTestId("erasure-receipt")).toBeVisible();

  // The application reads the outcome over the API.
  const list = (await (await request.get("/api/v1/privacy-requests?type=erasure", { headers: auth })).json()) as { data: { id: string; status: string; channel: string; subject: string | null }[] };
  const filed = list.data.find((r) => r.channel === "portal_session" && r.status === "completed");
  expect(filed).toBeDefined();
  // After erasure the request no longer names the person.
  expect(filed!.subject).toBeNull();
  await person.close();

  // The application heard every step, signed: the withdrawal, the request's status changes and the
  // erasure, each naming its user so it can erase in its own systems too (Art. 19) — and no free text.
  await expect
    .poll(async () => (await signedDeliveries(request, hookPath, hookSecret)).filter((d) => d.data.requestId === filed!.id).map((d) => (d.type === "erasure.completed" ? d.type : `${String(d.data.to)}`)).sort(), { timeout: 30_000 })
    // Deliveries are not ordered (each is its own job): the set is what counts.
    .toEqual(["completed", "erasure.completed", "in_progress", "received", "verified"]);
  const deliveries = await signedDeliveries(request, hookPath, hookSecret);
  for (const d of deliveries.filter((x) => x.data.requestId === filed!.id)) expect(d.data.subject).toBe(subject);
  const erased = deliveries.find((d) => d.type === "erasure.completed" && d.data.requestId === filed!.id)!.data as { subject: string; featureSets: number; tables: Record<string, number> };
  // Counts only (another spec's feature extraction may or may not have included them).
  expect(erased).toMatchObject({ subject, featureSets: expect.any(Number) });
  expect(erased.tables.system_logs).toBeGreaterThan(0);
  expect(deliveries.filter((d) => d.type === "consent.changed" && d.data.subject === subject).map((d) => d.data.purposes)).toContainEqual([{ purpose: "ai_training", granted: false }]);
  expect(JSON.stringify(deliveries)).not.toContain(details);
  expect(JSON.stringify(deliveries)).not.toContain(email);

  // The person got a receipt and the answer by e-mail (the SMTP sink), with the reference and nothing they wrote.
  await expect.poll(async () => (await mailsTo(request, email)).map((m) => m.subject), { timeout: 30_000 }).toEqual([
    expect.stringMatching(/^We received your erasure request \([0-9A-F]{8}\)$/),
    expect.stringMatching(/^Your erasure request is completed \([0-9A-F]{8}\)$/),
  ]);
  for (const mail of await mailsTo(request, email)) expect(mail.raw).not.toContain(details);

  // The admin sees the deliveries in the console and sends a test event.
  await asAdmin(browser, async (admin) => {
    await admin.goto("/admin/webhooks");
    await expect(admin.getByTestId("delivery-log").getByRole("row").filter({ hasText: "erasure.completed" }).filter({ hasText: "delivered" }).first()).toBeVisible();
    await expect(admin.getByTestId("mail-status")).toContainText("E-mail to requesters is on");
    const endpoint = admin.getByTestId("webhook-endpoints").getByRole("listitem").filter({ hasText: hookPath });
    await endpoint.getByRole("button", { name: "Send test event" }).click();
    await expect.poll(async () => (await signedDeliveries(request, hookPath, hookSecret)).some((d) => d.type === "webhook.test"), { timeout: 30_000 }).toBe(true);
  });

  // Nothing of the person is left anywhere: every row of every table of every schema, pg_statistic
  // included, searched for their user id, pseudonym, session id, e-mail and words.
  await withE2eDatabase(async (db) => {
    await db.query("ANALYZE"); // statistics sampled now must not bring them back either
    const hits = await scanDatabase(db, [subject, pseudonym, `${run}-s`, email, details]);
    expect(hits).toEqual({});
  });
});

test("an objection filed by the application takes the person out of the next feature set", async ({ browser, request }) => {
  const run = unique("object");
  const subject = `app-user-88-${run}`;
  const secret = await asAdmin(browser, (page) => createAppKey(page, `Objections ${run}`, ["ingest", "consent", "privacy"]));
  const auth = { Authorization: `Bearer ${secret}` };
  // Product events (analytics) linked to them, and training allowed.
  expect((await request.put("/api/v1/consent", { headers: auth, data: { subject, purposes: { analytics: true, ai_training: true } } })).status()).toBe(200);
  const sent = await request.post("/api/v1/events", {
    headers: auth,
    data: { events: [{ id: `${run}-1`, type: "user_action", action: "search", component: "web", subject, sessionId: `${run}-s`, timestamp: ago(120) }] },
  });
  expect((await sent.json()).accepted).toBe(1);

  await asAdmin(browser, async (page) => {
    const before = await extract(page);

    const filed = await request.post("/api/v1/privacy-requests", { headers: auth, data: { subject, type: "objection", purpose: "ai_training", details: "I object to training on my data" } });
    expect(filed.status()).toBe(201);
    const { id } = (await filed.json()) as { id: string };

    await page.goto(`/admin/privacy-requests/${id}`);
    await expect(page.getByTestId("verification")).toHaveText("Vouched for by the application (API)");
    // They are in the set extracted before the objection.
    await expect(page.getByTestId("training-impact").getByRole("link", { name: before.slice(0, 8) })).toBeVisible();
    await page.getByRole("button", { name: "Mark verified" }).click();
    await page.getByRole("button", { name: "Mark in progress" }).click();
    await page.getByRole("button", { name: "Mark completed" }).click();
    const dialog = page.getByRole("dialog", { name: "Uphold the objection?" });
    await expect(dialog).toContainText("AI model training");
    await dialog.getByRole("button", { name: "Uphold and complete" }).click();
    await expect(page.getByText("This request is closed.")).toBeVisible();

    const after = await extract(page);
    await page.goto(`/admin/privacy-requests/${id}`);
    const impact = page.getByTestId("training-impact");
    await expect(impact.getByRole("link", { name: before.slice(0, 8) })).toBeVisible();
    await expect(impact.getByRole("link", { name: after.slice(0, 8) })).toHaveCount(0);

    const answer = (await (await request.get(`/api/v1/privacy-requests/${id}`, { headers: auth })).json()) as { status: string; resolutionNote: string };
    expect(answer.status).toBe("completed");
    expect(answer.resolutionNote).toMatch(/no longer use your data for ai model training/i);
  });
});
