import { expect, test } from "@playwright/test";
import { storageState } from "./accounts";
import { XSS, unique, ago, drawerField, createIngestKey, ingest, expectCount } from "./console-helpers";

// The logs explorer end to end: search, filters, the URL, the drawer, redaction, untrusted HTML.
test.use({ storageState: storageState("admin") });
test.describe.configure({ timeout: 60_000 });

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
