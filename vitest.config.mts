import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside React Server Components; in tests the code runs on the server anyway.
  "server-only": path.resolve(import.meta.dirname, "test/support/server-only-stub.ts"),
  // The app and the tests use the SDK's source, as tsconfig.json's paths do; the built package is
  // tested as its users get it by packages/sdk/test/consumers.db.test.ts.
  "@clearlog/sdk": path.resolve(import.meta.dirname, "packages/sdk/src/index.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "test/**/*.test.ts", "components/**/*.test.{ts,tsx}", "scripts/**/*.test.ts", "prisma/**/*.test.ts", "packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts"],
          exclude: ["**/*.db.test.ts", "**/node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "db",
          include: ["lib/**/*.db.test.ts", "scripts/**/*.db.test.ts", "prisma/**/*.db.test.ts", "packages/*/test/**/*.db.test.ts"],
          environment: "node",
          globalSetup: ["test/support/db-global-setup.ts"],
          setupFiles: ["test/support/db-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
          maxWorkers: 2,
        },
      },
    ],
  },
});
