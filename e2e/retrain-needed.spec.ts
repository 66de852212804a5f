import { expect, test, type APIRequestContext } from "@playwright/test";
import { storageState } from "./accounts";
import { JOB_TIMEOUT, unique } from "./console-helpers";

// The console's "Retrain needed" view end to end, with two people of its own (no demo user) whose only
// events fall on a day no other spec extracts (30 days ago: ingest takes events up to 30 days old, the
// extraction form starts 29 days back and the demo data spans a week), so its feature set holds them
// alone and their withdrawal makes no other spec's set stale: a version trained on
// their set goes to production → one of them withdraws AI training → the version is listed → the set
// is rebuilt → the one action of the row opens the rebuilt set.
test.describe.configure({ mode: "serial", timeout: 120_000 });

const run = unique("retrain");
const modelName = `e2e-${run}`;
// Late on the day 30 days ago: still under 30 days old unless the spec runs in the last minutes of a UTC day.
const DAY = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
const people = [`${run}-stays`, `${run}-leaves`];
let secret = "";
let setId = "";

async function consent(request: APIRequestContext, subject: string, purposes: Record<string, boolean>) {
  const response = await request.put("/api/v1/consent", { headers: { Authorization: `Bearer ${secret}` }, data: { subject, purposes } });
  expect(response.status(), await response.text()).toBe(200);
}

test.describe("retrain needed", () => {
  test("two people of this spec consent to AI training and use the product on one day", async ({ browser, request }) => {
    const admin = await browser.newContext({ storageState: storageState("admin") });
    const page = await admin.newPage();
    await page.goto("/admin/api-keys");
    await page.getByLabel("Name").fill(`E2E retrain ${run}`);
    await page.getByLabel(/^consent/).check();
    await page.getByRole("button", { name: "Create key" }).click();
    secret = (await page.getByTestId("new-key-secret").textContent())!.trim();
    await admin.close();

    // Analytics too: without it, their user actions would be stored without the person.
    for (const person of people) await consent(request, person, { analytics: true, ai_training: true });
    const events = people.map((person, i) => ({ id: `${person}-1`, type: "user_action", action: "search", subject: person, sessionId: `${person}-s`, timestamp: `${DAY}T23:5${i}:00.000Z` }));
    const response = await request.post("/api/v1/events", { headers: { Authorization: `Bearer ${secret}` }, data: { events } });
    expect(response.status(), await response.text()).toBe(200);
  });

  test("a version in production whose set lost consent is listed, and its action opens the rebuilt set", async ({ browser, request }) => {
    const context = await browser.newContext({ storageState: storageState("data_scientist") });
    const page = await context.newPage();

    await page.goto("/admin/training");
    await page.getByLabel("Feature type").selectOption("user_behavior");
    await page.getByLabel("From (UTC)").fill(DAY);
    await page.getByLabel("To, inclusive (UTC)").fill(DAY);
    await page.getByRole("button", { name: "Extract features" }).click();
    await expect(page).toHaveURL(/\/admin\/training\/[0-9a-f-]{36}$/);
    setId = page.url().split("/").at(-1)!;
    await expect(page.getByText("Ready", { exact: true })).toBeVisible(JOB_TIMEOUT);

    await page.getByRole("link", { name: "Register a model version" }).click();
    await page.getByLabel("Model name").fill(modelName);
    await page.getByLabel("Model type").fill("classifier");
    await page.getByLabel("Version (semantic)").fill("1.0.0");
    await page.getByRole("button", { name: "Register version" }).click();
    await expect(page).toHaveURL(/\/admin\/models\/[0-9a-f-]{36}\/versions\/[0-9a-f-]{36}$/);
    await page.getByRole("link", { name: `← ${modelName}` }).click();
    await page.getByLabel("Alias").fill("production");
    await page.getByLabel("Version", { exact: true }).selectOption({ label: "1.0.0" });
    await page.getByRole("button", { name: "Set alias" }).click();
    await expect(page.getByTestId("aliases")).toContainText("production");

    // Before anyone leaves, the version is not listed.
    await page.goto("/admin/models/retrain-needed");
    const row = page.getByTestId(`retrain-${modelName}-1.0.0`);
    await expect(page.getByRole("heading", { name: "Retrain needed" })).toBeVisible();
    await expect(row).toHaveCount(0);

    await consent(request, people[1]!, { ai_training: false });
    await page.reload();
    await expect(row).toBeVisible();
    await expect(row).toContainText("production");
    await expect(row).toContainText("User behavior");
    await expect(row.getByRole("cell").nth(3)).toHaveText(/1$/); // one person left
    // No rebuilt set yet: the row offers the stale set, to rebuild it.
    await expect(row.getByTestId("open-rebuilt-set")).toHaveCount(0);
    await row.getByRole("link", { name: "Rebuild it" }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/training/${setId}$`));
    await page.getByRole("button", { name: "Rebuild without them" }).click();
    await expect(page).not.toHaveURL(new RegExp(`/admin/training/${setId}$`));
    await expect(page).toHaveURL(/\/admin\/training\/[0-9a-f-]{36}$/);
    const rebuiltId = page.url().split("/").at(-1)!;
    await expect(page.getByText("Ready", { exact: true })).toBeVisible(JOB_TIMEOUT);

    // The one action of the row opens the rebuilt set.
    await page.goto("/admin/models/retrain-needed");
    await expect(row).toBeVisible();
    await row.getByTestId("open-rebuilt-set").click();
    await expect(page).toHaveURL(new RegExp(`/admin/training/${rebuiltId}$`));
    await expect(page.getByText("Ready", { exact: true })).toBeVisible();
    await context.close();
  });
});
