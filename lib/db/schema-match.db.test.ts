import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "../env";
import {
  describeCatalog, describeDmmf, diffSchemas, withUnsupportedFields,
  type CatalogOptions, type CatalogRows, type DmmfDatamodel, type SchemaDesc,
} from "@/test/support/schema-compare";

// Proves that the database our hand-written migrations produce is the one prisma/schema.prisma
// describes, since `prisma migrate diff` needs Prisma's native schema engine, which cannot be
// downloaded here. The schema is read by Prisma's own parser: the prisma-schema-wasm module the
// installed `prisma` CLI ships as node_modules/prisma/build/prisma_schema_build_bg.wasm (the CLI
// bundles its wasm-bindgen glue without exporting it, so the few lines of glue are repeated below).

interface SchemaWasm {
  memory: WebAssembly.Memory;
  __wbindgen_externrefs: WebAssembly.Table;
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
  __externref_table_dealloc(index: number): void;
  __wbindgen_start(): void;
  get_dmmf(ptr: number, len: number): [number, number, number, number];
}

function getDmmf(schemaText: string): DmmfDatamodel {
  const require = createRequire(import.meta.url);
  const wasmPath = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "prisma_schema_build_bg.wasm");
  const wasmModule = new WebAssembly.Module(readFileSync(wasmPath));
  const state: { wasm?: SchemaWasm; panic: string } = { panic: "" };
  const text = (ptr: number, len: number) =>
    new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(state.wasm!.memory.buffer, ptr >>> 0, len));
  // wasm-bindgen suffixes import names with a hash; match them by their stable part.
  const glue: [string, (...args: number[]) => unknown][] = [
    ["set_message", (p, l) => void (state.panic = text(p!, l!))],
    ["wbindgen_throw", (p, l) => { throw new Error(text(p!, l!)); }],
    ["_Error_", (p, l) => new Error(text(p!, l!))],
    ["init_externref_table", () => {
      const table = state.wasm!.__wbindgen_externrefs;
      const at = table.grow(4);
      table.set(0, undefined);
      [undefined, null, true, false].forEach((v, i) => table.set(at + i, v));
    }],
  ];
  const imports: Record<string, Record<string, (...args: number[]) => unknown>> = {};
  for (const imp of WebAssembly.Module.imports(wasmModule)) {
    const fn = glue.find(([key]) => imp.name.includes(key))?.[1];
    if (!fn) throw new Error(`prisma-schema-wasm wants an unknown import ${imp.name}; update getDmmf`);
    (imports[imp.module] ??= {})[imp.name] = fn;
  }
  const wasm = new WebAssembly.Instance(wasmModule, imports).exports as unknown as SchemaWasm;
  state.wasm = wasm;
  wasm.__wbindgen_start();
  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: schemaText, noColor: true }));
  const ptr = wasm.__wbindgen_malloc(input.length, 1) >>> 0;
  new Uint8Array(wasm.memory.buffer).set(input, ptr);
  let result: [number, number, number, number];
  try {
    result = wasm.get_dmmf(ptr, input.length);
  } catch (error) {
    throw new Error(`prisma-schema-wasm panicked: ${state.panic || String(error)}`);
  }
  const [outPtr, outLen, errorRef, failed] = result;
  if (failed) {
    const error: unknown = wasm.__wbindgen_externrefs.get(errorRef);
    wasm.__externref_table_dealloc(errorRef);
    throw error instanceof Error ? error : new Error(String(error));
  }
  const json = text(outPtr, outLen);
  wasm.__wbindgen_free(outPtr, outLen, 1);
  return (JSON.parse(json) as { datamodel: DmmfDatamodel }).datamodel;
}

const USER_TABLE = `n.nspname = 'public' AND c.relkind IN ('r', 'p', 'f')`;
const CATALOG_QUERIES: Record<keyof CatalogRows, string> = {
  tables: `SELECT c.relname::text AS table_name, CASE WHEN c.relispartition THEN p.relname::text END AS partition_of
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
    WHERE ${USER_TABLE} ORDER BY 1`,
  columns: `SELECT c.relname::text AS table_name, a.attname::text AS column_name,
      format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null, a.attidentity::text AS identity,
      a.attgenerated::text AS generated, pg_get_expr(d.adbin, d.adrelid) AS default_expr
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE ${USER_TABLE} AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, a.attnum`,
  indexes: `SELECT c.relname::text AS table_name, ic.relname::text AS index_name, x.indisunique AS is_unique,
      x.indisprimary AS is_primary, am.amname::text AS method, pg_get_expr(x.indpred, x.indrelid) AS predicate,
      ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) k ORDER BY k) AS columns,
      ARRAY(SELECT (x.indoption[k - 1] & 1) = 1 FROM generate_series(1, x.indnkeyatts) k ORDER BY k) AS descending
    FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_am am ON am.oid = ic.relam
    WHERE ${USER_TABLE} AND NOT c.relispartition ORDER BY 1, 2`,
  foreignKeys: `SELECT c.relname::text AS table_name, k.conname::text AS name, r.relname::text AS ref_table,
      k.confdeltype::text AS on_delete, k.confupdtype::text AS on_update,
      ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(num, ord)
        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num ORDER BY u.ord) AS columns,
      ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(num, ord)
        JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num ORDER BY u.ord) AS ref_columns
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class r ON r.oid = k.confrelid
    WHERE k.contype = 'f' AND k.conparentid = 0 AND ${USER_TABLE} AND NOT c.relispartition ORDER BY 1, 2`,
  enums: `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' GROUP BY 1 ORDER BY 1`,
};

async function readCatalog(client: pg.Client): Promise<CatalogRows> {
  const run = async <K extends keyof CatalogRows>(key: K) =>
    (await client.query(CATALOG_QUERIES[key])).rows as CatalogRows[K];
  return {
    tables: await run("tables"), columns: await run("columns"), indexes: await run("indexes"),
    foreignKeys: await run("foreignKeys"), enums: await run("enums"),
  };
}

/** Besides the models: Prisma Migrate's bookkeeping table and the daily partitions of system_logs. */
const CATALOG_OPTIONS: CatalogOptions = {
  ignoredTables: ["_prisma_migrations"],
  isAllowedPartition: (name, parent) => parent === "system_logs" && /^system_logs_p\d{8}$/.test(name),
};

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: env().DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe("migrations match prisma/schema.prisma", () => {
  let datamodel: DmmfDatamodel;
  let catalog: CatalogRows;
  let fromDatabase: SchemaDesc;

  beforeAll(async () => {
    const schemaText = readFileSync(path.join(process.cwd(), "prisma", "schema.prisma"), "utf8");
    datamodel = withUnsupportedFields(getDmmf(schemaText), schemaText);
    catalog = await withClient(readCatalog);
    fromDatabase = describeCatalog(catalog, CATALOG_OPTIONS);
  });

  it("has every model, column, type, key, index, relation and enum, and nothing else", () => {
    const fromSchema = describeDmmf(datamodel);
    expect(Object.keys(fromSchema.tables)).toHaveLength(datamodel.models.length);
    expect(Object.keys(fromSchema.enums)).toHaveLength(datamodel.enums.length);
    expect(catalog.tables.filter((t) => t.partition_of === "system_logs").length).toBeGreaterThan(0);
    expect(diffSchemas(fromSchema, fromDatabase)).toEqual([]);
  });

  it("names each difference when schema.prisma changes without a migration", () => {
    type Mutation = [string, (dm: DmmfDatamodel) => void, string[]];
    const model = (dm: DmmfDatamodel, name: string) => dm.models.find((m) => m.name === name)!;
    const field = (dm: DmmfDatamodel, m: string, f: string) => model(dm, m).fields.find((x) => x.name === f)!;
    const mutations: Mutation[] = [
      ["nullability", (dm) => void (field(dm, "SystemLog", "message").isRequired = true),
        ["system_logs.message: NOT NULL in schema.prisma, nullable in the database"]],
      ["native type", (dm) => void (field(dm, "SystemLog", "genAiCostUsd").nativeType = ["Decimal", ["12", "6"]]),
        ["system_logs.gen_ai_cost_usd: type numeric(12,6) in schema.prisma, numeric(14,6) in the database"]],
      ["default", (dm) => void (field(dm, "ConsentPurpose", "sortOrder").hasDefaultValue = false),
        ["consent_purposes.sort_order: no default in schema.prisma, a default in the database"]],
      ["new field", (dm) => void model(dm, "User").fields.push({ ...field(dm, "User", "email"), name: "nickname" }),
        ["users.nickname: in schema.prisma, missing in the database"]],
      ["dropped index", (dm) => void dm.indexes.splice(dm.indexes.findIndex((i) => i.model === "AuditLog" && i.type === "normal"), 1),
        ["audit_log: index (occurred_at DESC) in the database, not in schema.prisma"]],
      ["sort order", (dm) => void delete dm.indexes.find((i) => i.model === "LoggingSession" && i.fields[0]?.name === "lastSeenAt")!.fields[0]!.sortOrder,
        ["logging_sessions: index (last_seen_at) in schema.prisma, missing in the database",
          "logging_sessions: index (last_seen_at DESC) in the database, not in schema.prisma"]],
      ["unique", (dm) => void (dm.indexes.find((i) => i.model === "ConsentSetting" && i.type === "unique")!.type = "normal"),
        ["consent_settings: index (subject_pseudonym, purpose) in schema.prisma, missing in the database",
          "consent_settings: unique index (subject_pseudonym, purpose) in the database, not in schema.prisma"]],
      ["index name", (dm) => void (dm.indexes.find((i) => i.model === "Subject" && i.fields[0]?.name === "pseudonym")!.dbName = "subjects_pseudonym_uq"),
        ["subjects: unique index (pseudonym) named subjects_pseudonym_uq in schema.prisma, subjects_pseudonym_key in the database"]],
      ["primary key", (dm) => void dm.indexes.find((i) => i.model === "ModelAlias" && i.type === "id")!.fields.reverse(),
        ["model_aliases: primary key (alias, model_id) in schema.prisma, (model_id, alias) in the database"]],
      ["onDelete", (dm) => void (field(dm, "ModelVersionFeatureSet", "featureSet").relationOnDelete = "Cascade"),
        ["model_version_feature_sets: foreign key (feature_set_id) → feature_sets(id): ON DELETE Cascade in schema.prisma, Restrict in the database"]],
      ["default onDelete", (dm) => void delete field(dm, "ApiKey", "createdBy").relationOnDelete, []],
      ["onUpdate", (dm) => void (field(dm, "AuthSession", "user").relationOnUpdate = "NoAction"),
        ["auth_sessions: foreign key (user_id) → users(id): ON UPDATE NoAction in schema.prisma, Cascade in the database"]],
      ["enum value", (dm) => void dm.enums.find((e) => e.name === "Severity")!.values.push({ name: "critical" }),
        ["enum Severity: values [debug, info, warn, error, fatal, critical] in schema.prisma, [debug, info, warn, error, fatal] in the database"]],
      ["new model", (dm) => void dm.models.push({ ...model(dm, "Subject"), name: "Person", dbName: "people" }),
        ["table people: in schema.prisma, missing in the database"]],
    ];
    for (const [what, mutate, expected] of mutations) {
      const copy = structuredClone(datamodel);
      mutate(copy);
      expect(diffSchemas(describeDmmf(copy), fromDatabase), what).toEqual(expected);
    }
  });

  it("names each difference when the migrations change without schema.prisma", async () => {
    const fromSchema = describeDmmf(datamodel);
    const drifted = await withClient(async (client) => {
      await client.query("BEGIN");
      try {
        await client.query(`
          ALTER TABLE system_logs ALTER COLUMN gen_ai_cost_usd TYPE numeric(12,6);
          ALTER TABLE auth_sessions ALTER COLUMN user_agent SET NOT NULL;
          ALTER TABLE users ADD COLUMN nickname text;
          ALTER TABLE login_attempts ALTER COLUMN id DROP DEFAULT;
          DROP INDEX audit_log_occurred_at_idx;
          ALTER INDEX users_email_key RENAME TO users_email_unique;
          DROP INDEX privacy_requests_subject_pseudonym_idx;
          CREATE INDEX privacy_requests_subject_pseudonym_idx ON privacy_requests (subject_pseudonym) WHERE completed_at IS NULL;
          ALTER TABLE api_keys DROP CONSTRAINT api_keys_created_by_id_fkey, ADD CONSTRAINT api_keys_created_by_id_fkey
            FOREIGN KEY (created_by_id) REFERENCES users(id) ON DELETE CASCADE ON UPDATE CASCADE;
          ALTER TYPE "Severity" ADD VALUE 'critical';
          CREATE TABLE stray (id integer);
          CREATE TABLE system_logs_archive PARTITION OF system_logs FOR VALUES FROM ('2000-01-01') TO ('2000-01-02');
        `);
        return describeCatalog(await readCatalog(client), CATALOG_OPTIONS);
      } finally {
        await client.query("ROLLBACK");
      }
    });
    expect(diffSchemas(fromSchema, drifted)).toEqual([
      "enum Severity: values [debug, info, warn, error, fatal] in schema.prisma, [debug, info, warn, error, fatal, critical] in the database",
      "users.nickname: in the database, not a field in schema.prisma",
      "users: unique index (email) named users_email_key in schema.prisma, users_email_unique in the database",
      "auth_sessions.user_agent: nullable in schema.prisma, NOT NULL in the database",
      "login_attempts.id: autoincrement (a nextval default) in schema.prisma, no default in the database",
      "api_keys: foreign key (created_by_id) → users(id): ON DELETE SetNull in schema.prisma, Cascade in the database",
      "audit_log: index (occurred_at DESC) in schema.prisma, missing in the database",
      "system_logs.gen_ai_cost_usd: type numeric(14,6) in schema.prisma, numeric(12,6) in the database",
      "privacy_requests: index (subject_pseudonym) is partial (WHERE (completed_at IS NULL)) in the database, not in schema.prisma",
      "table stray: in the database, not a model in schema.prisma",
      "table system_logs_archive (partition of system_logs): in the database, not a model in schema.prisma",
    ]);
  });
});
