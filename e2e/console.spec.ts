import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { storageState } from "./accounts";

// The admin console's logs explorer, classification rules and retention, end to end: events are
// sent through the events API with a key created in the UI, then found, opened, redacted and
// expired through the console. Every test works only with its own uniquely named events (the other
// specs run in parallel against the same server and demo data).
test.use({ storageState: storageState("admin") });
test.describe.configure({ timeout: 60_000 });

const XSS = "<img src=x onerror=alert(1)>";
const JOB_TIMEOUT = { timeout: 20_000 };

/** A word no other event contains: lower-case letters and digits only, so search sees one token. */
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

interface WireEvent {
  id: string;
  type: "user_action" | "ai_interaction" | "api_request" | "error" | "system";
  timestamp: string;
  subject?: string;
  action?: string;
  name?: string;
  component?: string;
  message?: string;
  attributes?: Record<string, unknown>;
  purpose?: string;
  http?: Record<string, unknown>;
}

/** `seconds` ago, as the ISO timestamp the events API takes (distinct times keep the row order known). */
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

/** Creates an ingest key through the API keys page and returns its one-time secret. */
async function createIngestKey(page: Page, label: string): Promise<string> {
  await page.goto("/admin/api-keys");
  await page.getByLabel("Name").fill(`E2E console ${label}`);
  await expect(page.getByLabel(/ingest/)).toBeChecked();
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("new-key-secret").textContent())!.trim();
  expect(secret).toMatch(/^clk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "Done" }).click();
  return secret;
}

/** Sends `events` through POST /api/v1/events and expects every one accepted. */
async function ingest(request: APIRequestContext, secret: string, events: WireEvent[]) {
  const response = await request.post("/api/v1/events", { headers: { Authorization: `Bearer ${secret}` }, data: { events } });
  const body = await response.json();
  expect(response.status(), JSON.stringify(body)).toBe(200);
  expect(body).toMatchObject({ accepted: events.length, duplicates: 0, dropped: 0, rejected: 0 });
}

/** The explorer's event count ("2 events", "1 events"…): exactly `n`, all loaded. */
async function expectCount(page: Page, n: number) {
  await expect(page.getByTestId("log-count")).toHaveText(new RegExp(`^${n} events?$`));
  await expect(page.getByTestId("log-row")).toHaveCount(n);
}

/** The value shown next to a field name in the drawer's typed fields. */
const drawerField = (drawer: Locator, name: string) => drawer.locator("dt", { hasText: new RegExp(`^${name}$`) }).locator("xpath=following-sibling::dd[1]");

test.describe("logs explorer", () => {
  test("search and filters find exactly the expected events, and the URL reproduces the view and the open event", async ({ page, context, request }) => {
    const word = unique("kw");
    const componentA = unique("compa");
    const componentB = unique("compb");
    const ids = { message: unique("e2e-msg-"), nested: unique("e2e-nested-"), plainA: unique("e2e-plain-a-"), plainB: unique("e2e-plain-b-") };
    const secret = await createIngestKey(page, `explorer ${word}`);
    await ingest(request, secret, [
      { id: ids.message, type: "user_action", timestamp: ago(40), action: "export_report", component: componentA, message: `Exported ${word} as csv`, purpose: "essential" },
      { id: ids.nested, type: "system", timestamp: ago(30), name: "cache.evicted", component: componentB, message: "nightly cleanup", attributes: { details: { note: `nested ${word} inside` } } },
      { id: ids.plainA, type: "user_action", timestamp: ago(20), action: "open_report", component: componentA, message: "nothing to find here", purpose: "essential" },
      { id: ids.plainB, type: "system", timestamp: ago(10), name: "cache.warmed", component: componentB, message: "nothing to find here either" },
    ]);

    await page.goto("/admin/logs");
    const form = page.getByRole("form", { name: "Filter events" });
    const rows = page.getByTestId("log-row");

    // The word is in one event's message and in another's nested payload string: both, and only them.
    await form.getByLabel("Search").fill(word);
    await form.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]q=${word}(&|$)`));
    await expectCount(page, 2);
    await expect(rows.nth(0)).toContainText("cache.evicted");
    await expect(rows.nth(0)).toContainText(componentB);
    await expect(rows.nth(1)).toContainText(`Exported ${word} as csv`);
    await expect(rows.nth(1)).toContainText(componentA);

    // A type chip narrows it to the system event.
    const types = form.getByRole("group", { name: "Type" });
    await types.getByRole("button", { name: "System", exact: true }).click();
    await expect(types.getByRole("button", { name: "System", exact: true })).toHaveAttribute("aria-pressed", "true");
    await form.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/[?&]type=system(&|$)/);
    await expect(page).toHaveURL(new RegExp(`[?&]q=${word}(&|$)`));
    await expectCount(page, 1);
    await expect(rows.first()).toContainText("cache.evicted");

    // The same URL in a new page shows the same view, filters included.
    const typed = await context.newPage();
    await typed.goto(page.url());
    await expectCount(typed, 1);
    await expect(typed.getByTestId("log-row").first()).toContainText("cache.evicted");
    await expect(typed.getByLabel("Search")).toHaveValue(word);
    await expect(typed.getByRole("group", { name: "Type" }).getByRole("button", { name: "System", exact: true })).toHaveAttribute("aria-pressed", "true");
    await typed.close();

    // Instead of the type, a component: only the user action with the word.
    await types.getByRole("button", { name: "System", exact: true }).click();
    await expect(types.getByRole("button", { name: "System", exact: true })).toHaveAttribute("aria-pressed", "false");
    await form.getByLabel("Component").fill(componentA);
    await form.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]component=${componentA}(&|$)`));
    await expect(page).not.toHaveURL(/[?&]type=/);
    await expectCount(page, 1);
    await expect(rows.first()).toContainText(`Exported ${word} as csv`);

    const byComponent = await context.newPage();
    await byComponent.goto(page.url());
    await expectCount(byComponent, 1);
    await expect(byComponent.getByTestId("log-row").first()).toContainText(`Exported ${word} as csv`);
    await expect(byComponent.getByLabel("Component")).toHaveValue(componentA);
    await byComponent.close();

    // The component alone (no search): both of component A's events.
    await form.getByLabel("Search").fill("");
    await form.getByRole("button", { name: "Apply" }).click();
    await expect(page).not.toHaveURL(/[?&]q=/);
    await expectCount(page, 2);
    await expect(rows.nth(0)).toContainText("open_report");
    await expect(rows.nth(1)).toContainText("export_report");

    // Opening an event puts it in the URL; reloading that URL opens it again.
    await rows.nth(1).click();
    const drawer = page.getByTestId("event-drawer");
    await expect(drawer).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`[?&]event=${ids.message}(&|$)`));
    await expect(page).toHaveURL(/[?&]at=/);
    await expect(drawerField(drawer, "event_id")).toHaveText(ids.message);
    await page.reload();
    await expect(drawer).toBeVisible();
    await expect(drawerField(drawer, "event_id")).toHaveText(ids.message);
    await expect(drawerField(drawer, "message")).toHaveText(`Exported ${word} as csv`);
    await expect(drawerField(drawer, "component")).toHaveText(componentA);
    await expectCount(page, 2);

    const opened = await context.newPage();
    await opened.goto(page.url());
    await expect(drawerField(opened.getByTestId("event-drawer"), "event_id")).toHaveText(ids.message);
    await opened.close();

    await drawer.getByRole("button", { name: "Close the event" }).click();
    await expect(drawer).toHaveCount(0);
    await expect(page).not.toHaveURL(/[?&]event=/);
  });

  test("the drawer shows redacted fields as redaction markers, and the raw values appear nowhere", async ({ page, request }) => {
    const token = unique("red");
    const email = `${token}@example.com`;
    const phone = "+44 20 7946 0958";
    const id = unique("e2e-redacted-");
    const secret = await createIngestKey(page, `redaction ${token}`);
    await ingest(request, secret, [
      { id, type: "user_action", timestamp: ago(5), action: "update_profile", component: "settings", message: `contact ${email} about ${token}`, attributes: { contact: { phone } }, purpose: "essential" },
    ]);

    await page.goto(`/admin/logs?q=${token}`);
    await expectCount(page, 1);
    const row = page.getByTestId("log-row").first();
    await expect(row.getByTestId("redaction-marker")).toHaveText(/^\[EMAIL:[0-9a-f]{12}\]$/);
    await expect(row).toContainText("confidential");
    await row.click();

    const drawer = page.getByTestId("event-drawer");
    const message = drawerField(drawer, "message");
    await expect(message).toHaveText(new RegExp(`^contact \\[EMAIL:[0-9a-f]{12}\\] about ${token}$`));
    await expect(message.getByTestId("redaction-marker")).toHaveText(/^\[EMAIL:[0-9a-f]{12}\]$/);
    await expect(message.locator("mark[data-testid=redaction-marker]")).toHaveCount(1);
    await expect(drawer).toContainText("user.contact.email");
    const payload = drawer.getByTestId("event-payload");
    await expect(payload.getByTestId("redaction-marker")).toHaveText("[PHONE]");
    await expect(payload).toContainText("phone");

    const html = await page.content();
    expect(html).not.toContain(email);
    expect(html).not.toContain(phone);
    expect(html).not.toContain("7946");
    await expect(page.locator("body")).not.toContainText(email);
  });

  test("an event whose payload is HTML is rendered as text, never as markup", async ({ page, request }) => {
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const token = unique("xss");
    const id = unique("e2e-xss-");
    const secret = await createIngestKey(page, `xss ${token}`);
    await ingest(request, secret, [
      { id, type: "system", timestamp: ago(5), name: `render-probe-${token}`, component: "web", message: XSS, attributes: { html: XSS, nested: { snippet: XSS } } },
    ]);

    await page.goto(`/admin/logs?q=${token}`);
    await expectCount(page, 1);
    const row = page.getByTestId("log-row").first();
    await expect(row).toContainText(XSS);
    await row.click();

    const drawer = page.getByTestId("event-drawer");
    // The classifier leaves the text as it is: it is stored, and shown, literally.
    await expect(drawerField(drawer, "message")).toHaveText(XSS);
    const payload = drawer.getByTestId("event-payload");
    await expect(payload).toContainText(`html: "${XSS}"`);
    await expect(payload).toContainText(`snippet: "${XSS}"`);
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    await expect(page.locator("img[onerror]")).toHaveCount(0);

    await page.reload();
    await expect(drawerField(drawer, "message")).toHaveText(XSS);
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    expect(dialogs).toEqual([]);
  });
});

test.describe("classification rules", () => {
  /** Deletes the rule through the rules table (confirming the dialog), if it is still there. */
  async function deleteRule(page: Page, id: string, name: string) {
    await page.goto("/admin/rules");
    const row = page.getByTestId(`rule-${id}`);
    if ((await row.count()) === 0) return;
    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: `Delete ${name}` }).click();
    await expect(row).toHaveCount(0);
  }

  test("a rule created in the UI redacts the next ingested event; creating and deleting it are audited", async ({ page, request }) => {
    const token = unique("tkt");
    const name = `E2E ticket numbers ${token}`;
    const secret = await createIngestKey(page, `rules ${token}`);

    await page.goto("/admin/rules/new");
    const form = page.getByRole("form", { name: "Rule" });
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Field path").fill("message");
    await form.getByLabel("Regex").fill("TKT-\\d{6}");
    await expect(form.getByLabel("Detector")).toHaveValue("");
    await form.getByLabel("Level").selectOption("confidential");
    await form.getByLabel("Action").selectOption("redact");
    await form.getByLabel("Categories").fill("business.ticket");

    // The tester, with the unsaved rule, shows what it would do.
    const tester = page.getByTestId("rule-tester");
    await tester.getByLabel(/Sample event/).fill(JSON.stringify({ type: "user_action", action: "reply", component: "support", message: "About TKT-654321" }));
    await expect(tester.getByLabel(/Include the rule being edited/)).toBeChecked();
    await tester.getByRole("button", { name: "Test" }).click();
    const verdict = tester.getByTestId("tester-result");
    await expect(verdict).toContainText("business.ticket");
    await expect(verdict.getByTestId("tester-rules")).toContainText(name);

    await form.getByRole("button", { name: "Create rule" }).click();
    await expect(page).toHaveURL(/\/admin\/rules\?created=[0-9a-f-]{36}$/);
    const ruleId = new URL(page.url()).searchParams.get("created")!;
    let deleted = false;
    try {
      const row = page.getByTestId(`rule-${ruleId}`);
      await expect(row).toContainText(name);
      await expect(row).toContainText("/TKT-\\d{6}/");
      await expect(row).toContainText("business.ticket");
      await expect(row).toContainText("Redact");
      await expect(row.getByRole("switch", { name: `${name} enabled` })).toHaveAttribute("aria-checked", "true");

      // The very next event: the process that saved the rule dropped its cached rules at once.
      const id = unique("e2e-ticket-");
      await ingest(request, secret, [
        { id, type: "user_action", timestamp: ago(2), action: "reply_ticket", component: "support", message: `Answered TKT-123456 for ${token}`, purpose: "essential" },
      ]);

      await page.goto(`/admin/logs?q=${token}`);
      await expectCount(page, 1);
      const logRow = page.getByTestId("log-row").first();
      await expect(logRow.getByTestId("redaction-marker")).toHaveText("[REDACTED]");
      await logRow.click();
      const drawer = page.getByTestId("event-drawer");
      await expect(drawerField(drawer, "event_id")).toHaveText(id);
      const message = drawerField(drawer, "message");
      await expect(message).toHaveText(`Answered [REDACTED] for ${token}`);
      await expect(message.getByTestId("redaction-marker")).toHaveText("[REDACTED]");
      await expect(drawer).toContainText("business.ticket");
      await expect(drawer).toContainText("confidential");
      expect(await page.content()).not.toContain("TKT-123456");
      expect(await page.content()).not.toContain("123456");

      await deleteRule(page, ruleId, name);
      deleted = true;
    } finally {
      if (!deleted) await deleteRule(page, ruleId, name);
    }

    await page.goto("/admin/audit?resourceType=classification_rule");
    const table = page.getByTestId("audit-table");
    const entries = table.getByRole("row").filter({ hasText: `classification_rule ${ruleId.slice(0, 8)}` });
    await expect(entries.filter({ has: page.getByRole("cell", { name: "classification_rule.create", exact: true }) })).toHaveCount(1);
    await expect(entries.filter({ has: page.getByRole("cell", { name: "classification_rule.delete", exact: true }) })).toHaveCount(1);
    await expect(entries.first()).toContainText("Ada Admin");
  });
});

test.describe("retention", () => {
  /** The count a policy's preview shows ("3 rows to delete now" → 3). */
  async function previewCount(row: Locator): Promise<number> {
    const text = (await row.getByTestId("policy-preview").textContent()) ?? "";
    const match = /^([\d,]+) rows to delete now/.exec(text.trim());
    expect(match, `preview text: ${text}`).not.toBeNull();
    return Number(match![1]!.replaceAll(",", ""));
  }

  /** Deletes the internal system-events policy through its row (confirming the dialog), if it exists. */
  async function deletePolicy(page: Page) {
    await page.goto("/admin/retention");
    const row = page.getByTestId("policy-internal-system");
    if ((await row.count()) === 0) return;
    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "Delete the policy for internal system events" }).click();
    await expect(row).toHaveCount(0);
  }

  test("a policy's preview counts an expired event, a run deletes it, and all of it is audited", async ({ page, request }) => {
    // Ingested events are at least internal (no rule makes them public), so the policy covers
    // internal system events; its keep days are longer than the demo data's week, so only events
    // older than that — this test's own — are touched.
    const token = unique("ret");
    const name = `E2E retention ${token}`;
    const oldId = unique("e2e-old-");
    const secret = await createIngestKey(page, `retention ${token}`);
    await ingest(request, secret, [{ id: oldId, type: "system", timestamp: ago(20 * 86_400), name: "archive.compacted", component: `retention${token}`, message: `old event ${token}` }]);

    const explorer = `/admin/logs?range=30d&q=${token}`;
    await page.goto(explorer);
    await expectCount(page, 1);
    await expect(page.getByTestId("log-row").first()).toContainText("internal");

    await page.goto("/admin/retention");
    await expect(page.getByTestId("policy-internal-system")).toHaveCount(0);
    const form = page.getByTestId("new-policy");
    await form.getByLabel("Classification").selectOption("internal");
    await form.getByLabel("Events").selectOption("system");
    await form.getByLabel("Keep days").fill("25");
    await form.getByLabel("Then").selectOption("delete");
    await form.getByLabel("Name").fill(name);
    await form.getByRole("button", { name: "Add policy" }).click();

    const row = page.getByTestId("policy-internal-system");
    let deleted = false;
    try {
      await expect(row).toBeVisible();
      await expect(row.getByLabel("Name")).toHaveValue(name);
      await expect(row.getByLabel("Keep days")).toHaveValue("25");
      const policyId = (await row.getByLabel("Keep days").getAttribute("id"))!.replace(/-days$/, "");
      expect(policyId).toMatch(/^[0-9a-f-]{36}$/);
      await expect(form.getByLabel("Name")).toHaveValue("");

      // Kept 25 days, the 20-day-old event is not due; kept 15, it is — the preview follows the input.
      await expect(row.getByTestId("policy-preview")).toHaveText(/^[\d,]+ rows to delete now/);
      const before = await previewCount(row);
      await row.getByLabel("Keep days").fill("15");
      await expect.poll(() => previewCount(row)).toBeGreaterThanOrEqual(before + 1);
      // Saving is a server action (a POST to the page); the reload waits for its answer.
      const saved = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/admin/retention");
      await row.getByRole("button", { name: "Save" }).click();
      expect((await saved).status()).toBe(200);
      await page.reload();
      await expect(row.getByLabel("Keep days")).toHaveValue("15");
      await expect.poll(() => previewCount(row)).toBeGreaterThanOrEqual(1);

      await page.getByRole("button", { name: "Run now" }).click();
      const runs = page.getByTestId("retention-runs");
      const latest = runs.getByRole("row").nth(1);
      await expect(latest).toContainText("run now by Ada Admin", JOB_TIMEOUT);
      await expect(latest).toContainText("succeeded", JOB_TIMEOUT);
      await expect(page.getByTestId("job-progress")).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Run now" })).toBeVisible();
      const outcome = latest.getByRole("listitem").filter({ hasText: name });
      await expect(outcome).toHaveCount(1);
      const deletedCount = Number((await outcome.textContent())!.match(/: ([\d,]+) deleted/)![1]!.replaceAll(",", ""));
      expect(deletedCount).toBeGreaterThanOrEqual(1);
      await page.reload();
      await expect(row.getByTestId("policy-preview")).toHaveText(/^0 rows to delete now/);

      // The expired event is gone from the explorer.
      await page.goto(explorer);
      await expectCount(page, 0);
      await expect(page.getByText("No events match these filters")).toBeVisible();

      await deletePolicy(page);
      deleted = true;

      await page.goto("/admin/audit?resourceType=retention_policy");
      const table = page.getByTestId("audit-table");
      const action = (a: string) => table.getByRole("row").filter({ has: page.getByRole("cell", { name: a, exact: true }) });
      const mine = (a: string) => action(a).filter({ hasText: `retention_policy ${policyId.slice(0, 8)}` });
      await expect(mine("retention_policy.create")).toHaveCount(1);
      await expect(mine("retention_policy.create")).toContainText("Ada Admin");
      await expect(mine("retention_policy.create")).toContainText('"keepDays":25');
      await expect(mine("retention_policy.update")).toHaveCount(1);
      await expect(mine("retention_policy.update")).toContainText('"keepDays":15');
      await expect(mine("retention_policy.delete")).toHaveCount(1);
      await expect(action("retention.run_now").first()).toContainText("Ada Admin");
      const run = action("retention.run").first();
      await expect(run).toContainText("Ada Admin");
      await expect(run).toContainText(/"deleted":[1-9]/);
    } finally {
      if (!deleted) await deletePolicy(page);
    }
  });
});
