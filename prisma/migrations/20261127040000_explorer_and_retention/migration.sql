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

-- Retention runs are jobs too (their result holds the counts per policy).
ALTER TYPE "JobKind" ADD VALUE 'retention';

-- Erasure unlinks portal accounts by pseudonym.
-- CreateIndex
CREATE INDEX "users_subject_pseudonym_idx" ON "users"("subject_pseudonym");
