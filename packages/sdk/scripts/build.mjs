// Builds the published package into dist/ (run by `npm run build`, and by `prepare`, so a root
// `npm install` and `npm pack` always leave a fresh build):
//   index.mjs (ESM) and index.cjs (CommonJS) for Node and bundlers, readable;
//   browser.mjs, the `browser` entry: src/browser.ts (all but the consent client) minified (budget:
//   7 KB gzipped, checked by src/bundle-size.test.ts);
//   types/*.d.ts from tsc, and index.d.mts / index.d.cts so each module format gets its own types.
// esbuild bundles src/ into one file per format, so the package has no runtime dependencies.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");

/** esbuild options shared by every output. */
const common = { bundle: true, platform: "neutral", target: "es2022", legalComments: "none", charset: "utf8", logLevel: "warning" };

/** The browser entry's options; `write: false` keeps the output in memory (the size test uses it). */
export function browserOptions(write = true) {
  return { ...common, entryPoints: [path.join(root, "src/browser.ts")], format: "esm", minify: true, outfile: path.join(dist, "browser.mjs"), write };
}

export async function build() {
  const entry = path.join(root, "src/index.ts");
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  await Promise.all([
    esbuild.build({ ...common, entryPoints: [entry], format: "esm", outfile: path.join(dist, "index.mjs") }),
    esbuild.build({ ...common, entryPoints: [entry], format: "cjs", outfile: path.join(dist, "index.cjs") }),
    esbuild.build(browserOptions()),
  ]);
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const types = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
  if (types.status !== 0) throw new Error("tsc could not write the declarations");
  // One declaration tree; an entry per module format, so TypeScript sees ESM types for `import`
  // and CommonJS types for `require` (moduleResolution node16 / nodenext / bundler).
  writeFileSync(path.join(dist, "index.d.mts"), 'export * from "./types/index.js";\n');
  writeFileSync(path.join(dist, "index.d.cts"), 'export * from "./types/index.js";\n');
  writeFileSync(path.join(dist, "browser.d.mts"), 'export * from "./types/browser.js";\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await build();
  console.log(`@clearlog/sdk built in ${Date.now() - started} ms`);
}
