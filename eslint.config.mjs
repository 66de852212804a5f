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
    files: ["app/**", "components/**", "lib/**"],
    // Tests and their harness point the code under test at their own database through the environment.
    ignores: ["lib/env.ts", "**/*.test.ts", "lib/db/test-setup.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/env.ts." }],
    },
  },
];

export default config;
