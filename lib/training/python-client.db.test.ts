import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { childEnv } from "../env";
import { startJobWorker } from "../jobs/worker";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { seedNotebookPopulation, userKey } from "@/test/support/notebook-fixtures";

// The Python client (clients/python) plays the notebook flow against the real API over HTTP:
// its own unittest suite runs in a child process and must pass.
let server: IngestTestServer;

beforeAll(async () => {
  await seedNotebookPopulation();
  await startJobWorker({ pollingIntervalSeconds: 0.5 });
  server = await startIngestServer();
});

afterAll(async () => {
  await server.stop();
});

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, options);
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("Python client", () => {
  it("passes its unittest suite against the running server, with API keys only", async () => {
    const scientist = await userKey("data_scientist", ["training:read", "training:write", "registry:write", "feedback"]);
    const consent = await userKey("admin", ["consent"]);
    const result = await run("python3", ["-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v"], {
      cwd: path.resolve(__dirname, "../../clients/python"),
      env: childEnv({ CLEARLOG_URL: server.url, CLEARLOG_API_KEY: scientist.key, CLEARLOG_CONSENT_KEY: consent.key, PYTHONDONTWRITEBYTECODE: "1" }),
    });
    expect(result.output).toMatch(/test_extract_download_register_withdraw_retrain \(tests\.test_notebook\.NotebookFlow[^)]*\) \.\.\. ok/);
    expect(result.code, result.output).toBe(0);
    // What the client did is on the server: the version, its production alias and its feedback.
    const version = await db().modelVersion.findFirstOrThrow({ where: { model: { name: "churn-py" } }, include: { aliases: true, _count: { select: { feedback: true } } } });
    expect(version).toMatchObject({ version: "1.0.0", isActive: true, aliases: [expect.objectContaining({ alias: "production" })], _count: { feedback: 1 } });
  }, 120_000);
});
