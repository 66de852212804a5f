import { expect, test, type Page } from "@playwright/test";
import { storageState } from "./accounts";
import { unique, ago, drawerField, createIngestKey, ingest, expectCount } from "./console-helpers";

// Classification rules end to end: a rule created in the UI redacts the next ingested event.
test.use({ storageState: storageState("admin") });
test.describe.configure({ timeout: 60_000 });

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

  test("the form refuses, in the browser, a regex the RE2 engine cannot run, and accepts one that backtracks in JavaScript", async ({ page }) => {
    await page.goto("/admin/rules/new");
    const form = page.getByRole("form", { name: "Rule" });
    await form.getByLabel("Name", { exact: true }).fill(`E2E lookbehind ${unique("lb")}`);
    const regex = form.getByLabel("Regex");
    await regex.fill("(?<=order )#\\d+");
    await form.getByLabel("Level").selectOption("internal");
    await form.getByLabel("Action").selectOption("classify_only");
    await form.getByRole("button", { name: "Create rule" }).click();
    await expect(page.locator("#rule-matchRegex-error")).toHaveText(/^The regex uses a lookbehind `\(\?<=…\)`, which RE2 does not support .*match the preceding text too/);
    await expect(regex).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/admin\/rules\/new$/);

    // `(a+)+$` would backtrack catastrophically in JavaScript; RE2 runs it in linear time, so the tester takes it.
    await regex.fill("(a+)+$");
    const tester = page.getByTestId("rule-tester");
    await tester.getByLabel(/Sample event/).fill(JSON.stringify({ type: "system", name: "note", message: `${"a".repeat(5000)}!` }));
    await tester.getByRole("button", { name: "Test" }).click();
    await expect(tester.getByTestId("tester-result")).toContainText("internal");
  });
});
