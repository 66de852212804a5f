// Compares prisma/schema.prisma (as Prisma's own parser describes it, the DMMF) with the catalog of a
// database migrated by our hand-written SQL, standing in for `prisma migrate diff`, whose engine cannot
// run here. Pure: callers supply the DMMF and the catalog rows (lib/db/schema-match.db.test.ts).

// ── the subset of Prisma's DMMF datamodel used here (same shape as DMMF.Datamodel in @prisma/client) ──
export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: string; // scalar | enum | object, or unsupported | generated (added by withUnsupportedFields)
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
export interface DmmfModel { name: string; dbName: string | null; schema?: string | null; fields: DmmfField[] }
export interface DmmfEnum { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] }
export interface DmmfIndex {
  model: string;
  type: string; // id | unique | normal | fulltext
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: string }[];
}
export interface DmmfDatamodel { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] }

// ── normalized description, produced from both sides ──
export type ColumnDefault = "none" | "value" | "autoincrement" | "identity" | "generated";
/** nullable is null for scalar lists: Prisma Migrate creates them without NOT NULL whatever the schema says. */
export interface ColumnDesc { type: string; nullable: boolean | null; default: ColumnDefault }
export interface IndexDesc { name: string; unique: boolean; columns: string[]; method: string; predicate: string | null }
export interface ForeignKeyDesc {
  name: string; columns: string[]; refTable: string; refColumns: string[]; onDelete: string; onUpdate: string;
}
export interface TableDesc {
  columns: Record<string, ColumnDesc>;
  primaryKey: { name: string; columns: string[] } | null;
  indexes: IndexDesc[];
  foreignKeys: ForeignKeyDesc[];
  partitionOf?: string;
}
export interface SchemaDesc { tables: Record<string, TableDesc>; enums: Record<string, string[]> }

// ── schema.prisma side ──
const SCALAR_TYPES: Record<string, string> = {
  String: "text", Int: "integer", BigInt: "bigint", Boolean: "boolean", Float: "double precision",
  Decimal: "numeric(65,30)", DateTime: "timestamp(3) without time zone", Json: "jsonb", Bytes: "bytea",
};
function nativeTypeName([name, args]: [string, string[]]): string {
  const p = args.length > 0 ? `(${args.join(",")})` : "";
  const simple: Record<string, string> = {
    Text: "text", Uuid: "uuid", Citext: "citext", Inet: "inet", Xml: "xml", SmallInt: "smallint",
    Integer: "integer", BigInt: "bigint", Oid: "oid", Real: "real", DoublePrecision: "double precision",
    Money: "money", Date: "date", Json: "json", JsonB: "jsonb", ByteA: "bytea", Boolean: "boolean",
    VarChar: `character varying${p}`, Char: `character${p}`, Bit: `bit${p}`, VarBit: `bit varying${p}`,
    Decimal: `numeric${p}`, Timestamptz: `timestamp${p} with time zone`, Timestamp: `timestamp${p} without time zone`,
    Time: `time${p} without time zone`, Timetz: `time${p} with time zone`,
  };
  const type = simple[name];
  if (type === undefined) throw new Error(`schema-compare: no PostgreSQL mapping for @db.${name}; add one`);
  return type;
}

/** Defaults that Prisma Client fills in itself: Prisma Migrate creates no database default for them. */
const CLIENT_SIDE_DEFAULTS = new Set(["uuid", "cuid", "ulid", "nanoid"]);
function schemaDefault(field: DmmfField): ColumnDefault {
  if (!field.hasDefaultValue) return "none";
  const d = field.default;
  if (typeof d === "object" && d !== null && !Array.isArray(d) && "name" in d) {
    if (d.name === "autoincrement") return "autoincrement";
    if (typeof d.name === "string" && CLIENT_SIDE_DEFAULTS.has(d.name)) return "none";
  }
  return "value";
}

const MAX_IDENTIFIER_BYTES = 63;
/** Prisma's default constraint names (psl ConstraintNames): `{table}_{columns}{suffix}`, cut to 63 bytes. */
export function defaultConstraintName(table: string, columns: string[], suffix: "_pkey" | "_key" | "_idx" | "_fkey"): string {
  let base = columns.length > 0 ? `${table}_${columns.join("_")}` : table;
  const encoder = new TextEncoder();
  while (encoder.encode(base).length > MAX_IDENTIFIER_BYTES - suffix.length) base = base.slice(0, -1);
  return base + suffix;
}

/**
 * Prisma's DMMF leaves out `Unsupported("…")` fields; this adds them back from the schema text so
 * their columns and indexes are compared too. A field documented `/// GENERATED ALWAYS AS …` is a
 * generated column (Prisma cannot express those; the migration creates it).
 */
export function withUnsupportedFields(dm: DmmfDatamodel, schemaText: string): DmmfDatamodel {
  const models = dm.models.map((m) => ({ ...m, fields: [...m.fields] }));
  for (const block of schemaText.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const model = models.find((m) => m.name === block[1]);
    const lines = block[2]!.split("\n");
    lines.forEach((line, i) => {
      const f = /^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?(.*)$/.exec(line);
      if (!model || !f) return;
      const generated = /^\s*\/\/\/\s*GENERATED ALWAYS/.test(lines[i - 1] ?? "");
      model.fields.push({
        name: f[1]!,
        dbName: /@map\("([^"]+)"\)/.exec(f[4]!)?.[1] ?? null,
        kind: generated ? "generated" : "unsupported",
        type: f[2]!,
        isList: false,
        isRequired: f[3] !== "?",
        hasDefaultValue: f[4]!.includes("@default("),
      });
    });
  }
  return { ...dm, models };
}

export function describeDmmf(dm: DmmfDatamodel): SchemaDesc {
  const models = new Map(dm.models.map((m) => [m.name, m]));
  const enums = new Map(dm.enums.map((e) => [e.name, e]));
  const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
  const columnOf = (m: DmmfModel, fieldName: string) => {
    const f = m.fields.find((x) => x.name === fieldName);
    if (!f) throw new Error(`schema-compare: ${m.name} has no field ${fieldName}`);
    return f.dbName ?? f.name;
  };
  const modelOf = (name: string) => {
    const m = models.get(name);
    if (!m) throw new Error(`schema-compare: unknown model ${name}`);
    return m;
  };
  const tables: Record<string, TableDesc> = {};
  for (const m of dm.models) {
    if (m.schema) throw new Error(`schema-compare: ${m.name} uses @@schema, which is not supported here`);
    const table = tableOf(m);
    const desc: TableDesc = { columns: {}, primaryKey: null, indexes: [], foreignKeys: [] };
    for (const f of m.fields) {
      if (f.kind === "scalar" || f.kind === "enum") {
        const base = f.kind === "enum" ? (enums.get(f.type)?.dbName ?? f.type)
          : f.nativeType ? nativeTypeName(f.nativeType) : SCALAR_TYPES[f.type];
        if (base === undefined) throw new Error(`schema-compare: no PostgreSQL mapping for ${m.name}.${f.name} (${f.type})`);
        desc.columns[f.dbName ?? f.name] = {
          type: f.isList ? `${base}[]` : base,
          nullable: f.isList ? null : !f.isRequired,
          default: schemaDefault(f),
        };
      } else if (f.kind === "unsupported" || f.kind === "generated") {
        desc.columns[f.dbName ?? f.name] = { type: f.type, nullable: !f.isRequired, default: f.kind === "generated" ? "generated" : f.hasDefaultValue ? "value" : "none" };
      } else if (f.kind === "object") {
        const target = modelOf(f.type);
        const from = f.relationFromFields ?? [];
        if (from.length === 0) {
          const other = target.fields.find((x) => x.relationName === f.relationName && x !== f);
          if (f.isList && other?.isList) {
            throw new Error(`schema-compare: implicit many-to-many relation ${f.relationName} is not supported here`);
          }
          continue;
        }
        const columns = from.map((n) => columnOf(m, n));
        // The DMMF omits @relation(map: …), so foreign keys are expected under Prisma's default names.
        desc.foreignKeys.push({
          name: defaultConstraintName(table, columns, "_fkey"),
          columns,
          refTable: tableOf(target),
          refColumns: (f.relationToFields ?? []).map((n) => columnOf(target, n)),
          onDelete: f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull"),
          onUpdate: f.relationOnUpdate ?? "Cascade",
        });
      }
    }
    for (const ix of dm.indexes.filter((i) => i.model === m.name)) {
      const names = ix.fields.map((x) => columnOf(m, x.name));
      if (ix.type === "id") {
        desc.primaryKey = { name: ix.dbName ?? defaultConstraintName(table, [], "_pkey"), columns: names };
        continue;
      }
      if (ix.type !== "unique" && ix.type !== "normal") throw new Error(`schema-compare: ${ix.type} indexes are not supported`);
      const unique = ix.type === "unique";
      desc.indexes.push({
        name: ix.dbName ?? defaultConstraintName(table, names, unique ? "_key" : "_idx"),
        unique,
        columns: ix.fields.map((x, i) => `${names[i]}${x.sortOrder === "desc" ? " DESC" : ""}`),
        method: (ix.algorithm ?? "BTree").toLowerCase(),
        predicate: null,
      });
    }
    tables[table] = desc;
  }
  const enumDescs: Record<string, string[]> = {};
  for (const e of dm.enums) enumDescs[e.dbName ?? e.name] = e.values.map((v) => v.dbName ?? v.name);
  return { tables, enums: enumDescs };
}

// ── database side: rows of the pg_catalog queries in lib/db/schema-match.db.test.ts ──
export interface TableRow { table_name: string; partition_of: string | null }
export interface ColumnRow {
  table_name: string; column_name: string; type: string; not_null: boolean;
  identity: string; generated: string; default_expr: string | null;
}
export interface IndexRow {
  table_name: string; index_name: string; is_unique: boolean; is_primary: boolean;
  method: string; predicate: string | null; columns: string[]; descending: boolean[];
}
export interface ForeignKeyRow {
  table_name: string; name: string; columns: string[]; ref_table: string; ref_columns: string[];
  on_delete: string; on_update: string;
}
export interface EnumRow { name: string; labels: string[] }
export interface CatalogRows { tables: TableRow[]; columns: ColumnRow[]; indexes: IndexRow[]; foreignKeys: ForeignKeyRow[]; enums: EnumRow[] }

const FK_ACTIONS: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };
const unquote = (s: string) => (/^".*"$/.test(s) ? s.slice(1, -1).replaceAll('""', '"') : s);

export interface CatalogOptions {
  /** tables that belong to no model and are expected (e.g. `_prisma_migrations`) */
  ignoredTables: string[];
  /** partitions (pg_class.relispartition) that may exist without a model */
  isAllowedPartition(name: string, parent: string): boolean;
}

export function describeCatalog(rows: CatalogRows, options: CatalogOptions): SchemaDesc {
  const tables: Record<string, TableDesc> = {};
  for (const t of rows.tables) {
    if (options.ignoredTables.includes(t.table_name)) continue;
    if (t.partition_of !== null && options.isAllowedPartition(t.table_name, t.partition_of)) continue;
    tables[t.table_name] = { columns: {}, primaryKey: null, indexes: [], foreignKeys: [] };
    if (t.partition_of !== null) tables[t.table_name]!.partitionOf = t.partition_of;
  }
  for (const c of rows.columns) {
    const table = tables[c.table_name];
    if (!table) continue;
    const dflt: ColumnDefault = c.identity !== "" ? "identity" : c.generated !== "" ? "generated"
      : c.default_expr === null ? "none" : c.default_expr.startsWith("nextval(") ? "autoincrement" : "value";
    table.columns[c.column_name] = { type: c.type.replaceAll('"', ""), nullable: !c.not_null, default: dflt };
  }
  for (const ix of rows.indexes) {
    const table = tables[ix.table_name];
    if (!table) continue;
    const columns = ix.columns.map((col, i) => `${unquote(col)}${ix.descending[i] ? " DESC" : ""}`);
    if (ix.is_primary) table.primaryKey = { name: ix.index_name, columns: columns.map((c) => c.replace(/ DESC$/, "")) };
    else table.indexes.push({ name: ix.index_name, unique: ix.is_unique, columns, method: ix.method, predicate: ix.predicate });
  }
  for (const fk of rows.foreignKeys) {
    tables[fk.table_name]?.foreignKeys.push({
      name: fk.name, columns: fk.columns, refTable: fk.ref_table, refColumns: fk.ref_columns,
      onDelete: FK_ACTIONS[fk.on_delete] ?? fk.on_delete, onUpdate: FK_ACTIONS[fk.on_update] ?? fk.on_update,
    });
  }
  return { tables, enums: Object.fromEntries(rows.enums.map((e) => [e.name, e.labels])) };
}

// ── the diff: one line per difference, naming both sides ──
const S = "in schema.prisma";
const D = "in the database";
const unionKeys = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])];
const list = (xs: string[]) => xs.join(", ");
const DEFAULT_WORDS: Record<ColumnDefault, string> = {
  none: "no default", value: "a default", autoincrement: "autoincrement (a nextval default)",
  identity: "an identity column", generated: "a generated column",
};

/** Pairs items of `a` and `b` with equal keys; returns the pairs and what is left on each side. */
function match<T>(a: T[], b: T[], key: (x: T) => string): { pairs: [T, T][]; onlyA: T[]; onlyB: T[] } {
  const rest = [...b];
  const pairs: [T, T][] = [];
  const onlyA: T[] = [];
  for (const x of a) {
    const i = rest.findIndex((y) => key(y) === key(x));
    if (i === -1) onlyA.push(x);
    else pairs.push([x, rest.splice(i, 1)[0]!]);
  }
  return { pairs, onlyA, onlyB: rest };
}

function diffTable(t: string, s: TableDesc, d: TableDesc, out: string[]): void {
  for (const c of unionKeys(s.columns, d.columns)) {
    const sc = s.columns[c];
    const dc = d.columns[c];
    if (!dc) out.push(`${t}.${c}: ${S}, missing ${D}`);
    else if (!sc) out.push(`${t}.${c}: ${D}, not a field ${S}`);
    else {
      if (sc.type !== dc.type) out.push(`${t}.${c}: type ${sc.type} ${S}, ${dc.type} ${D}`);
      if (sc.nullable !== null && sc.nullable !== dc.nullable) {
        const word = (n: boolean | null) => (n ? "nullable" : "NOT NULL");
        out.push(`${t}.${c}: ${word(sc.nullable)} ${S}, ${word(dc.nullable)} ${D}`);
      }
      if (sc.default !== dc.default) out.push(`${t}.${c}: ${DEFAULT_WORDS[sc.default]} ${S}, ${DEFAULT_WORDS[dc.default]} ${D}`);
    }
  }
  const pk = (p: TableDesc["primaryKey"]) => (p ? `(${list(p.columns)})` : "none");
  if (pk(s.primaryKey) !== pk(d.primaryKey)) out.push(`${t}: primary key ${pk(s.primaryKey)} ${S}, ${pk(d.primaryKey)} ${D}`);
  else if (s.primaryKey && d.primaryKey && s.primaryKey.name !== d.primaryKey.name) {
    out.push(`${t}: primary key named ${s.primaryKey.name} ${S}, ${d.primaryKey.name} ${D}`);
  }
  const ixLabel = (i: IndexDesc) => `${i.unique ? "unique index" : "index"} (${list(i.columns)})`;
  const ix = match(s.indexes, d.indexes, ixLabel);
  for (const i of ix.onlyA) out.push(`${t}: ${ixLabel(i)} ${S}, missing ${D}`);
  for (const i of ix.onlyB) out.push(`${t}: ${ixLabel(i)} ${D}, not ${S}`);
  for (const [a, b] of ix.pairs) {
    if (a.name !== b.name) out.push(`${t}: ${ixLabel(a)} named ${a.name} ${S}, ${b.name} ${D}`);
    if (a.method !== b.method) out.push(`${t}: ${ixLabel(a)} using ${a.method} ${S}, ${b.method} ${D}`);
    if (b.predicate !== null) out.push(`${t}: ${ixLabel(a)} is partial (WHERE ${b.predicate}) ${D}, not ${S}`);
  }
  const fkLabel = (f: ForeignKeyDesc) => `foreign key (${list(f.columns)}) → ${f.refTable}(${list(f.refColumns)})`;
  const fk = match(s.foreignKeys, d.foreignKeys, fkLabel);
  for (const f of fk.onlyA) out.push(`${t}: ${fkLabel(f)} ${S}, missing ${D}`);
  for (const f of fk.onlyB) out.push(`${t}: ${fkLabel(f)} ${D}, not ${S}`);
  for (const [a, b] of fk.pairs) {
    if (a.name !== b.name) out.push(`${t}: ${fkLabel(a)} named ${a.name} ${S}, ${b.name} ${D}`);
    if (a.onDelete !== b.onDelete) out.push(`${t}: ${fkLabel(a)}: ON DELETE ${a.onDelete} ${S}, ${b.onDelete} ${D}`);
    if (a.onUpdate !== b.onUpdate) out.push(`${t}: ${fkLabel(a)}: ON UPDATE ${a.onUpdate} ${S}, ${b.onUpdate} ${D}`);
  }
}

/** Every difference between the schema's description and the database's, one readable line each. */
export function diffSchemas(schema: SchemaDesc, db: SchemaDesc): string[] {
  const out: string[] = [];
  for (const e of unionKeys(schema.enums, db.enums)) {
    const s = schema.enums[e];
    const d = db.enums[e];
    if (!d) out.push(`enum ${e}: ${S}, missing ${D}`);
    else if (!s) out.push(`enum ${e}: ${D}, not ${S}`);
    else if (JSON.stringify(s) !== JSON.stringify(d)) out.push(`enum ${e}: values [${list(s)}] ${S}, [${list(d)}] ${D}`);
  }
  for (const t of unionKeys(schema.tables, db.tables)) {
    const s = schema.tables[t];
    const d = db.tables[t];
    if (!d) out.push(`table ${t}: ${S}, missing ${D}`);
    else if (!s) out.push(`table ${t}${d.partitionOf ? ` (partition of ${d.partitionOf})` : ""}: ${D}, not a model ${S}`);
    else diffTable(t, s, d, out);
  }
  return out;
}
