import "server-only";
import { database } from "../db/client";
import { secret } from "../env";
import { pseudonymize } from "./anonymize";
import { SUBJECT_COLUMNS } from "./subject-data";

export interface RekeyReport {
  /** subjects whose pseudonym changed */
  subjects: number;
  /** rows rewritten, per table */
  tables: Record<string, number>;
}

/**
 * After CLEARLOG_SECRET changed: recomputes every subject's pseudonym from its application id with
 * the current key and rewrites it in every column of the registry, in one transaction. Subjects
 * already erased have no application id left and keep their (unlinkable) old pseudonym. Running it
 * again changes nothing. Stop ingest while it runs (docs/privacy.md, "Rotating the key").
 */
export async function rekeyPseudonyms(key: string = secret()): Promise<RekeyReport> {
  const client = await database().pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ pseudonym: string; external_id: string }>("SELECT pseudonym, external_id FROM subjects FOR UPDATE");
    const map = rows.map((r) => ({ old: r.pseudonym, new: pseudonymize("subject", r.external_id, key) })).filter((m) => m.old !== m.new);
    const tables: Record<string, number> = {};
    if (map.length > 0) {
      await client.query("CREATE TEMP TABLE rekey_map (old text PRIMARY KEY, new text NOT NULL) ON COMMIT DROP");
      await client.query("INSERT INTO rekey_map SELECT * FROM jsonb_to_recordset($1::jsonb) AS m(old text, new text)", [JSON.stringify(map)]);
      for (const c of SUBJECT_COLUMNS) {
        const t = `"${c.table}"`;
        // The registered column last, so the count reported is its own.
        for (const col of [...(c.mirrors ?? []), c.column].map((x) => `"${x}"`)) {
          tables[c.table] = (await client.query(`UPDATE ${t} SET ${col} = m.new FROM rekey_map m WHERE ${t}.${col} = m.old`)).rowCount ?? 0;
        }
      }
    }
    await client.query("COMMIT");
    return { subjects: map.length, tables };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
