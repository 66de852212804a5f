import { defineConfig } from "prisma/config";

// The CLI is used here only for `prisma generate`; migrations are applied by scripts/cli.ts migrate
// (see docs/database.md). The URL is read for tools such as `prisma migrate status` elsewhere.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/clearlog" },
});
