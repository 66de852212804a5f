import { readFile } from "node:fs/promises";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { storageState, THIRD_END_USER } from "./accounts";
import { ago, JOB_TIMEOUT, unique } from "./console-helpers";

// The training pipeline end to end, with Noor (user-1003), whom no other spec uses:
// Noor grants AI training → a data scientist extracts user behavior, sees who was left out and
// why, downloads the Parquet file → registers a model on the set and makes it production →
// Noor withdraws → the version shows it contains withdrawn data → feedback sent through the API
// appears on the version's page.
test.describe.configure({ mode: "serial", timeout: 120_000 });

const run = unique("train");
const modelName = `e2e-${run}`;
let secret = "";
let featureSetUrl = "";
let versionUrl = "";

async function asNoor(browser: Browser, action: (page: Page) => Promise<void>) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(THIRD_END_USER.email);
  await page.getByLabel("Password").fill(THIRD_END_USER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/privacy$/);
  await action(page);
  await context.close();
}

async function setTraining(page: Page, granted: boolean) {
  const training = page.getByTestId("purpose-ai_training").getByRole("switch");
  if ((await training.getAttribute("aria-checked")) !== String(granted)) await training.click();
  await expect(training).toHaveAttribute("aria-checked", String(granted));
  await page.reload();
  await expect(training).toHaveAttribute("aria-checked", String(granted));
}

test.describe("training data, from consent to a model and its feedback", () => {
  test("Noor grants AI training and uses the product", async ({ browser, request }) => {
    await asNoor(browser, (page) => setTraining(page, true));
    const admin = await browser.newContext({ storageState: storageState("admin") });
    const page = await admin.newPage();
    await page.goto("/admin/api-keys");
    await page.getByLabel("Name").fill(`E2E training ${run}`);
    await page.getByLabel(/feedback/).check();
    await page.getByRole("button", { name: "Create key" }).click();
    secret = (await page.getByTestId("new-key-secret").textContent())!.trim();
    await admin.close();
    const response = await request.post("/api/v1/events", {
      headers: { Authorization: `Bearer ${secret}` },
      data: { events: [{ id: `${run}-1`, type: "user_action", action: "search", component: "web", subject: THIRD_END_USER.subject, sessionId: `${run}-s`, timestamp: ago(60) }] },
    });
    expect(response.status()).toBe(200);
  });

  test("a data scientist extracts user behavior, sees the consent exclusions and downloads a Parquet file that parses", async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageState("data_scientist") });
    const page = await context.newPage();
    await page.goto("/admin/training");
    await page.getByLabel("Feature type").selectOption("user_behavior");
    await page.getByRole("button", { name: "Extract features" }).click();
    await expect(page).toHaveURL(/\/admin\/training\/[0-9a-f-]{36}$/);
    featureSetUrl = page.url();
    await expect(page.getByText("Ready", { exact: true })).toBeVisible(JOB_TIMEOUT);

    // Demo people who never granted training consent (the other two demo accounts among them) are counted out.
    const exclusions = page.getByTestId("exclusions");
    await expect(exclusions).toContainText("never granted AI training consent");
    await expect(page.getByRole("img", { name: /Subjects included and excluded: Included \d+/ })).toBeVisible();
    const digest = (await page.getByTestId("digest").textContent())!.replace("sha256:", "").trim();
    expect(digest).toMatch(/^[0-9a-f]{64}$/);

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Parquet" }).click();
    const file = await (await download).path();
    const bytes = await readFile(file);
    const { parquetMetadata, parquetReadObjects } = await import("hyparquet");
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const rows = await parquetReadObjects({ file: buffer });
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(["entity_key", "events", "sessions", "active_days", "error_rate"]));
    const manifest = JSON.parse(parquetMetadata(buffer).key_value_metadata!.find((kv) => kv.key === "clearlog.manifest")!.value!);
    expect(manifest).toMatchObject({ featureType: "user_behavior", digest: { value: digest }, rows: rows.length });
    // Embedded without the member list (the rows name them); manifest.json has it.
    expect(manifest.subjects.pseudonyms).toBeUndefined();
    expect(new Set(rows.map((r) => r.entity_key)).size).toBe(manifest.subjects.included);
    await context.close();
  });

  test("registers a model version on the set and makes it production", async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageState("data_scientist") });
    const page = await context.newPage();
    const setId = featureSetUrl.split("/").at(-1)!;
    await page.goto(featureSetUrl);
    await page.getByRole("link", { name: "Register a model version" }).click();
    await expect(page).toHaveURL(new RegExp(`featureSet=${setId}`));
    await page.getByLabel("Model name").fill(modelName);
    await page.getByLabel("Model type").fill("classifier");
    await page.getByLabel("Version (semantic)").fill("1.0.0");
    await page.getByLabel(/Metrics/).fill("auc = 0.81");
    await page.getByRole("button", { name: "Register version" }).click();
    await expect(page).toHaveURL(/\/admin\/models\/[0-9a-f-]{36}\/versions\/[0-9a-f-]{36}$/);
    versionUrl = page.url();
    await expect(page.getByRole("heading", { name: `${modelName} 1.0.0` })).toBeVisible();
    await expect(page.getByTestId("lineage")).toContainText(setId.slice(0, 8));
    await expect(page.getByTestId("version-status")).toContainText("Clean");

    await page.getByRole("link", { name: `← ${modelName}` }).click();
    await page.getByLabel("Alias").fill("production");
    await page.getByLabel("Version", { exact: true }).selectOption({ label: "1.0.0" });
    await page.getByRole("button", { name: "Set alias" }).click();
    await expect(page.getByTestId("aliases")).toContainText("production");
    await page.goto(versionUrl);
    await expect(page.getByTestId("version-status")).toContainText("production");
    await context.close();

    // Moving the alias was audited.
    const admin = await browser.newContext({ storageState: storageState("admin") });
    const audit = await admin.newPage();
    await audit.goto("/admin/audit?action=model.alias_set");
    await expect(audit.getByRole("row").filter({ hasText: "model.alias_set" }).first()).toBeVisible();
    await admin.close();
  });

  test("Noor withdraws AI training: the model version shows it contains withdrawn data", async ({ browser }) => {
    await asNoor(browser, (page) => setTraining(page, false));
    const context = await browser.newContext({ storageState: storageState("data_scientist") });
    const page = await context.newPage();
    await page.goto(versionUrl);
    await expect(page.getByTestId("version-status")).toContainText("Contains withdrawn data: 1 subject");
    await page.goto(featureSetUrl);
    await expect(page.getByText("Stale", { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Parquet" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Rebuild without them" })).toBeVisible();
    await context.close();
  });

  test("feedback sent through the API appears on the model version's page", async ({ browser, request }) => {
    const correction = `Suggest the export settings first (${run})`;
    const response = await request.post("/api/v1/feedback", {
      headers: { Authorization: `Bearer ${secret}` },
      data: { model: modelName, alias: "production", rating: "down", score: 2, correction, source: "annotator" },
    });
    expect(response.status(), await response.text()).toBe(201);
    const context = await browser.newContext({ storageState: storageState("data_scientist") });
    const page = await context.newPage();
    await page.goto(versionUrl);
    await expect(page.getByText(correction)).toBeVisible();
    await expect(page.getByRole("img", { name: /feedback/i }).first()).toBeVisible();
    await context.close();
  });
});
