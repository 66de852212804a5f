import { existsSync } from "node:fs";

// Debian's Chromium (apt-get install chromium); Playwright's own browser download cannot work here.
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function chromiumPath(): string {
  for (const candidate of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error("Chromium not found: install it with `apt-get install -y chromium` (or run .ci/run, which does)");
}
