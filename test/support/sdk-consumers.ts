import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { childEnv } from "@/lib/env";

// Test support for packages/sdk/test/consumers.db.test.ts: the SDK packed as npm publishes it,
// installed offline into fresh projects in a temporary folder, as its users get it.
const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, "../..");
export const rootModules = path.join(repo, "node_modules");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** A folder of its own for this run's consumer projects; `remove()` deletes it. */
export function consumerFolder() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clearlog-sdk-consumers-"));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** `npm pack` of packages/sdk (its `prepack` builds dist/ first); returns the tarball's path. */
export async function packSdk(into: string, env: NodeJS.ProcessEnv): Promise<string> {
  await run(npm, ["pack", "--pack-destination", into, "--loglevel=error"], { cwd: path.join(repo, "packages/sdk"), env });
  const tarball = fs.readdirSync(into).find((f) => /^clearlog-sdk-.*\.tgz$/.test(f));
  if (!tarball) throw new Error("npm pack wrote no clearlog-sdk-*.tgz");
  return path.join(into, tarball);
}

/** A new project with the given files, the tarball installed with `npm install --offline` (no registry). */
export async function consumerProject(dir: string, name: string, files: Record<string, string>, tarball: string, env: NodeJS.ProcessEnv) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0", private: true }, null, 2));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  await run(npm, ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: dir, env });
}

/** The packages a list of packages needs (dependencies and the optional ones installed), as hoisted in the repo's node_modules. */
function closure(names: string[]): string[] {
  const seen = new Set<string>();
  const todo = [...names];
  while (todo.length > 0) {
    const name = todo.pop()!;
    const manifest = path.join(rootModules, name, "package.json");
    if (seen.has(name) || !fs.existsSync(manifest)) continue;
    seen.add(name);
    const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as { dependencies?: object; optionalDependencies?: object };
    todo.push(...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}));
  }
  return [...seen];
}

function hardLinkTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) hardLinkTree(source, target);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
    else fs.linkSync(source, target);
  }
}

/**
 * Gives a consumer project the repo's own installs of `names` (and what they need), as hard links:
 * no download, no copy, and real files inside the project, which Turbopack requires (it refuses
 * symlinks that leave the project's root). The temporary folder must be on the repo's filesystem.
 */
export function linkInstalledPackages(dir: string, names: string[]): void {
  for (const name of closure(names)) hardLinkTree(path.join(rootModules, name), path.join(dir, "node_modules", name));
}

export async function runNode(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run(process.execPath, args, { cwd: dir, env });
  return stdout;
}

/** Serves a folder's files over HTTP on 127.0.0.1 (another origin than the API's). */
export async function serveStatic(dir: string) {
  const types: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };
  const server = http.createServer((req, res) => {
    const file = path.join(dir, path.normalize(new URL(req.url ?? "/", "http://x").pathname).replace(/^\/*$/, "/index.html"));
    if (!file.startsWith(dir) || !fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `next start` of a built consumer app; resolves once it answers. */
export async function startNext(dir: string, port: number, env: NodeJS.ProcessEnv): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [path.join(dir, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dir,
    env,
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  for (const started = Date.now(); Date.now() - started < 30_000; ) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return { url, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error("next start did not answer within 30 s");
}

export async function nextBuild(dir: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = Date.now();
  await run(process.execPath, [path.join(dir, "node_modules/next/dist/bin/next"), "build"], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`next build failed:\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
  });
  return Date.now() - started;
}

/** The environment for consumer processes: the test's, plus what is given. */
export function consumerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return childEnv({ NEXT_TELEMETRY_DISABLED: "1", ...extra });
}
