import { z } from "zod";
import { CLASSIFICATIONS, EVENT_TYPES, SEVERITIES } from "../db/enums";

// The explorer's filters, as they live in the URL (so a link reproduces the view). Pure: the page,
// the client and the API route parse the same parameters the same way. The subject filter holds a
// pseudonym, never the application's id: no personal data in URLs.
export const RANGE_PRESETS = { "15m": 15 * 60_000, "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

export { CLASSIFICATIONS as FILTER_CLASSIFICATIONS, EVENT_TYPES as FILTER_TYPES, SEVERITIES as FILTER_SEVERITIES } from "../db/enums";

const list = <T extends readonly [string, ...string[]]>(values: T, name: string) =>
  z.preprocess((v) => (typeof v === "string" && v !== "" ? v.split(",") : undefined), z.array(z.enum(values, `Unknown ${name}`)).optional());
const text = (max: number) => z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined), z.string().max(max, `At most ${max} characters`).optional());
const instant = z.preprocess((v) => (typeof v === "string" && v !== "" ? v : undefined), z.coerce.date("Not a date").optional());

export const filtersSchema = z.object({
  range: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["15m", "1h", "24h", "7d", "30d", "custom"], "Unknown time range").default("24h")),
  from: instant,
  to: instant,
  type: list(EVENT_TYPES, "event type"),
  severity: list(SEVERITIES, "severity"),
  classification: list(CLASSIFICATIONS, "classification"),
  component: text(200),
  subject: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^[0-9a-f]{64}$/, "Not a subject pseudonym").optional()),
  session: text(200),
  model: text(200),
  /** an exact status (404) or a class (5xx) */
  status: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^([1-5]\d\d|[1-5]xx)$/, "A status such as 404 or 5xx").optional()),
  q: text(200),
});

export type Filters = z.infer<typeof filtersSchema>;

export const FILTER_KEYS = Object.keys(filtersSchema.shape) as (keyof Filters)[];

/** The URL parameters for `filters` (defaults left out, lists comma-separated). */
export function filtersToParams(filters: Partial<Filters>): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value === undefined || value === null || (key === "range" && value === "24h")) continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(","));
    } else if (value instanceof Date) params.set(key, value.toISOString());
    else params.set(key, String(value));
  }
  return params;
}

/** The time window the filters select; custom ranges need `from`, and `to` defaults to now. */
export function timeWindow(filters: Filters, now = new Date()): { from: Date; to: Date } {
  if (filters.range === "custom") return { from: filters.from ?? new Date(now.getTime() - RANGE_PRESETS["24h"]), to: filters.to ?? now };
  return { from: new Date(now.getTime() - RANGE_PRESETS[filters.range]), to: now };
}
