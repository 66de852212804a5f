import { overrideEnv } from "@/lib/env";
import { startThrowawayPostgres, testServerUrl } from "./test-database";

// The db project's global setup: without TEST_DATABASE_URL or DATABASE_URL, one embedded PostgreSQL
// serves the whole run, and each test file creates its own database on it as on any server. The
// workers inherit TEST_DATABASE_URL, set here before they start.
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (testServerUrl()) return undefined;
  const server = await startThrowawayPostgres();
  const restore = overrideEnv({ TEST_DATABASE_URL: server.url });
  return async () => {
    restore();
    await server.stop();
  };
}
