import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import * as esbuild from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, chromiumPath } from "@/e2e/chromium";
import { createApiKey } from "@/lib/auth/api-keys";
import { database } from "@/lib/db/client";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import {
  consumerEnv,
  consumerFolder,
  consumerProject,
  freePort,
  linkInstalledPackages,
  nextBuild,
  packSdk,
  rootModules,
  runNode,
  serveStatic,
  startNext,
} from "@/test/support/sdk-consumers";

// The SDK as its users get it: `npm pack`, then `npm install --offline` of the tarball into three
// fresh projects (plain Node, a Next.js app with no extra configuration, a browser page bundled
// with esbuild and served from another origin), each sending events to the real ingestion routes
// over HTTP. What they sent is read back from system_logs.
let server: IngestTestServer;
let key: string;
let tarball: string;
let folder: ReturnType<typeof consumerFolder>;
const started = Date.now();

async function stored(ids: readonly string[]) {
  const { rows } = await database().pool.query<{ event_id: string; type: string; component: string | null; marker: string | null }>(
    `SELECT event_id::text, type::text, component, payload #>> '{attributes,marker}' AS marker
       FROM system_logs WHERE event_id::text = ANY($1) ORDER BY occurred_at, event_id`,
    [ids],
  );
  return rows;
}

function parseLastLine<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as T;
}

beforeAll(async () => {
  key = (await createApiKey({ name: "sdk consumers", scopes: ["ingest"] }, { type: "cli" })).secret;
  server = await startIngestServer();
  folder = consumerFolder();
  tarball = await packSdk(folder.dir, consumerEnv({}));
}, 180_000);

afterAll(async () => {
  await server?.stop();
  folder?.remove();
  console.info(`SDK consumer tests: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
});

describe("@clearlog/sdk installed from its tarball", () => {
  it("the tarball holds the build and no source or tests", () => {
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
    expect(files).toEqual(expect.arrayContaining(["package/dist/index.mjs", "package/dist/index.cjs", "package/dist/browser.mjs", "package/dist/index.d.mts", "package/dist/index.d.cts", "package/README.md"]));
    expect(files.filter((f) => f.includes("/src/") || f.includes(".test."))).toEqual([]);
  });

  it("a plain Node script sends events, with require (CommonJS) and import (ESM), and its types check under nodenext", async () => {
    const dir = path.join(folder.dir, "node-app");
    await consumerProject(
      dir,
      "consumer-node",
      {
        "send.cjs": `const { loggingService } = require("@clearlog/sdk");
(async () => {
  const id = loggingService.logUserAction("node.cjs", "consumer-node", { marker: process.argv[2] });
  await loggingService.flush();
  console.log(JSON.stringify({ ids: [id], stats: loggingService.stats(), entry: require.resolve("@clearlog/sdk") }));
})();
`,
        "send.mjs": `import { createLogger } from "@clearlog/sdk";
const logger = createLogger({ endpoint: process.env.CLEARLOG_URL, apiKey: process.env.CLEARLOG_API_KEY, component: "consumer-node" });
const marker = process.argv[2];
const ids = [
  logger.logAIInteraction("chat", { model: "gpt-4o-mini", provider: "openai", tokens: 42, marker }),
  logger.logError(new Error("payment declined"), "consumer-node", { marker }),
];
await logger.shutdown();
console.log(JSON.stringify({ ids, stats: logger.stats(), entry: import.meta.resolve("@clearlog/sdk") }));
`,
        "check.mts": `import { createLogger, createModelTrainingService, loggingService, type FeatureIds, type Logger, type WireEvent } from "@clearlog/sdk";
const logger: Logger = createLogger({ endpoint: "https://logs.example.com", apiKey: "k" });
const id: string | undefined = logger.logAIInteraction("chat", { model: "m", inputTokens: 1, outputTokens: 2 });
loggingService.logError(new Error("x"), "c");
export const event: Pick<WireEvent, "id"> = { id: id ?? "" };
// The training API's published types: extractFeatures resolves to the feature ids with the set's id on them.
const training = createModelTrainingService({ endpoint: "https://logs.example.com", apiKey: "k" });
export async function notebook(): Promise<string> {
  const ids: FeatureIds = await training.extractFeatures("user_behavior", { startDate: "2026-11-01", endDate: "2026-12-01" });
  const first: string | undefined = ids[0];
  const all: string[] = await training.featureIds(ids.featureSetId);
  return \`\${ids.featureSetId} \${first ?? ""} \${ids.status.status} \${all.length}\`;
}
`,
        "check.cts": `import sdk = require("@clearlog/sdk");
export const logger: sdk.Logger = sdk.createLogger({ endpoint: "https://logs.example.com", apiKey: "k" });
`,
        "tsconfig.json": JSON.stringify({
          compilerOptions: { module: "nodenext", target: "es2022", lib: ["es2022", "dom"], types: [], strict: true, noEmit: true, skipLibCheck: false },
          files: ["check.mts", "check.cts"],
        }),
      },
      tarball,
      consumerEnv({}),
    );
    const env = consumerEnv({ CLEARLOG_URL: server.url, CLEARLOG_API_KEY: key });
    const cjs = parseLastLine<{ ids: string[]; stats: { sent: number }; entry: string }>(await runNode(dir, ["send.cjs", "node-cjs"], env));
    const esm = parseLastLine<{ ids: string[]; stats: { sent: number }; entry: string }>(await runNode(dir, ["send.mjs", "node-esm"], env));
    expect(fs.realpathSync(cjs.entry)).toBe(path.join(fs.realpathSync(dir), "node_modules/@clearlog/sdk/dist/index.cjs"));
    expect(new URL(esm.entry).pathname).toBe(path.join(fs.realpathSync(dir), "node_modules/@clearlog/sdk/dist/index.mjs"));
    expect([cjs.stats.sent, esm.stats.sent]).toEqual([1, 2]);

    const rows = await stored([...cjs.ids, ...esm.ids]);
    expect(rows.map((r) => [r.event_id, r.type, r.component, r.marker]).sort()).toEqual(
      [
        [cjs.ids[0], "user_action", "consumer-node", "node-cjs"],
        [esm.ids[0], "ai_interaction", "consumer-node", "node-esm"],
        [esm.ids[1], "error", "consumer-node", "node-esm"],
      ].sort(),
    );

    // The published declarations, checked strictly (skipLibCheck off) for ESM and CommonJS importers.
    await runNode(dir, [path.join(rootModules, "typescript/bin/tsc"), "-p", "."], env);
  }, 120_000);

  it("a browser page bundled with esbuild sends events cross-origin (CORS preflight) from Chromium", async () => {
    const dir = path.join(folder.dir, "browser-app");
    await consumerProject(
      dir,
      "consumer-browser",
      {
        "main.js": `import { createLogger } from "@clearlog/sdk";
const q = new URLSearchParams(location.search);
const logger = createLogger({ endpoint: q.get("endpoint"), apiKey: q.get("key"), component: "consumer-browser" });
logger.setSubject("browser-user-1");
const ids = [
  logger.logUserAction("browser.click", "consumer-browser", { marker: "browser" }),
  logger.logApiRequest({ method: "GET", route: "/api/items/:id", status: 200, durationMs: 12 }, { marker: "browser" }),
];
logger.flush().then(() => { window.clearlogResult = { ids, stats: logger.stats(), origin: location.origin }; });
`,
        "public/index.html": `<!doctype html><html><head><meta charset="utf-8"><title>consumer</title></head><body><script type="module" src="/app.js"></script></body></html>`,
      },
      tarball,
      consumerEnv({}),
    );
    const bundle = await esbuild.build({
      absWorkingDir: dir,
      entryPoints: ["main.js"],
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      outfile: "public/app.js",
      metafile: true,
      logLevel: "silent",
    });
    // platform: "browser" picks the package's `browser` entry.
    expect(Object.keys(bundle.metafile.inputs)).toContain("node_modules/@clearlog/sdk/dist/browser.mjs");

    const page = await serveStatic(path.join(dir, "public"));
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    try {
      const tab = await browser.newPage();
      const requestsBefore = server.requests;
      await tab.goto(`${page.url}/?endpoint=${encodeURIComponent(server.url)}&key=${encodeURIComponent(key)}`);
      await tab.waitForFunction(() => (window as { clearlogResult?: unknown }).clearlogResult !== undefined, null, { timeout: 20_000 });
      const result = (await tab.evaluate(() => (window as { clearlogResult?: unknown }).clearlogResult)) as { ids: string[]; stats: { sent: number; rejected: number }; origin: string };
      expect(result.origin).not.toBe(new URL(server.url).origin);
      expect(result.stats).toMatchObject({ sent: 2, rejected: 0 });
      // The POST with Authorization is preceded by a preflight OPTIONS.
      expect(server.requests - requestsBefore).toBeGreaterThanOrEqual(2);
      const rows = await stored(result.ids);
      expect(rows.map((r) => [r.type, r.component, r.marker]).sort()).toEqual([
        ["api_request", "consumer-browser", "browser"],
        ["user_action", "consumer-browser", "browser"],
      ]);
    } finally {
      await browser.close();
      await page.stop();
    }
  }, 120_000);

  it("a Next.js 16 app with no extra configuration builds, and its server code sends an event", async () => {
    const dir = path.join(folder.dir, "next-app");
    await consumerProject(
      dir,
      "consumer-next",
      {
        "app/layout.tsx": `export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (<html lang="en"><body>{children}</body></html>);
}
`,
        "app/page.tsx": `import { SdkStatus } from "./sdk-status";

export default function Home() {
  return <SdkStatus />;
}
`,
        // Client code: the bundler picks the package's browser entry.
        "app/sdk-status.tsx": `"use client";
import { createLogger } from "@clearlog/sdk";

export function SdkStatus() {
  return <p>SDK in the browser: {typeof createLogger}</p>;
}
`,
        // Server code: the ready loggingService, configured by CLEARLOG_URL and CLEARLOG_API_KEY.
        "app/api/send/route.ts": `import { loggingService } from "@clearlog/sdk";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const { marker } = (await request.json()) as { marker: string };
  const id = loggingService.logUserAction("next.route", "consumer-next", { marker });
  await loggingService.flush();
  return Response.json({ id, stats: loggingService.stats() });
}
`,
      },
      tarball,
      consumerEnv({}),
    );
    linkInstalledPackages(dir, ["next", "react", "react-dom", "typescript", "@types/react", "@types/react-dom", "@types/node"]);
    expect(fs.existsSync(path.join(dir, "next.config.ts")) || fs.existsSync(path.join(dir, "next.config.js"))).toBe(false);

    const env = consumerEnv({ NODE_ENV: "production", CLEARLOG_URL: server.url, CLEARLOG_API_KEY: key });
    const buildMs = await nextBuild(dir, env);
    console.info(`SDK consumer: next build took ${(buildMs / 1000).toFixed(1)} s`);

    const app = await startNext(dir, await freePort(), env);
    try {
      expect(await fetch(app.url).then((r) => r.text())).toMatch(/SDK in the browser: (<!-- -->)?function/);
      const answer = (await fetch(`${app.url}/api/send`, { method: "POST", body: JSON.stringify({ marker: "next" }) }).then((r) => r.json())) as {
        id: string;
        stats: { sent: number };
      };
      expect(answer.stats.sent).toBe(1);
      expect((await stored([answer.id])).map((r) => [r.event_id, r.type, r.component, r.marker])).toEqual([[answer.id, "user_action", "consumer-next", "next"]]);
    } finally {
      await app.stop();
    }
  }, 300_000);
});
