// Prisma's CLI tries to download its schema engine on every command; generation does not use it,
// so any executable satisfies the check (see docs/database.md). Node itself is one.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const prismaBin = require.resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [prismaBin, "generate"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
