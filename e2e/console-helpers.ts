import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";

// Shared by the console specs (logs, rules, retention): events are sent through the events API with a
// key created in the UI; every test works only with its own uniquely named events.
export const XSS = "<img src=x onerror=alert(1)>";
export const JOB_TIMEOUT = { timeout: 20_000 };

/** A word no other event contains: lower-case letters and digits only, so search sees one token. */
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export interface WireEvent {
  id: string;
  type: "user_action" | "ai_interaction" | "api_request" | "error" | "system";
  timestamp: string;
  subject?: string;
  action?: string;
  name?: string;
  component?: string;
  message?: string;
  attributes?: Record<string, unknown>;
  purpose?: string;
  http?: Record<string, unknown>;
}

/** `seconds` ago, as the ISO timestamp the events API takes (distinct times keep the row order known). */
export const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

/** Creates an ingest key through the API keys page and returns its one-time secret. */
export async function createIngestKey(page: Page, label: string): Promise<string> {
  await page.goto("/admin/api-keys");
  await page.getByLabel("Name").fill(`E2E console ${label}`);
  await expect(page.getByLabel(/ingest/)).toBeChecked();
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("new-key-secret").textContent())!.trim();
  expect(secret).toMatch(/^clk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "Done" }).click();
  return secret;
}

/** Sends `events` through POST /api/v1/events and expects every one accepted. */
export async function ingest(request: APIRequestContext, secret: string, events: WireEvent[]) {
  const response = await request.post("/api/v1/events", { headers: { Authorization: `Bearer ${secret}` }, data: { events } });
  const body = await response.json();
  expect(response.status(), JSON.stringify(body)).toBe(200);
  expect(body).toMatchObject({ accepted: events.length, duplicates: 0, dropped: 0, rejected: 0 });
}

/** The explorer's event count ("2 events", "1 events"…): exactly `n`, all loaded. */
export async function expectCount(page: Page, n: number) {
  await expect(page.getByTestId("log-count")).toHaveText(new RegExp(`^${n} events?$`));
  await expect(page.getByTestId("log-row")).toHaveCount(n);
}

/** The value shown next to a field name in the drawer's typed fields. */
export const drawerField = (drawer: Locator, name: string) => drawer.locator("dt", { hasText: new RegExp(`^${name}$`) }).locator("xpath=following-sibling::dd[1]");
