import { expect, test, type Browser, type Page } from "@playwright/test";
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
  const secret = await asAdmin(browser, (page) => createAppKey(page, `Backend ${run}`, ["ingest", "consent", "privacy"]));
  const auth = { Authorization: `Bearer ${secret}` };

  // The application sends events for its user and records the consent they gave in the app.
  const consent = await request.put("/api/v1/consent", { headers: auth, data: { subject, purposes: { analytics: true, ai_training: true } } });
  expect(consent.status()).toBe(200);
  const sent = await request.post("/api/v1/events", {
    headers: auth,
    data: { events: [1, 2, 3].map((n) => ({ id: `${run}-${n}`, type: "user_action", action: "search", component: "web", subject, sessionId: `${run}-s`, timestamp: ago(90 - n) })) },
  });
  expect((await sent.json()).accepted).toBe(3);

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
