import { expect, test } from "@playwright/test";
import { storageState } from "./accounts";

test.use({ storageState: storageState("end_user") });

test("an end user withdraws and grants a purpose; the choice holds and is in the history", async ({ page }) => {
  await page.goto("/privacy");
  const analytics = page.getByTestId("purpose-analytics").getByRole("switch");
  const start = (await analytics.getAttribute("aria-checked")) === "true";

  await analytics.click();
  await expect(analytics).toHaveAttribute("aria-checked", String(!start));
  await page.reload();
  await expect(analytics).toHaveAttribute("aria-checked", String(!start));
  await analytics.click();
  await expect(analytics).toHaveAttribute("aria-checked", String(start));

  const history = page.getByTestId("consent-history");
  await expect(history.getByRole("row").filter({ hasText: "Product analytics" }).filter({ hasText: "you withdrew it" }).first()).toBeVisible();
  await expect(history.getByRole("row").filter({ hasText: "Product analytics" }).filter({ hasText: "you granted it" }).first()).toBeVisible();
  await expect(page.getByTestId("purpose-essential").getByRole("switch")).toBeDisabled();
});

test("a browser with Global Privacy Control is opted out of marketing, recorded and told so", async ({ page, browser }) => {
  // First grant marketing without the signal, so the signal has something to withdraw.
  await page.goto("/privacy");
  const marketing = page.getByTestId("purpose-marketing").getByRole("switch");
  if ((await marketing.getAttribute("aria-checked")) === "false") await marketing.click();
  await expect(marketing).toHaveAttribute("aria-checked", "true");

  const gpcContext = await browser.newContext({ storageState: storageState("end_user"), extraHTTPHeaders: { "Sec-GPC": "1" } });
  const gpcPage = await gpcContext.newPage();
  await gpcPage.goto("/privacy");
  await expect(gpcPage.getByTestId("gpc-notice")).toContainText("opted out of Marketing");
  const row = gpcPage.getByTestId("purpose-marketing");
  await expect(row.getByRole("switch")).toHaveAttribute("aria-checked", "false");
  await expect(row).toContainText("Global Privacy Control");
  await expect(gpcPage.getByTestId("consent-history").getByRole("row").filter({ hasText: "Marketing" }).filter({ hasText: "Global Privacy Control" }).first()).toBeVisible();
  await gpcContext.close();
});
