-- The logs explorer's full-text search and retention runs.

-- Full-text search over what an event says: its name, message, component, error type and every
-- string in its payload (already classified and redacted at ingest). Stored, so a search filters
-- rows without recomputing the vector, and indexed with GIN. The 'simple' configuration keeps words
-- as written (no stemming): log text is identifiers and codes more than prose. The parser keeps
-- `checkout.started` or `cache-miss` as one word, so the same text is added once more with dots,
-- slashes, colons and dashes as spaces: `started` and `miss` are found too.
-- AlterTable
ALTER TABLE "system_logs" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig, coalesce("name", '') || ' ' || coalesce("message", '') || ' ' || coalesce("component", '') || ' ' || coalesce("error_type", ''))
    || to_tsvector('simple'::regconfig, regexp_replace(coalesce("name", '') || ' ' || coalesce("message", '') || ' ' || coalesce("component", ''), '[./:_-]+', ' ', 'g'))
    || jsonb_to_tsvector('simple'::regconfig, "payload", '["string"]'::jsonb)
) STORED;

-- CreateIndex
CREATE INDEX "system_logs_search_vector_idx" ON "system_logs" USING GIN ("search_vector");

-- The explorer's search text as a prefix query, tokenised by PostgreSQL itself. IMMUTABLE, so with
-- the text bound as a parameter the planner evaluates it while planning and sees the actual words:
-- a rare word then goes through the GIN index instead of a walk back through the time index.
CREATE FUNCTION clearlog_prefix_tsquery(q text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsquery('simple'::regconfig, string_agg(quote_literal(lexeme) || ':*', ' & ')) FROM unnest(to_tsvector('simple'::regconfig, q))
$$;

-- Filters without an index of their own read the whole range when little or nothing matches.
-- CreateIndex
CREATE INDEX "system_logs_classification_occurred_at_idx" ON "system_logs"("classification", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "system_logs_severity_occurred_at_idx" ON "system_logs"("severity", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "system_logs_component_occurred_at_idx" ON "system_logs"("component", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "system_logs_http_response_status_code_occurred_at_idx" ON "system_logs"("http_response_status_code", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "system_logs_gen_ai_request_model_occurred_at_idx" ON "system_logs"("gen_ai_request_model", "occurred_at" DESC);

-- Retention runs are jobs too (their result holds the counts per policy).
ALTER TYPE "JobKind" ADD VALUE 'retention';

-- Erasure unlinks portal accounts by pseudonym.
-- CreateIndex
CREATE INDEX "users_subject_pseudonym_idx" ON "users"("subject_pseudonym");
