import "server-only";
import { database } from "../db/client";
import { EVENT_TYPES, type EventTypeKey, type VolumeBucket } from "./event-types";
import { windowParams, type RangeWindow } from "./range";
import { BUCKET_SERIES, bucketOf, inWindow } from "./sql";

export interface VolumePoint extends VolumeBucket {
  total: number;
  /** Errors as a percentage of all events in the bucket (two decimals); null when it has no events. */
  errorRate: number | null;
}

export interface EventVolume {
  points: VolumePoint[];
  total: number;
  errors: number;
  /** Errors as a percentage of all events over the range; null without events. */
  errorRate: number | null;
}

type Row = { bucket: Date; total: string; error_rate: number | null } & Record<EventTypeKey, string>;

// The type names are our own constants, never input.
const perType = EVENT_TYPES.map((t) => `count(*) FILTER (WHERE type = '${t}') AS ${t}`).join(",\n         ");
const filled = EVENT_TYPES.map((t) => `coalesce(c.${t}, 0) AS ${t}`).join(", ");

const SQL = `
  WITH counts AS (
    SELECT ${bucketOf()} AS bucket,
           ${perType},
           count(*) AS total
      FROM system_logs
     WHERE ${inWindow()}
     GROUP BY 1
  )
  SELECT b.bucket, ${filled}, coalesce(c.total, 0) AS total,
         round(100.0 * c.error / nullif(c.total, 0), 2)::float8 AS error_rate
    FROM ${BUCKET_SERIES} AS b(bucket)
    LEFT JOIN counts c USING (bucket)
   ORDER BY b.bucket`;

/** Events per bucket stacked by type, with the error rate per bucket; empty buckets are zeros. */
export async function loadEventVolume(w: RangeWindow): Promise<EventVolume> {
  const { rows } = await database().pool.query<Row>(SQL, windowParams(w));
  const points = rows.map((r) => {
    const point = { bucket: r.bucket.toISOString(), total: Number(r.total), errorRate: r.error_rate } as VolumePoint;
    for (const t of EVENT_TYPES) point[t] = Number(r[t]);
    return point;
  });
  const total = points.reduce((sum, p) => sum + p.total, 0);
  const errors = points.reduce((sum, p) => sum + p.error, 0);
  return { points, total, errors, errorRate: total > 0 ? Math.round((10_000 * errors) / total) / 100 : null };
}
