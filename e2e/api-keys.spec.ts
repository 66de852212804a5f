import { expect, test } from "@playwright/test";
import { storageState } from "./accounts";

test.use({ storageState: storageState("admin") });

test("an admin creates a key, sees it once, and revokes it; the audit log records both", async ({ page, request }) => {
  const name = `E2E key ${Date.now()}`;
  await page.goto("/admin/api-keys");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel(/consent/).check();
  await page.getByRole("button", { name: "Create key" }).click();

  const secret = (await page.getByTestId("new-key-secret").textContent())!.trim();
  expect(secret).toMatch(/^clk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  const prefix = secret.slice(0, 12);

  const row = page.getByTestId(`api-key-${prefix}`);
  await expect(row).toContainText(name);
  await expect(row).toContainText("ingest");
  await expect(row).toContainText("consent");
  await expect(row).toContainText("Never");
  await expect(page.getByText(secret.slice(13))).toHaveCount(1); // only in the one-time panel
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-key-secret")).toHaveCount(0);
  await page.reload();
  await expect(page.locator("body")).not.toContainText(secret.slice(13));

  const ok = await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ key: prefix, scopes: ["ingest", "consent"] });

  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(row).toContainText("Revoked");

  const refused = await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error).toBe("Invalid or revoked API key");

  await page.goto("/admin/audit?resourceType=api_key");
  const table = page.getByTestId("audit-table");
  await expect(table.getByRole("row").filter({ hasText: "api_key.create" }).filter({ hasText: prefix })).toHaveCount(1);
  await expect(table.getByRole("row").filter({ hasText: "api_key.revoke" }).first()).toContainText("Ada Admin");
  await expect(table).not.toContainText(secret.slice(13));

  await page.goto("/admin/audit?action=api_key.revoke&outcome=success");
  await expect(page.getByLabel("Action")).toHaveValue("api_key.revoke");
  await expect(table.getByRole("row").filter({ hasText: "api_key.create" })).toHaveCount(0);
});

test("the create form refuses a key without a name or scope", async ({ page }) => {
  await page.goto("/admin/api-keys");
  await page.getByLabel(/ingest/).uncheck();
  await page.getByLabel("Name").fill("No scopes");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("form-error")).toContainText("Choose at least one scope");
});

test("malformed API key headers get a clear 401, never a 500", async ({ request }) => {
  const cases: [Record<string, string>, RegExp][] = [
    [{}, /^Missing API key/],
    [{ Authorization: "Basic abc" }, /Malformed Authorization header/],
    [{ Authorization: "Bearer" }, /Malformed Authorization header/],
    [{ Authorization: "Bearer not-a-key" }, /Malformed API key/],
    [{ Authorization: `Bearer clk_00000000_${"a".repeat(43)}` }, /Invalid or revoked API key/],
  ];
  for (const [headers, message] of cases) {
    const response = await request.get("/api/v1/whoami", { headers });
    expect(response.status()).toBe(401);
    expect((await response.json()).error).toMatch(message);
  }
});
