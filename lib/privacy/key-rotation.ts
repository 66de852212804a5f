import "server-only";
import { query, quoteIdentifier, sql } from "../db/sql";
import { transaction } from "../db/transaction";
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
  return transaction(
    async (tx) => {
      const { rows } = await tx.pg.query<{ pseudonym: string; external_id: string }>("SELECT pseudonym, external_id FROM subjects FOR UPDATE");
      const map = rows.map((r) => ({ old: r.pseudonym, new: pseudonymize("subject", r.external_id, key) })).filter((m) => m.old !== m.new);
      const tables: Record<string, number> = {};
      if (map.length > 0) {
        await tx.pg.query("CREATE TEMP TABLE rekey_map (old text PRIMARY KEY, new text NOT NULL) ON COMMIT DROP");
        await query(tx.pg, sql`INSERT INTO rekey_map SELECT * FROM jsonb_to_recordset(${JSON.stringify(map)}::jsonb) AS m(old text, new text)`);
        for (const c of SUBJECT_COLUMNS) {
          const t = quoteIdentifier(c.table);
          // The registered column last, so the count reported is its own.
          for (const col of [...(c.mirrors ?? []), c.column].map(quoteIdentifier)) {
            tables[c.table] = (await tx.pg.query(`UPDATE ${t} SET ${col} = m.new FROM rekey_map m WHERE ${t}.${col} = m.old`)).rowCount ?? 0;
          }
        }
      }
      return { subjects: map.length, tables };
    },
    // Every subject's rows in one transaction: as long as the data takes.
    { timeout: 30 * 60_000 },
  );
}
