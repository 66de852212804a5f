import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { env } from "../../lib/env";

// The e2e server's database (scripts/e2e-server.ts writes its URL here, readable by this user only),
// for the few specs that must look at storage itself, such as the full-database scan after an erasure.
export function e2eDatabaseUrlFile(port = env().CLEARLOG_E2E_PORT): string {
  return path.join(os.tmpdir(), `clearlog-e2e-${port}.database-url`);
}

/** Runs `work` on a connection to the e2e server's database. */
export async function withE2eDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: readFileSync(e2eDatabaseUrlFile(), "utf8").trim() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
