import "server-only";
import { database } from "../db/client";
import type { ClassificationKey } from "./event-types";
import { windowParams, type RangeWindow } from "./range";
import { inWindow } from "./sql";

export type ClassificationCount = { classification: ClassificationKey; count: number };

// Every level of the enum, in its order (public → restricted), zero when the range has none.
const SQL = `
  SELECT k::text AS classification, coalesce(c.n, 0) AS n
    FROM unnest(enum_range(NULL::"Classification")) AS k
    LEFT JOIN (
      SELECT classification, count(*) AS n
        FROM system_logs
       WHERE ${inWindow()}
       GROUP BY classification
    ) c ON c.classification = k
   ORDER BY k`;

/** Events per sensitivity level over the range. */
export async function loadClassificationBreakdown(w: RangeWindow): Promise<ClassificationCount[]> {
  const [since, until] = windowParams(w);
  const { rows } = await database().pool.query<{ classification: ClassificationKey; n: string }>(SQL, [since, until]);
  return rows.map((r) => ({ classification: r.classification, count: Number(r.n) }));
}
