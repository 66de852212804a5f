import { expect, test } from "@playwright/test";
import { storageState } from "./accounts";
import { unique } from "./console-helpers";

// The model price table in the console: seeded prices listed, a new one added, edited and deleted.
test.use({ storageState: storageState("admin") });

test("admins see the seeded prices and add, edit and delete one", async ({ page }) => {
  const model = unique("acme-");
  await page.goto("/admin/prices");
  await expect(page.getByTestId("price-gpt-4o").getByLabel("Input $/M")).toHaveValue("2.5");
  await expect(page.getByTestId("price-gpt-4o").getByLabel("Output $/M")).toHaveValue("10");

  const form = page.getByTestId("new-price");
  await form.getByLabel("Model or prefix").fill(model);
  await form.getByLabel("Provider").fill("acme");
  await form.getByLabel("Input $/M").fill("4");
  await form.getByLabel("Output $/M").fill("12");
  await form.getByRole("button", { name: "Add price" }).click();
  const row = page.getByTestId(`price-${model}`);
  await expect(row.getByLabel("Output $/M")).toHaveValue("12");

  await row.getByLabel("Output $/M").fill("16");
  // The action's answer must arrive before the reload, or the reload races the save.
  const saved = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/admin/prices"));
  await row.getByRole("button", { name: "Save" }).click();
  await saved;
  await page.reload();
  await expect(page.getByTestId(`price-${model}`).getByLabel("Output $/M")).toHaveValue("16");

  await form.getByLabel("Model or prefix").fill("gpt-4o");
  await form.getByRole("button", { name: "Add price" }).click();
  await expect(form.getByRole("alert")).toContainText("There is already a price for gpt-4o; edit that one.");

  page.once("dialog", (d) => void d.accept());
  await page.getByTestId(`price-${model}`).getByRole("button", { name: `Delete the price of ${model}` }).click();
  await expect(page.getByTestId(`price-${model}`)).toHaveCount(0);
});

test.describe("as a data scientist", () => {
  test.use({ storageState: storageState("data_scientist") });
  test("the prices page is refused", async ({ page }) => {
    const response = await page.goto("/admin/prices");
    expect(response?.status()).toBe(403);
  });
});
