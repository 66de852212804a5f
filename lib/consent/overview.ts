import "server-only";
import { database } from "../db/client";
import { rows, sql } from "../db/sql";

export interface PurposeRate {
  purpose: string;
  name: string;
  granted: number;
  total: number;
}

export interface ConsentOverview {
  current: PurposeRate[];
  /** one row per day: `{ day, analytics: 0.61, … }` — share of people with a recorded choice who granted */
  daily: ({ day: string } & Record<string, number | string>)[];
  gpcSubjects: number;
  subjectsWithChoices: number;
  purposes: { key: string; name: string }[];
}

/** Opt-in rates per purpose now and over the last `days` days, and the share of people sending GPC. */
export async function loadConsentOverview(days = 30): Promise<ConsentOverview> {
  const { pool } = database();
  const [purposes, current, daily, gpc] = await Promise.all([
    rows<{ key: string; name: string; default_granted: boolean }>(pool, sql`SELECT key, name, default_granted FROM consent_purposes ORDER BY sort_order`),
    rows<{ purpose: string; granted: string; choices: string; subjects: string }>(
      pool,
      sql`SELECT p.key AS purpose,
              count(*) FILTER (WHERE s.granted) AS granted,
              count(s.id) AS choices,
              (SELECT count(*) FROM subjects) AS subjects
         FROM consent_purposes p LEFT JOIN consent_settings s ON s.purpose = p.key
        GROUP BY p.key`,
    ),
    // For each day, each person's latest choice per purpose as of the end of that day.
    rows<{ day: string; purpose: string; rate: string }>(
      pool,
      sql`WITH days AS (SELECT generate_series(current_date - (${days}::int - 1), current_date, interval '1 day')::date AS day),
            latest AS (
              SELECT d.day, h.purpose, h.subject_pseudonym,
                     (array_agg(h.granted ORDER BY h.recorded_at DESC, h.id DESC))[1] AS granted
                FROM days d JOIN consent_history h ON h.recorded_at < d.day + 1
               GROUP BY d.day, h.purpose, h.subject_pseudonym)
       SELECT to_char(day, 'YYYY-MM-DD') AS day, purpose, avg(granted::int) AS rate FROM latest GROUP BY day, purpose ORDER BY day`,
    ),
    rows<{ gpc: string; any: string }>(
      pool,
      sql`SELECT count(DISTINCT subject_pseudonym) FILTER (WHERE method = 'gpc') AS gpc, count(DISTINCT subject_pseudonym) AS any FROM consent_settings`,
    ),
  ]);
  const byDay = new Map<string, { day: string } & Record<string, number | string>>();
  for (const r of daily) {
    const row = byDay.get(r.day) ?? { day: r.day };
    row[r.purpose] = Math.round(Number(r.rate) * 1000) / 10;
    byDay.set(r.day, row);
  }
  const defaults = new Map(purposes.map((p) => [p.key, p.default_granted]));
  return {
    purposes: purposes.map((p) => ({ key: p.key, name: p.name })),
    current: purposes.map((p) => {
      const c = current.find((r) => r.purpose === p.key)!;
      const subjects = Number(c.subjects);
      const undecided = Math.max(0, subjects - Number(c.choices));
      // People who never chose take the purpose's default.
      return { purpose: p.key, name: p.name, granted: Number(c.granted) + (defaults.get(p.key) ? undecided : 0), total: subjects };
    }),
    daily: [...byDay.values()],
    gpcSubjects: Number(gpc[0]!.gpc),
    subjectsWithChoices: Number(gpc[0]!.any),
  };
}
