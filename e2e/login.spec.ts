import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS } from "./accounts";

/** Submits the login form and waits for the server's answer, so attempts never overlap. */
async function submitLogin(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login"),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  // React resets the form when the action settles, in the same commit that re-enables the button.
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
  await expect(page.getByLabel("Password")).toHaveValue("");
}

test.describe("signing in", () => {
  for (const [role, account] of Object.entries(ACCOUNTS)) {
    test(`${role} lands on their start page and can sign out`, async ({ page }) => {
      await page.goto("/");
      await expect(page).toHaveURL(/\/login$/);
      await page.getByLabel("Email").fill(account.email);
      await page.getByLabel("Password").fill(account.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(new RegExp(`${account.home}$`));
      await expect(page.getByTestId("current-user")).toHaveText(account.name);
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL(/\/login$/);
      await page.goto(account.home);
      await expect(page).toHaveURL(/\/login\?next=/);
    });
  }

  test("wrong credentials are refused with a clear message", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(ACCOUNTS.admin.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("form-error")).toHaveText("Email or password is incorrect.");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("malformed input names the field", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter a valid email address")).toBeVisible();
    await expect(page.getByText("Enter your password")).toBeVisible();
  });

  test("repeated failures are throttled", async ({ page }) => {
    const email = `throttle-${Date.now()}@example.test`;
    await page.goto("/login");
    for (let i = 0; i < 5; i++) {
      await submitLogin(page, email, `wrong-${i}`);
      await expect(page.getByTestId("form-error")).toHaveText("Email or password is incorrect.");
      await expect(page.getByLabel("Email")).toHaveValue(email);
    }
    await submitLogin(page, email, "wrong-again");
    await expect(page.getByTestId("form-error")).toContainText("Too many failed sign-in attempts");
  });

  test("a forged or expired session cookie is treated as signed out", async ({ page, context, baseURL }) => {
    for (const value of ["forged", "A".repeat(43), "x".repeat(3000)]) {
      await context.clearCookies();
      await context.addCookies([{ name: "clearlog_session", value, url: baseURL! }]);
      const response = await page.goto("/admin");
      expect(response?.status()).toBeLessThan(500);
      await expect(page).toHaveURL(/\/login\?next=%2Fadmin$/);
    }
  });
});
