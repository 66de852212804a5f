import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumPath } from "./e2e/chromium";
import { env } from "./lib/env";
import { e2eSinkPorts } from "./test/support/e2e-sink-ports";

const baseURL = `http://127.0.0.1:${env().CLEARLOG_E2E_PORT}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", testMatch: /.*\.spec\.ts/, dependencies: ["setup"] },
  ],
  webServer: [
    {
      // The webhook receiver and SMTP sink the e2e server delivers to (test/support/e2e-sinks.ts).
      command: "tsx test/support/e2e-sinks.ts",
      url: `http://127.0.0.1:${e2eSinkPorts().http}/health`,
      timeout: 60_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      command: "tsx --conditions=react-server scripts/e2e-server.ts",
      url: `${baseURL}/api/health`,
      // The first start builds the app: minutes on two busy cores.
      timeout: 900_000,
      reuseExistingServer: false,
      // SIGTERM, so the server stops its embedded PostgreSQL and drops its database (a SIGKILL left them behind).
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
