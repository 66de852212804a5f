import { expect, test, type Locator, type Page } from "@playwright/test";
import { storageState } from "./accounts";
import { JOB_TIMEOUT, unique, ago, createIngestKey, ingest, expectCount } from "./console-helpers";

// Retention end to end: a policy's preview, a run, and the audit trail.
test.use({ storageState: storageState("admin") });
test.describe.configure({ timeout: 60_000 });

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
