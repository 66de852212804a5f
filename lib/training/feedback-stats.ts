import "server-only";
import { database } from "../db/client";

// Feedback on one model version as its page shows it: per day, the score distribution, totals and
// the newest corrections. Computed in SQL.

export interface FeedbackDay {
  /** the UTC day, YYYY-MM-DD */
  date: string;
  count: number;
  up: number;
  down: number;
  meanScore: number | null;
}

export interface ScoreBucket {
  /** "7" for whole-number scores, "0.2–0.3" for fractional ones (upper end exclusive but for the last) */
  label: string;
  from: number;
  to: number;
  count: number;
}

export interface LatestFeedback {
  id: string;
  label: string | null;
  correction: string | null;
  comment: string | null;
  rating: "up" | "down" | null;
  score: number | null;
  source: "end_user" | "annotator" | "automated";
  eventId: string | null;
  trainingEligible: boolean;
  createdAt: string;
}

/** Plain data (dates as ISO strings), so it can cross from a server component to FeedbackCharts. */
export interface FeedbackStats {
  days: number;
  /** start of the window: UTC midnight, `days` days back including today */
  since: string;
  daily: FeedbackDay[];
  /** 1, 5 or 10: the smallest scale that holds every score of the window */
  scoreScale: number;
  scoreBuckets: ScoreBucket[];
  totals: { count: number; up: number; down: number; scored: number; meanScore: number | null; trainingEligible: number; eligibleShare: number | null };
  /** the 20 newest entries with text (any time), as stored: already redacted, never the subject */
  latest: LatestFeedback[];
}

const DAY_MS = 86_400_000;
const SCALES = [1, 5, 10] as const;
const trim = (n: number) => String(Math.round(n * 100) / 100);

/** Feedback on one version over the last `days` UTC days, computed in SQL. */
export async function feedbackStats(versionId: string, options: { days?: number; now?: Date } = {}): Promise<FeedbackStats> {
  const days = Math.min(Math.max(Math.floor(options.days ?? 30), 1), 366);
  const now = options.now ?? new Date();
  const since = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - (days - 1) * DAY_MS);
  const until = new Date(since.getTime() + days * DAY_MS);
  const { pool } = database();
  const window = "f.model_version_id = $1 AND f.created_at >= $2 AND f.created_at < $3";

  const [daily, totals, latest] = await Promise.all([
    pool.query<FeedbackDay>(
      `SELECT to_char(($2::timestamptz + g * interval '24 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, count(f.id)::int AS count,
         count(f.id) FILTER (WHERE f.rating > 0)::int AS up, count(f.id) FILTER (WHERE f.rating < 0)::int AS down, avg(f.score) AS "meanScore"
       FROM generate_series(0, $4::int - 1) AS g
       LEFT JOIN model_feedback f ON ${window}
         AND f.created_at >= $2::timestamptz + g * interval '24 hours' AND f.created_at < $2::timestamptz + (g + 1) * interval '24 hours'
       GROUP BY g ORDER BY g`,
      [versionId, since, until, days],
    ),
    pool.query<FeedbackStats["totals"] & { maxScore: number | null; integral: boolean }>(
      `SELECT count(*)::int AS count, count(*) FILTER (WHERE rating > 0)::int AS up, count(*) FILTER (WHERE rating < 0)::int AS down,
         count(score)::int AS scored, avg(score) AS "meanScore", count(*) FILTER (WHERE training_eligible)::int AS "trainingEligible",
         max(score) AS "maxScore", COALESCE(bool_and(score = trunc(score)), true) AS integral
       FROM model_feedback f WHERE ${window}`,
      [versionId, since, until],
    ),
    pool.query<Omit<LatestFeedback, "rating" | "createdAt"> & { rating: number | null; createdAt: Date }>(
      `SELECT id, label, correction, comment, rating, score, source::text AS source, event_id AS "eventId", training_eligible AS "trainingEligible", created_at AS "createdAt"
       FROM model_feedback
       WHERE model_version_id = $1 AND (label IS NOT NULL OR correction IS NOT NULL OR comment IS NOT NULL)
       ORDER BY created_at DESC, id DESC LIMIT 20`,
      [versionId],
    ),
  ]);

  const { maxScore, integral, ...t } = totals.rows[0]!;
  const scoreScale = SCALES.find((s) => (maxScore ?? 0) <= s) ?? 10;
  let scoreBuckets: ScoreBucket[] = [];
  if (t.scored > 0) {
    // Whole-number scores (stars, 0–10 ratings) get a bar per value; fractional ones ten equal bins.
    const n = integral ? scoreScale + 1 : 10;
    const { rows } = await pool.query<{ b: number; count: number }>(
      `SELECT g AS b, count(f.id)::int AS count
       FROM generate_series(0, $5::int - 1) AS g
       LEFT JOIN model_feedback f ON ${window} AND f.score IS NOT NULL
         AND (CASE WHEN $6::boolean THEN f.score::int ELSE LEAST(width_bucket(f.score, 0, $4::float8, $5::int), $5::int) - 1 END) = g
       GROUP BY g ORDER BY g`,
      [versionId, since, until, scoreScale, n, integral],
    );
    const width = scoreScale / 10;
    scoreBuckets = rows.map(({ b, count }) =>
      integral ? { label: String(b), from: b, to: b, count } : { label: `${trim(b * width)}–${trim((b + 1) * width)}`, from: b * width, to: (b + 1) * width, count },
    );
  }

  return {
    days,
    since: since.toISOString(),
    daily: daily.rows,
    scoreScale,
    scoreBuckets,
    totals: { ...t, eligibleShare: t.count > 0 ? t.trainingEligible / t.count : null },
    latest: latest.rows.map((r) => ({ ...r, rating: r.rating === null ? null : r.rating > 0 ? "up" : "down", createdAt: r.createdAt.toISOString() })),
  };
}
