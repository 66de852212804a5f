import type { FeatureTypeName } from "./definitions";

// The SQL of an extraction. Every statement takes $1 = feature set id, $2 = start (inclusive),
// $3 = end (exclusive). Rows are keyed by pseudonym or fingerprint; nothing here reads raw ids.

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const IN_RANGE = "e.occurred_at >= $2::timestamptz AND e.occurred_at < $3::timestamptz";

/** The events each feature type reads. */
const RELEVANT: Record<FeatureTypeName, string> = {
  user_behavior: "TRUE",
  ai_usage: "e.type = 'ai_interaction'",
  error_patterns: "e.type = 'error' AND e.error_fingerprint IS NOT NULL",
};

/** Whether subject `p` may contribute to training right now: linked, not restricted, consenting. */
export const ELIGIBLE_NOW = (p: string) => `EXISTS (
  SELECT 1 FROM subjects s
  LEFT JOIN consent_settings cs ON cs.subject_pseudonym = s.pseudonym AND cs.purpose = 'ai_training'
  LEFT JOIN consent_purposes cp ON cp.key = 'ai_training'
  WHERE s.pseudonym = ${p} AND s.restricted_at IS NULL AND COALESCE(cs.granted, cp.default_granted, false))`;

/**
 * Stage 1: every subject with relevant events in the range is either a member (inserted into
 * feature_set_subjects) or excluded for a reason. Returns (reason, n) rows, 'included' for members.
 */
export function selectSubjectsSql(type: FeatureTypeName): string {
  return `
WITH candidates AS (
  SELECT e.subject_pseudonym AS p, bool_or(NOT e.training_excluded) AS usable
  FROM system_logs e
  WHERE ${IN_RANGE} AND e.subject_pseudonym IS NOT NULL AND ${RELEVANT[type]}
  GROUP BY e.subject_pseudonym
), classified AS (
  SELECT c.p, CASE
      WHEN s.pseudonym IS NULL THEN 'erased'
      WHEN s.restricted_at IS NOT NULL THEN 'restricted'
      WHEN COALESCE(cs.granted, cp.default_granted, false) THEN CASE WHEN c.usable THEN NULL ELSE 'events_excluded' END
      WHEN cs.granted = false AND cs.method <> 'default' THEN 'withdrawn'
      ELSE 'no_consent'
    END AS reason
  FROM candidates c
  LEFT JOIN subjects s ON s.pseudonym = c.p
  LEFT JOIN consent_settings cs ON cs.subject_pseudonym = c.p AND cs.purpose = 'ai_training'
  LEFT JOIN consent_purposes cp ON cp.key = 'ai_training'
), members AS (
  INSERT INTO feature_set_subjects (feature_set_id, subject_pseudonym)
  SELECT $1, p FROM classified WHERE reason IS NULL
  RETURNING 1
)
SELECT reason, count(*)::int AS n FROM classified WHERE reason IS NOT NULL GROUP BY reason
UNION ALL SELECT 'included', count(*)::int FROM members`;
}

/** The member's usable events of the range; error patterns also count events with no subject. */
function memberEvents(type: FeatureTypeName, columns: string): string {
  const join =
    type === "error_patterns"
      ? "LEFT JOIN feature_set_subjects m ON m.feature_set_id = $1 AND m.subject_pseudonym = e.subject_pseudonym"
      : "JOIN feature_set_subjects m ON m.feature_set_id = $1 AND m.subject_pseudonym = e.subject_pseudonym";
  const who = type === "error_patterns" ? " AND (e.subject_pseudonym IS NULL OR m.subject_pseudonym IS NOT NULL)" : "";
  return `SELECT ${columns} FROM system_logs e ${join}
    WHERE ${IN_RANGE} AND ${RELEVANT[type]} AND NOT e.training_excluded AND m.withdrawn_at IS NULL${who}`;
}

const INSERT = "INSERT INTO extracted_features (id, feature_set_id, entity_key, subject_pseudonym, features)";

/** Stage 2: the rows of the set, one INSERT … SELECT per feature type. */
export const FEATURE_SQL: Record<FeatureTypeName, string> = {
  user_behavior: `
WITH ev AS MATERIALIZED (${memberEvents("user_behavior", "e.subject_pseudonym AS p, e.type, e.name, e.session_id, e.occurred_at")}),
totals AS (
  SELECT p, count(*) AS events, count(*) FILTER (WHERE type = 'error') AS errors, count(DISTINCT session_id) AS sessions,
    count(DISTINCT (occurred_at AT TIME ZONE 'UTC')::date) AS active_days, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen
  FROM ev GROUP BY p
), actions AS (
  SELECT p, jsonb_object_agg(name, n) AS by_action
  FROM (SELECT p, name, count(*) AS n FROM ev WHERE type = 'user_action' GROUP BY p, name) a GROUP BY p
), session_lengths AS (
  SELECT p, avg(extract(epoch FROM last_at - first_at)) AS mean_seconds
  FROM (SELECT p, min(occurred_at) AS first_at, max(occurred_at) AS last_at FROM ev WHERE session_id IS NOT NULL GROUP BY p, session_id) s GROUP BY p
)
${INSERT}
SELECT gen_random_uuid(), $1, t.p, t.p, jsonb_build_object(
  'events', t.events,
  'events_by_action', COALESCE(a.by_action, '{}'::jsonb),
  'sessions', t.sessions,
  'mean_session_seconds', round(sl.mean_seconds::numeric, 3),
  'active_days', t.active_days,
  'error_rate', round(t.errors::numeric / t.events, 6),
  'first_seen', ${ISO("t.first_seen")},
  'last_seen', ${ISO("t.last_seen")})
FROM totals t LEFT JOIN actions a USING (p) LEFT JOIN session_lengths sl USING (p)`,

  ai_usage: `
WITH ev AS MATERIALIZED (${memberEvents(
    "ai_usage",
    "e.subject_pseudonym AS p, e.gen_ai_request_model AS model, e.gen_ai_usage_input_tokens AS input_tokens, e.gen_ai_usage_output_tokens AS output_tokens, e.gen_ai_latency_ms AS latency, e.gen_ai_cost_usd AS cost",
  )}),
usage AS (
  SELECT p, count(*) AS interactions, COALESCE(sum(input_tokens), 0) AS input_tokens, COALESCE(sum(output_tokens), 0) AS output_tokens,
    COALESCE(array_agg(DISTINCT model ORDER BY model) FILTER (WHERE model IS NOT NULL), '{}') AS models,
    avg(latency) AS mean_latency, percentile_cont(0.95) WITHIN GROUP (ORDER BY latency) AS p95_latency, sum(cost) AS cost
  FROM ev GROUP BY p
), feedback AS (
  SELECT f.subject_pseudonym AS p, count(*) AS n, avg(f.score) AS mean_score,
    count(*) FILTER (WHERE f.rating > 0) AS up, count(*) FILTER (WHERE f.rating < 0) AS down
  FROM model_feedback f JOIN feature_set_subjects m ON m.feature_set_id = $1 AND m.subject_pseudonym = f.subject_pseudonym AND m.withdrawn_at IS NULL
  WHERE f.training_eligible AND f.created_at >= $2 AND f.created_at < $3
  GROUP BY f.subject_pseudonym
)
${INSERT}
SELECT gen_random_uuid(), $1, u.p, u.p, jsonb_build_object(
  'interactions', u.interactions,
  'input_tokens', u.input_tokens,
  'output_tokens', u.output_tokens,
  'models', to_jsonb(u.models),
  'mean_latency_ms', round(u.mean_latency::numeric, 3),
  'p95_latency_ms', round(u.p95_latency::numeric, 3),
  'cost_usd', round(COALESCE(u.cost, 0), 6),
  'feedback_count', COALESCE(f.n, 0),
  'mean_feedback_score', round(f.mean_score::numeric, 4),
  'thumbs_up', COALESCE(f.up, 0),
  'thumbs_down', COALESCE(f.down, 0))
FROM usage u LEFT JOIN feedback f USING (p)`,

  error_patterns: `
WITH ev AS MATERIALIZED (${memberEvents("error_patterns", "e.error_fingerprint AS fp, e.error_type, e.component, m.subject_pseudonym AS p, e.occurred_at")}),
agg AS (
  SELECT fp, count(*) AS n, count(DISTINCT p) AS subjects,
    COALESCE(array_agg(DISTINCT component ORDER BY component) FILTER (WHERE component IS NOT NULL), '{}') AS components,
    min(occurred_at) AS first_seen, max(occurred_at) AS last_seen,
    count(*) FILTER (WHERE occurred_at < $2 + ($3 - $2) / 2) AS first_half,
    count(*) FILTER (WHERE occurred_at >= $2 + ($3 - $2) / 2) AS second_half
  FROM ev GROUP BY fp
), main_type AS (
  SELECT DISTINCT ON (fp) fp, error_type FROM (SELECT fp, error_type, count(*) AS n FROM ev GROUP BY fp, error_type) t
  ORDER BY fp, n DESC, error_type COLLATE "C"
)
${INSERT}
SELECT gen_random_uuid(), $1, a.fp, NULL, jsonb_build_object(
  'error_type', mt.error_type,
  'count', a.n,
  'affected_subjects', a.subjects,
  'components', to_jsonb(a.components),
  'first_seen', ${ISO("a.first_seen")},
  'last_seen', ${ISO("a.last_seen")},
  'first_half_count', a.first_half,
  'second_half_count', a.second_half,
  'trend', CASE WHEN a.second_half > a.first_half AND a.second_half >= 1.25 * a.first_half THEN 'rising'
                WHEN a.second_half <= 0.8 * a.first_half THEN 'falling' ELSE 'stable' END)
FROM agg a JOIN main_type mt USING (fp)`,
};

/**
 * Stage 3: members who stopped qualifying while the set was being built (withdrew, were restricted
 * or erased) leave it. Returns (reason, n) for those removed.
 */
export const RECHECK_SQL = `
WITH gone AS (
  DELETE FROM feature_set_subjects m
  WHERE m.feature_set_id = $1::uuid AND (m.withdrawn_at IS NOT NULL OR NOT ${ELIGIBLE_NOW("m.subject_pseudonym")})
  RETURNING m.subject_pseudonym, m.withdrawal
)
SELECT CASE
    WHEN g.withdrawal = 'erased' OR s.pseudonym IS NULL THEN 'erased'
    WHEN g.withdrawal = 'restricted' OR s.restricted_at IS NOT NULL THEN 'restricted'
    ELSE 'withdrawn' END AS reason, count(*)::int AS n
FROM gone g LEFT JOIN subjects s ON s.pseudonym = g.subject_pseudonym
GROUP BY 1`;

/**
 * Stage 4: the content digest, over a header naming the definition and range, the member
 * pseudonyms and every row, each in byte order, so the same inputs always give the same digest.
 */
export const DIGEST_SQL = `
SELECT encode(sha256(convert_to(
  $2 || E'\\n' ||
  COALESCE((SELECT string_agg(subject_pseudonym, E'\\n' ORDER BY subject_pseudonym COLLATE "C") FROM feature_set_subjects WHERE feature_set_id = $1), '') || E'\\n' ||
  COALESCE((SELECT string_agg(entity_key || E'\\t' || features::text, E'\\n' ORDER BY entity_key COLLATE "C") FROM extracted_features WHERE feature_set_id = $1), ''),
  'UTF8')), 'hex') AS digest,
  (SELECT count(*)::int FROM extracted_features WHERE feature_set_id = $1) AS rows,
  (SELECT count(*)::int FROM feature_set_subjects WHERE feature_set_id = $1) AS subjects`;
