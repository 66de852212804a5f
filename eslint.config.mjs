import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", "lib/db/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    // lib/env.ts is the only reader of the environment (docs/architecture.md).
    // Tests and scripts change it through overrideEnv() and hand it to children with childEnv().
    files: ["app/**", "components/**", "lib/**", "scripts/**", "bench/**", "prisma/**", "e2e/**"],
    // prisma-generate.mjs runs as plain Node at install time, before TypeScript can be loaded.
    ignores: ["lib/env.ts", "scripts/prisma-generate.mjs"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/env.ts." }],
    },
  },
];

export default config;
