import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

// The browser entry is what a web page downloads: it must stay within its budget. Built here in
// memory with the package's own build options (scripts/build.mjs), so no earlier build is needed.
const BUDGET_BYTES = 7 * 1024;
const root = path.resolve(import.meta.dirname, "..");

describe("the published package", () => {
  it(`keeps the browser entry within ${BUDGET_BYTES} bytes gzipped`, async () => {
    const { browserOptions } = (await import(pathToFileURL(path.join(root, "scripts/build.mjs")).href)) as {
      browserOptions: (write: boolean) => object;
    };
    const esbuild = await import("esbuild");
    const result = await esbuild.build({ ...browserOptions(false), write: false });
    const code = result.outputFiles[0]!.contents;
    const gzipped = gzipSync(code, { level: 9 }).length;
    expect(gzipped).toBeGreaterThan(1000);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
    // No dependencies, nothing Node-only: the bundle imports nothing.
    expect(new TextDecoder().decode(code)).not.toMatch(/\bimport\s*[{*\w]|\brequire\(/);
  });

  it("has no runtime dependencies and ships only dist/ and the README", () => {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg.name).toBe("@clearlog/sdk");
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "bundleDependencies"]) expect(pkg[field]).toBeUndefined();
    expect(pkg.files).toEqual(["dist", "README.md"]);
    expect(pkg.exports).toMatchObject({
      ".": {
        browser: { types: "./dist/browser.d.mts", default: "./dist/browser.mjs" },
        import: { types: "./dist/index.d.mts", default: "./dist/index.mjs" },
        require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
      },
    });
  });
});
