import { readFile } from "node:fs/promises";
import { strFromU8, unzipSync } from "fflate";
import { expect, test, type Page } from "@playwright/test";
import { SECOND_END_USER, storageState } from "./accounts";

// One person's rights end to end: withdrawing consent, taking a copy of their data, having it erased.
// Only Eli (user-1002) is used: the other specs run in parallel and work with Uma.
test.describe.configure({ mode: "serial", timeout: 90_000 });

const JOB_TIMEOUT = { timeout: 20_000 };
const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
/** Sent for Eli after she withdrew analytics: accepted, but stored without any link to her. */
const analyticsEventId = `e2e-rights-analytics-${run}`;
/** Sent for Eli in the same batch: essential processing needs no consent, so it stays hers. */
const essentialEventId = `e2e-rights-essential-${run}`;
/** The download address of Eli's archive, checked again after the erasure. */
let archiveUrl = "";

/** Signs Eli in through the login form, in the test's own fresh browser context. */
async function signInAsEli(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(SECOND_END_USER.email);
  await page.getByLabel("Password").fill(SECOND_END_USER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/privacy$/);
  await expect(page.getByTestId("current-user")).toHaveText(SECOND_END_USER.name);
}

interface ExportedArchive {
  format: string;
  subject: { id?: string; restricted: boolean };
  events: { event_id: string; purpose: string | null }[];
}

test.describe("a person's privacy rights, from the privacy center to the admin and back", () => {
  test("Eli withdraws analytics; the next analytics event sent for her is accepted (and stored unlinked)", async ({ page, browser, request }) => {
    await signInAsEli(page);
    const analytics = page.getByTestId("purpose-analytics").getByRole("switch");
    if ((await analytics.getAttribute("aria-checked")) === "false") {
      await analytics.click();
      await expect(analytics).toHaveAttribute("aria-checked", "true");
    }
    await analytics.click();
    await expect(analytics).toHaveAttribute("aria-checked", "false");
    await page.reload();
    await expect(analytics).toHaveAttribute("aria-checked", "false");
    await expect(
      page.getByTestId("consent-history").getByRole("row").filter({ hasText: "Product analytics" }).filter({ hasText: "you withdrew it" }).first(),
    ).toBeVisible();

    // The admin creates an ingest key in the UI; its secret is shown once.
    const admin = await browser.newContext({ storageState: storageState("admin") });
    const adminPage = await admin.newPage();
    await adminPage.goto("/admin/api-keys");
    await adminPage.getByLabel("Name").fill(`E2E privacy rights ${run}`);
    await expect(adminPage.getByLabel(/ingest/)).toBeChecked();
    await adminPage.getByRole("button", { name: "Create key" }).click();
    const secret = (await adminPage.getByTestId("new-key-secret").textContent())!.trim();
    expect(secret).toMatch(/^clk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    await admin.close();

    const timestamp = new Date().toISOString();
    const response = await request.post("/api/v1/events", {
      headers: { Authorization: `Bearer ${secret}` },
      data: {
        events: [
          { id: analyticsEventId, type: "user_action", timestamp, subject: SECOND_END_USER.subject, action: "open_report", component: "reports", purpose: "analytics" },
          { id: essentialEventId, type: "user_action", timestamp, subject: SECOND_END_USER.subject, action: "sign_in", component: "auth", purpose: "essential" },
        ],
      },
    });
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ accepted: 2, duplicates: 0, dropped: 0, rejected: 0 });
    expect(body.results).toEqual([
      { id: analyticsEventId, status: "accepted" },
      { id: essentialEventId, status: "accepted" },
    ]);
  });

  test("Eli downloads her data: the archive holds her essential event but not the analytics one", async ({ page }) => {
    await signInAsEli(page);
    await expect(page.getByTestId("ready-exports")).toHaveCount(0);
    await page.getByRole("button", { name: "Download my data" }).click();
    const progress = page.getByTestId("job-progress");
    await expect(progress).toBeVisible();
    await expect(progress.getByRole("progressbar", { name: "Preparing your archive" })).toBeVisible();

    const ready = page.getByTestId("ready-exports");
    await expect(ready).toBeVisible(JOB_TIMEOUT);
    await expect(progress).toHaveCount(0);
    await expect(ready.getByRole("listitem")).toHaveCount(1);
    const link = ready.getByRole("link", { name: "Download" });
    archiveUrl = (await link.getAttribute("href"))!;
    expect(archiveUrl).toMatch(/^\/privacy\/exports\/[0-9a-f-]{36}$/);

    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.zip$/);
    // A ZIP: a readable summary and the machine-readable JSON.
    const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
    expect(Object.keys(files).sort()).toEqual(["my-data.json", "summary.html"]);
    expect(strFromU8(files["summary.html"]!)).toContain(SECOND_END_USER.subject);
    const archive = JSON.parse(strFromU8(files["my-data.json"]!)) as ExportedArchive;
    expect(archive.format).toBe("clearlog.subject-export/2");
    expect(archive.subject.id).toBe(SECOND_END_USER.subject);
    const ids = archive.events.map((e) => e.event_id);
    expect(ids).toContain(essentialEventId);
    expect(archive.events.find((e) => e.event_id === essentialEventId)?.purpose).toBe("essential");
    // Accepted, yet not hers: it was stored without any link to her, because she had withdrawn analytics.
    expect(ids).not.toContain(analyticsEventId);
    await expect(ready).toContainText(`${archive.events.length.toLocaleString("en")} events`);
  });

  test("Eli asks for erasure, an admin carries it out, her data is gone and she sees the receipt", async ({ page, browser }) => {
    expect(archiveUrl, "the download test ran first").not.toBe("");
    const details = `Please erase everything about me (${run})`;
    await signInAsEli(page);
    await page.getByLabel("What would you like us to do?").selectOption("erasure");
    await page.getByLabel("Details (optional)").fill(details);
    await page.getByRole("button", { name: "Send request" }).click();
    const mine = page.getByTestId("my-requests").getByRole("listitem").filter({ has: page.getByText("Erasure", { exact: true }) });
    await expect(mine).toHaveCount(1);
    await expect(mine).toContainText("Received");
    await expect(mine).toContainText("answer due by");

    const admin = await browser.newContext({ storageState: storageState("admin") });
    const adminPage = await admin.newPage();
    await adminPage.goto("/admin/privacy-requests?status=received");
    // The queue is sorted by due date: the request just sent is the last erasure received.
    await adminPage.getByTestId("request-queue").getByRole("link", { name: "Erasure", exact: true }).last().click();
    await expect(adminPage.getByRole("heading", { name: "Erasure" })).toBeVisible();
    await expect(adminPage.getByText(details)).toBeVisible();
    await adminPage.getByRole("button", { name: "Mark verified" }).click();
    await adminPage.getByRole("button", { name: "Start erasure" }).click();
    await adminPage.getByRole("dialog", { name: "Erase this person's data?" }).getByRole("button", { name: "Erase everything" }).click();
    const progress = adminPage.getByTestId("job-progress");
    await expect(progress).toBeVisible();
    await expect(progress.getByRole("progressbar", { name: "Erasure" })).toBeVisible();
    await expect(progress).toHaveAttribute("data-status", "succeeded", JOB_TIMEOUT);
    const adminReceipt = adminPage.getByTestId("erasure-receipt");
    await expect(adminReceipt).toBeVisible(JOB_TIMEOUT);
    const erasedEvents = adminReceipt.getByRole("listitem").filter({ hasText: "events deleted" });
    await expect(erasedEvents).toHaveCount(1);
    const count = Number((await erasedEvents.textContent())!.replace(/[^0-9]/g, ""));
    expect(count).toBeGreaterThan(0);
    await expect(adminPage.getByText("This request is closed.")).toBeVisible();

    await page.reload();
    await expect(mine).toContainText("Completed");
    const receipt = mine.getByTestId("erasure-receipt");
    await expect(receipt).toBeVisible();
    await expect(receipt.getByRole("listitem").filter({ hasText: "events deleted" })).toContainText(count.toLocaleString("en"));
    await expect(page.getByTestId("erased-notice")).toContainText("Your data was erased");
    await expect(page.getByText("We hold no data about you")).toBeVisible();
    await expect(page.getByTestId("purpose-analytics")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Download my data" })).toBeDisabled();
    await expect(page.getByTestId("ready-exports")).toHaveCount(0);
    const gone = await page.request.get(archiveUrl);
    expect(gone.status()).toBe(404);

    await adminPage.goto("/admin/audit?resourceType=privacy_request");
    await expect(adminPage.getByTestId("audit-table").getByRole("row").filter({ hasText: "privacy_request.erasure_completed" }).first()).toBeVisible();
    await admin.close();
  });
});
