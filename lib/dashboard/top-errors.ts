import "server-only";
import { database } from "../db/client";
import { windowParams, type RangeWindow } from "./range";
import { BUCKET_SERIES, bucketOf, inWindow } from "./sql";

export interface TopError {
  fingerprint: string;
  errorType: string | null;
  /** The latest occurrence's message (redacted at ingest), cut to 300 characters. */
  message: string | null;
  count: number;
  lastSeen: string;
  /** Occurrences per bucket of the range, oldest first, zero-filled. */
  trend: number[];
}

export const TOP_ERRORS_LIMIT = 10;

// The top fingerprints by count over the range, then for each of them only (index on
// error_fingerprint, occurred_at): the latest sample and the per-bucket trend.
const SQL = `
  WITH top AS (
    SELECT error_fingerprint AS fingerprint, count(*) AS n, max(occurred_at) AS last_seen
      FROM system_logs
     WHERE type = 'error' AND error_fingerprint IS NOT NULL AND ${inWindow()}
     GROUP BY error_fingerprint
     ORDER BY n DESC, last_seen DESC, fingerprint
     LIMIT $4
  )
  SELECT t.fingerprint, t.n, t.last_seen, s.error_type, s.message, trend.counts
    FROM top t
    CROSS JOIN LATERAL (
      SELECT l.error_type, left(l.message, 300) AS message
        FROM system_logs l
       WHERE l.error_fingerprint = t.fingerprint AND l.type = 'error' AND ${inWindow("l")}
       ORDER BY l.occurred_at DESC
       LIMIT 1
    ) s
    CROSS JOIN LATERAL (
      SELECT array_agg(coalesce(c.n, 0)::int ORDER BY b.bucket) AS counts
        FROM ${BUCKET_SERIES} AS b(bucket)
        LEFT JOIN (
          SELECT ${bucketOf("l.occurred_at")} AS bucket, count(*) AS n
            FROM system_logs l
           WHERE l.error_fingerprint = t.fingerprint AND l.type = 'error' AND ${inWindow("l")}
           GROUP BY 1
        ) c USING (bucket)
    ) trend
   ORDER BY t.n DESC, t.last_seen DESC, t.fingerprint`;

type Row = { fingerprint: string; n: string; last_seen: Date; error_type: string | null; message: string | null; counts: number[] };

/** The most frequent error fingerprints over the range, most frequent first (ties: latest first). */
export async function loadTopErrors(w: RangeWindow, limit = TOP_ERRORS_LIMIT): Promise<TopError[]> {
  const { rows } = await database().pool.query<Row>(SQL, [...windowParams(w), limit]);
  return rows.map((r) => ({
    fingerprint: r.fingerprint,
    errorType: r.error_type,
    message: r.message,
    count: Number(r.n),
    lastSeen: r.last_seen.toISOString(),
    trend: r.counts,
  }));
}
