import { z } from "zod";

// The dashboard's time ranges: parsed from the URL (`/admin?range=24h|7d|30d`) and turned into
// buckets aligned to whole UTC hours or days. Pure, so the page, the charts and tests share it.
export const RANGES = ["24h", "7d", "30d"] as const;
export type RangeKey = (typeof RANGES)[number];
export const DEFAULT_RANGE: RangeKey = "7d";

export const RANGE_LABELS: Record<RangeKey, string> = {
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
};

export type Granularity = "hour" | "day";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const SPEC: Record<RangeKey, { granularity: Granularity; stepMs: number; buckets: number }> = {
  "24h": { granularity: "hour", stepMs: HOUR_MS, buckets: 24 },
  "7d": { granularity: "day", stepMs: DAY_MS, buckets: 7 },
  "30d": { granularity: "day", stepMs: DAY_MS, buckets: 30 },
};

const rangeSchema = z.enum(RANGES).catch(DEFAULT_RANGE);

/** The `range` search parameter; anything missing or unknown falls back to the default. */
export function parseRange(value: string | string[] | undefined): RangeKey {
  return rangeSchema.parse(Array.isArray(value) ? value[0] : value);
}

export interface RangeWindow {
  range: RangeKey;
  granularity: Granularity;
  /** Start of the first bucket (inclusive). */
  since: Date;
  /** End of the last bucket (exclusive): the end of the current hour or UTC day. */
  until: Date;
  stepMs: number;
  buckets: number;
}

/**
 * The buckets of a range, the last one holding `now`: 24 whole hours for 24h (the current hour
 * included), 7 or 30 whole UTC days for 7d and 30d (today included). Stat cards and charts count the
 * same window, so their totals agree.
 */
export function rangeWindow(range: RangeKey, now = new Date()): RangeWindow {
  const { granularity, stepMs, buckets } = SPEC[range];
  // Unix time has no leap seconds and starts at a UTC midnight, so flooring aligns to UTC hours/days.
  const current = Math.floor(now.getTime() / stepMs) * stepMs;
  return {
    range,
    granularity,
    since: new Date(current - (buckets - 1) * stepMs),
    until: new Date(current + stepMs),
    stepMs,
    buckets,
  };
}

/** The SQL parameters every dashboard query takes: $1 since, $2 until, $3 the bucket width. */
export function windowParams(w: RangeWindow): [Date, Date, string] {
  // Seconds, not '1 day': a day interval follows the session's time zone across DST changes.
  return [w.since, w.until, `${w.stepMs / 1000} seconds`];
}
