import { chromium, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumPath } from "../e2e/chromium";

// `npm run screenshots` against a running demo (npm start): refreshes the pictures in docs/.
const base = process.argv[2] ?? "http://localhost:3000";
const out = "docs/screenshots";

async function login(page: Page, email: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** Streamed sections show a skeleton first; wait until none is left. */
async function settled(page: Page) {
  await page.waitForLoadState("networkidle");
  await page.locator('[aria-busy="true"]').first().waitFor({ state: "detached" }).catch(() => {});
}

async function main() {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  await page.goto(`${base}/login`);
  await page.screenshot({ path: `${out}/login.png` });
  await login(page, "admin@clearlog.demo", "demo-admin-pass");
  for (const [path, name] of [
    ["/admin", "dashboard"],
    ["/admin/api-keys", "api-keys"],
    ["/admin/audit", "audit-log"],
    ["/admin/consent", "consent"],
    ["/admin/privacy-requests", "privacy-requests"],
    ["/admin/users", "users"],
    ["/admin/rules", "rules"],
    ["/admin/retention", "retention"],
    ["/admin/webhooks", "webhooks"],
  ] as const) {
    await page.goto(`${base}${path}`);
    await settled(page);
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  }
  await page.goto(`${base}/admin/logs?range=7d`);
  await page.getByTestId("log-row").first().waitFor();
  await page.screenshot({ path: `${out}/logs.png` });
  await page.getByTestId("log-row").filter({ hasText: "chat" }).first().click();
  await page.getByTestId("event-payload").waitFor();
  await page.screenshot({ path: `${out}/logs-drawer.png` });
  const scientist = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  await login(scientist, "scientist@clearlog.demo", "demo-scientist-pass");
  await scientist.goto(`${base}/admin/training`);
  await scientist.screenshot({ path: `${out}/training.png`, fullPage: true });
  await scientist.getByTestId("feature-sets").getByRole("link", { name: "AI usage" }).first().click();
  await scientist.waitForURL(/\/admin\/training\/[0-9a-f-]{36}$/);
  await settled(scientist);
  await scientist.screenshot({ path: `${out}/feature-set.png`, fullPage: true });
  await scientist.goto(`${base}/admin/models`);
  await scientist.getByRole("link", { name: "support-assistant" }).click();
  await scientist.waitForURL(/\/admin\/models\/[0-9a-f-]{36}$/);
  await settled(scientist);
  await scientist.screenshot({ path: `${out}/model.png`, fullPage: true });
  await scientist.getByTestId("versions").getByRole("link", { name: "1.0.0" }).click();
  await scientist.waitForURL(/\/versions\//);
  await settled(scientist);
  await scientist.screenshot({ path: `${out}/model-version.png`, fullPage: true });
  await scientist.goto(`${base}/admin/models/retrain-needed`);
  await settled(scientist);
  await scientist.screenshot({ path: `${out}/retrain-needed.png`, fullPage: true });
  const portal = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await login(portal, "user@clearlog.demo", "demo-user-pass");
  await portal.screenshot({ path: `${out}/privacy-portal.png`, fullPage: true });
  const mobile = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await login(mobile, "admin@clearlog.demo", "demo-admin-pass");
  await settled(mobile);
  await mobile.screenshot({ path: `${out}/dashboard-mobile.png`, fullPage: true });
  for (const [path, name] of [
    ["/admin/privacy-requests", "privacy-requests-mobile"],
    ["/admin/users", "users-mobile"],
    ["/admin/webhooks", "webhooks-mobile"],
    ["/admin/models/retrain-needed", "retrain-needed-mobile"],
  ] as const) {
    await mobile.goto(`${base}${path}`);
    await settled(mobile);
    await mobile.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  }
  const mobilePortal = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await login(mobilePortal, "user@clearlog.demo", "demo-user-pass");
  await settled(mobilePortal);
  await mobilePortal.screenshot({ path: `${out}/privacy-portal-mobile.png`, fullPage: true });
  await browser.close();
  console.log(`screenshots written to ${out}/`);
}

void main();
