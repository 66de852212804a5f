import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "**/node_modules/**", "packages/*/dist/**", "lib/db/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    // lib/env.ts is the only reader of the environment (docs/architecture.md).
    // Tests and scripts change it through overrideEnv() and hand it to children with childEnv().
    files: ["app/**", "components/**", "lib/**", "scripts/**", "bench/**", "prisma/**", "e2e/**", "packages/sdk/test/**"],
    // prisma-generate.mjs runs as plain Node at install time, before TypeScript can be loaded.
    ignores: ["lib/env.ts", "scripts/prisma-generate.mjs"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/env.ts." }],
    },
  },
  {
    // One logger (lib/logger.ts): JSON lines whose error serializer drops messages, which can quote personal data.
    // (The SDK, packages/sdk, runs in other people's applications and reports through console.warn.)
    files: ["app/**", "lib/**", "components/**", "instrumentation.ts"],
    rules: { "no-console": "error" },
  },
  {
    // Layers: lib/ never reaches into routes or components. Tests beside the code may drive routes.
    files: ["lib/**"],
    ignores: ["lib/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["@/app/*", "@/components/*", "**/app/*", "**/components/*"], message: "lib/ must not import app/ or components/." },
        { group: ["@/test/*", "**/test/support/*"], message: "Test support lives in test/ and is imported by tests only.", },
      ] }],
    },
  },
  {
    // lib/db is the data-access kit: it knows no domain.
    files: ["lib/db/**"],
    ignores: ["lib/db/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["@/app/*", "@/components/*", "**/app/*", "**/components/*"], message: "lib/ must not import app/ or components/." },
        { group: ["../*", "!../env", "!../logger", "!../errors", "@/lib/*", "!@/lib/db/*", "!@/lib/env", "!@/lib/logger", "!@/lib/errors"], message: "lib/db knows no domain: it may use only lib/env, lib/logger and lib/errors." },
      ] }],
    },
  },
  {
    // The SDK (packages/sdk) runs in other people's applications and browsers: no server code, no project
    // aliases, no dependencies. It is not the app, so lib/env.ts's rule does not apply: its
    // loggingService reads CLEARLOG_URL / CLEARLOG_API_KEY from process.env where there is one.
    files: ["packages/sdk/src/**"],
    ignores: ["packages/sdk/src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["../*", "@/*", "@clearlog/*", "server-only", "node:*", "pg", "@prisma/*", "next", "next/*"], message: "The SDK imports no server code and nothing outside its src/." },
      ] }],
    },
  },
];

export default config;
