import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { database, db } from "../db/client";
import { SafeError } from "../errors";
import { errorOf, expectSafeError } from "@/test/support/errors";
import { FEATURE_TYPES, type FeatureTypeName } from "./definitions";
import { exportColumns, openDatasetExport, openManifestExport, PAGE_ROWS } from "./dataset-export";
import { extractFeatures, startExtraction } from "./extract";
import { featureSetManifest } from "./feature-sets";
import { PEOPLE, RANGE, seedPopulation } from "@/test/support/training-fixtures";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return Buffer.concat(chunks);
}

const download = async (id: string, format: "csv" | "jsonl" | "parquet") => readAll((await openDatasetExport(id, format)).stream);

/** A small RFC 4180 reader, to prove the files parse back to what was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ",") {
      row.push(field);
      field = "";
    } else if (!quoted && ch === "\r" && text[i + 1] === "\n") {
      rows.push([...row, field]);
      row = [];
      field = "";
      i++;
    } else {
      field += ch;
    }
  }
  return rows;
}

async function parquetFile(id: string) {
  const bytes = await download(id, "parquet");
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const plain = (v: unknown) => (typeof v === "bigint" ? Number(v) : v instanceof Date ? v.toISOString() : v);
  const rows = (await parquetReadObjects({ file: buffer })).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
  return { meta: parquetMetadata(buffer), rows };
}

/** What extracted_features holds for the set, in byte order, as the downloads should show it. */
async function storedRows(featureSetId: string) {
  const { rows } = await database().pool.query<{ entity_key: string; features: Record<string, unknown> }>(
    `SELECT entity_key, features FROM extracted_features WHERE feature_set_id = $1 ORDER BY entity_key COLLATE "C"`,
    [featureSetId],
  );
  return rows.map((r) => ({ entity_key: r.entity_key, ...r.features }));
}

async function completedSet(featureType: FeatureTypeName = "user_behavior") {
  const set = await db().featureSet.create({
    data: { featureType, ...RANGE, definitionVersion: 1, completedAt: new Date(), digest: "ab".repeat(32) },
  });
  return set.id;
}

const sets = {} as Record<FeatureTypeName, string>;

beforeAll(async () => {
  await seedPopulation();
  for (const type of FEATURE_TYPES) sets[type] = (await extractFeatures(type, RANGE)).featureSetId;
});

describe("openDatasetExport on extracted sets", () => {
  it("CSV: a header of entity_key then the definition's columns, rows in entity_key byte order", async () => {
    const result = await openDatasetExport(sets.user_behavior, "csv");
    expect(result.filename).toBe(`clearlog-user_behavior-${sets.user_behavior.slice(0, 8)}-features.csv`);
    expect(result.contentType).toMatch(/^text\/csv; charset=utf-8/);
    const [header, ...rows] = parseCsv((await readAll(result.stream)).toString("utf8"));
    expect(header).toEqual(exportColumns("user_behavior").map((c) => c.name));
    expect(rows.map((r) => r[0])).toEqual([PEOPLE.ada, PEOPLE.bob]);
    expect(rows[0]).toEqual([PEOPLE.ada, "5", '{"export":1,"search":2}', "2", "75", "2", "0.2", "2020-06-01T10:00:00.000Z", "2020-06-03T09:00:30.000Z"]);
    expect(rows[1]![4]).toBe(""); // bob has no sessions: mean_session_seconds is null
  });

  it.each(FEATURE_TYPES)("JSONL and Parquet of %s hold exactly the stored rows, typed, in order", async (type) => {
    const expected = await storedRows(sets[type]);
    expect(expected.length).toBeGreaterThan(0);
    const names = exportColumns(type).map((c) => c.name);

    const lines = (await download(sets[type], "jsonl")).toString("utf8").split("\n");
    expect(lines.pop()).toBe("");
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed).toEqual(expected);
    for (const p of parsed) expect(Object.keys(p)).toEqual(names);

    const { meta, rows } = await parquetFile(sets[type]);
    expect(rows).toEqual(expected);
    expect(meta.schema.slice(1).filter((e) => e.name !== "list" && e.name !== "element").map((e) => e.name)).toEqual(names);
    const manifest = JSON.parse(meta.key_value_metadata!.find((kv) => kv.key === "clearlog.manifest")!.value!);
    const set = await db().featureSet.findUniqueOrThrow({ where: { id: sets[type] } });
    // The embedded copy is the manifest without its member list (the rows' entity_key name them).
    const { subjects: { pseudonyms, ...subjects }, ...full } = (await featureSetManifest(sets[type]))!;
    expect(pseudonyms!.length).toBe(subjects.included);
    expect(manifest).toEqual({ ...full, subjects });
    expect(manifest.digest).toEqual({ algorithm: "sha256", value: set.digest });
  });

  it("reports the set's digest and offers the manifest, pretty JSON, under a matching name", async () => {
    const data = await openDatasetExport(sets.ai_usage, "parquet");
    await data.stream.cancel();
    const manifest = await openManifestExport(sets.ai_usage);
    const set = await db().featureSet.findUniqueOrThrow({ where: { id: sets.ai_usage } });
    expect(data.digest).toBe(set.digest);
    expect(manifest).toMatchObject({ digest: set.digest, contentType: "application/json; charset=utf-8", filename: `clearlog-ai_usage-${set.id.slice(0, 8)}-manifest.json` });
    expect(JSON.parse(manifest.body)).toEqual(await featureSetManifest(set.id));
  });
});

describe("large sets", () => {
  // Upper case, punctuation and characters CSV must quote: byte order differs from most locales.
  const keys = Array.from({ length: 4_500 }, (_, i) => `${["k", "K", "_", "a", "B", "~"][i % 6]}${String(i).padStart(5, "0")}`);
  keys.splice(0, 5, "=cmd|' /C calc'!A0", "-minus", "a,b", 'q"uote', "line\nbreak");
  let id = "";

  beforeAll(async () => {
    id = await completedSet();
    await database().pool.query(
      `INSERT INTO extracted_features (id, feature_set_id, entity_key, subject_pseudonym, features)
       SELECT gen_random_uuid(), $1, k, NULL, jsonb_build_object('events', i, 'events_by_action', jsonb_build_object('search', i % 7),
         'sessions', i % 3, 'mean_session_seconds', CASE WHEN i % 5 = 0 THEN NULL ELSE i / 8.0 END, 'active_days', 1, 'error_rate', 0.25,
         'first_seen', '2020-06-01T00:00:00.000Z', 'last_seen', '2020-06-02T00:00:00.000Z')
       FROM unnest($2::text[]) WITH ORDINALITY AS t(k, i)`,
      [id, keys],
    );
  });

  it("streams every row exactly once, in byte order, in every format", async () => {
    expect(keys.length).toBeGreaterThan(2 * PAGE_ROWS);
    const sorted = [...keys].sort();
    const csv = parseCsv((await download(id, "csv")).toString("utf8"));
    expect(csv).toHaveLength(keys.length + 1);
    const neutralised = (k: string) => (/^[=+\-@\t\r]/.test(k) ? `'${k}` : k);
    expect(csv.slice(1).map((r) => r[0])).toEqual(sorted.map(neutralised));

    const jsonl = (await download(id, "jsonl")).toString("utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(jsonl.map((r) => r.entity_key)).toEqual(sorted);
    expect(jsonl).toEqual(await storedRows(id));

    const { meta, rows } = await parquetFile(id);
    expect(meta.num_rows).toBe(4_500n);
    expect(rows.map((r) => r.entity_key)).toEqual(sorted);
    expect(rows).toEqual(jsonl);
  });

  it("stops a download when the set turns stale halfway, rather than ending short", async () => {
    const reader = (await openDatasetExport(id, "jsonl")).stream.getReader();
    expect((await reader.read()).done).toBe(false);
    await db().featureSet.update({ where: { id }, data: { staleAt: new Date() } });
    const error = await errorOf((async () => {
      while (!(await reader.read()).done);
    })());
    expect(error).toBeInstanceOf(SafeError);
    expect((error as SafeError).code).toBe("conflict");
    await db().featureSet.update({ where: { id }, data: { staleAt: null } });
  });
});

describe("refusals and edge cases", () => {
  it("refuses the data of a stale set, telling to rebuild it; its manifest stays available", async () => {
    const { featureSetId } = await extractFeatures("user_behavior", RANGE);
    await db().featureSet.update({ where: { id: featureSetId }, data: { staleAt: new Date() } });
    for (const format of ["csv", "jsonl", "parquet"] as const) {
      await expectSafeError(openDatasetExport(featureSetId, format), "conflict", /stale.*Rebuild the set/s);
    }
    const manifest = JSON.parse((await openManifestExport(featureSetId)).body);
    expect(manifest.status.stale).toBe(true);
  });

  it("an unknown, malformed or unfinished set is not found", async () => {
    const { featureSetId: building } = await startExtraction({ featureType: "ai_usage", ...RANGE }, { type: "system" });
    for (const id of [randomUUID(), "not-a-uuid", building]) {
      await expectSafeError(openDatasetExport(id, "csv"), "not_found", "There is no complete feature set with this id.");
      await expectSafeError(openManifestExport(id), "not_found");
    }
    await expectSafeError(openDatasetExport(sets.ai_usage, "xlsx" as never), "invalid", /format must be one of csv, jsonl, parquet/);
  });

  it("an empty completed set gives a header-only CSV, an empty JSONL and a zero-row Parquet file", async () => {
    const id = await completedSet("error_patterns");
    expect((await download(id, "csv")).toString("utf8")).toBe(`${exportColumns("error_patterns").map((c) => c.name).join(",")}\r\n`);
    expect((await download(id, "jsonl")).length).toBe(0);
    const { meta, rows } = await parquetFile(id);
    expect(rows).toEqual([]);
    expect(meta.num_rows).toBe(0n);
    expect(meta.schema).toHaveLength(exportColumns("error_patterns").length + 3); // root, and list + element for components
    expect(JSON.parse(meta.key_value_metadata![0]!.value!).featureSetId).toBe(id);
  });
});
