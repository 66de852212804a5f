import { expect, test as setup } from "@playwright/test";
import { ACCOUNTS, storageState, type AccountRole } from "./accounts";

// Signs in once per role through the real login form; specs reuse the saved sessions.
for (const role of Object.keys(ACCOUNTS) as AccountRole[]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    const account = ACCOUNTS[role];
    await page.goto("/login");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`${account.home}$`));
    await expect(page.getByTestId("current-user")).toHaveText(account.name);
    await page.context().storageState({ path: storageState(role) });
  });
}
