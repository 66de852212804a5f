import { expect, test } from "@playwright/test";
import { storageState } from "./accounts";

const ADMIN_ONLY = ["/admin", "/admin/api-keys", "/admin/audit", "/admin/privacy-requests", "/admin/consent", "/admin/rules", "/admin/retention", "/admin/users", "/admin/privacy-requests/new", "/admin/webhooks"];
const SCIENTIST_PAGES = ["/admin/logs", "/admin/training", "/admin/models"];

test.describe("strangers", () => {
  test("are sent to the login page from every guarded page", async ({ page }) => {
    for (const path of [...ADMIN_ONLY, ...SCIENTIST_PAGES, "/privacy"]) {
      await page.goto(path);
      await expect(page).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(path)}$`));
    }
  });
});

test.describe("end users", () => {
  test.use({ storageState: storageState("end_user") });

  test("reach only the privacy portal", async ({ page }) => {
    await page.goto("/privacy");
    await expect(page.getByRole("heading", { name: "Hello, Uma User" })).toBeVisible();
    for (const path of [...ADMIN_ONLY, ...SCIENTIST_PAGES]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    }
    // Dataset downloads are checked on the server too, before anything is looked up.
    const download = await page.request.get("/admin/training/00000000-0000-4000-8000-000000000000/files/features.csv");
    expect(download.status()).toBe(403);
  });
});

test.describe("data scientists", () => {
  test.use({ storageState: storageState("data_scientist") });

  test("reach training data, models and read-only logs, nothing else", async ({ page }) => {
    for (const path of SCIENTIST_PAGES) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
    }
    const nav = page.getByRole("navigation", { name: "Console" });
    await expect(nav.getByRole("link")).toHaveText(["Logs", "Training data", "Models"]);
    for (const path of [...ADMIN_ONLY, "/privacy"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
    }
  });
});

test.describe("admins", () => {
  test.use({ storageState: storageState("admin") });

  test("reach every console section but not the end-user portal", async ({ page }) => {
    for (const path of [...ADMIN_ONLY, ...SCIENTIST_PAGES]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
    }
    const nav = page.getByRole("navigation", { name: "Console" });
    await expect(nav.getByRole("link")).toHaveCount(13);
    const portal = await page.goto("/privacy");
    expect(portal?.status()).toBe(403);
  });
});
