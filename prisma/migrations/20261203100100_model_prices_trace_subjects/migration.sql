-- AI cost from a price table, and subjects that follow their trace.
--
-- model_prices: USD per million input / output tokens, by model name or prefix (`gpt-4o` prices
-- `gpt-4o-2024-08-06`; the longest matching name wins). Ingestion computes gen_ai_cost_usd from it
-- when the client sends no cost. Admins edit it at /admin/prices. Seeded with list prices of common
-- models as published by the providers, as of 2025-08-01 (standard tier, text, no caching or batch
-- discount; Gemini prices for prompts up to 128k/200k tokens).
--
-- trace_subjects: for a bounded window, which subject (pseudonym) and session a trace belongs to, so a
-- user id seen on one span reaches every span of the trace, also across exports; and the time range of
-- the trace's spans stored without a subject, so they can be linked when the subject arrives later.

-- CreateTable
CREATE TABLE "model_prices" (
    "id" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "provider" TEXT,
    "input_usd_per_million" DECIMAL(12,6) NOT NULL,
    "output_usd_per_million" DECIMAL(12,6) NOT NULL,
    "effective_from" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_prices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "model_prices_model_key" ON "model_prices"("model");

-- CreateTable
CREATE TABLE "trace_subjects" (
    "trace_id" TEXT NOT NULL,
    "subject_pseudonym" TEXT,
    "session_id" TEXT,
    "unlinked_from" TIMESTAMPTZ(3),
    "unlinked_to" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "trace_subjects_pkey" PRIMARY KEY ("trace_id")
);

-- CreateIndex
CREATE INDEX "trace_subjects_expires_at_idx" ON "trace_subjects"("expires_at");

-- CreateIndex
CREATE INDEX "trace_subjects_subject_pseudonym_idx" ON "trace_subjects"("subject_pseudonym");

-- Seed prices (USD per 1M tokens, as of 2025-08-01)
INSERT INTO "model_prices" ("id", "model", "provider", "input_usd_per_million", "output_usd_per_million", "effective_from") VALUES
  (gen_random_uuid(), 'gpt-4o', 'openai', 2.50, 10.00, '2025-08-01'),
  (gen_random_uuid(), 'gpt-4o-mini', 'openai', 0.15, 0.60, '2025-08-01'),
  (gen_random_uuid(), 'gpt-4.1', 'openai', 2.00, 8.00, '2025-08-01'),
  (gen_random_uuid(), 'gpt-4.1-mini', 'openai', 0.40, 1.60, '2025-08-01'),
  (gen_random_uuid(), 'gpt-4.1-nano', 'openai', 0.10, 0.40, '2025-08-01'),
  (gen_random_uuid(), 'gpt-4-turbo', 'openai', 10.00, 30.00, '2025-08-01'),
  (gen_random_uuid(), 'gpt-3.5-turbo', 'openai', 0.50, 1.50, '2025-08-01'),
  (gen_random_uuid(), 'o1', 'openai', 15.00, 60.00, '2025-08-01'),
  (gen_random_uuid(), 'o3', 'openai', 2.00, 8.00, '2025-08-01'),
  (gen_random_uuid(), 'o3-pro', 'openai', 20.00, 80.00, '2025-08-01'),
  (gen_random_uuid(), 'o3-mini', 'openai', 1.10, 4.40, '2025-08-01'),
  (gen_random_uuid(), 'o4-mini', 'openai', 1.10, 4.40, '2025-08-01'),
  (gen_random_uuid(), 'text-embedding-3-small', 'openai', 0.02, 0, '2025-08-01'),
  (gen_random_uuid(), 'text-embedding-3-large', 'openai', 0.13, 0, '2025-08-01'),
  (gen_random_uuid(), 'claude-3-haiku', 'anthropic', 0.25, 1.25, '2025-08-01'),
  (gen_random_uuid(), 'claude-3-opus', 'anthropic', 15.00, 75.00, '2025-08-01'),
  (gen_random_uuid(), 'claude-3-5-haiku', 'anthropic', 0.80, 4.00, '2025-08-01'),
  (gen_random_uuid(), 'claude-3-5-sonnet', 'anthropic', 3.00, 15.00, '2025-08-01'),
  (gen_random_uuid(), 'claude-3-7-sonnet', 'anthropic', 3.00, 15.00, '2025-08-01'),
  (gen_random_uuid(), 'claude-sonnet-4', 'anthropic', 3.00, 15.00, '2025-08-01'),
  (gen_random_uuid(), 'claude-opus-4', 'anthropic', 15.00, 75.00, '2025-08-01'),
  (gen_random_uuid(), 'claude-opus-4-1', 'anthropic', 15.00, 75.00, '2025-08-01'),
  (gen_random_uuid(), 'gemini-1.5-flash', 'gcp.gemini', 0.075, 0.30, '2025-08-01'),
  (gen_random_uuid(), 'gemini-1.5-pro', 'gcp.gemini', 1.25, 5.00, '2025-08-01'),
  (gen_random_uuid(), 'gemini-2.0-flash', 'gcp.gemini', 0.10, 0.40, '2025-08-01'),
  (gen_random_uuid(), 'gemini-2.0-flash-lite', 'gcp.gemini', 0.075, 0.30, '2025-08-01'),
  (gen_random_uuid(), 'gemini-2.5-flash', 'gcp.gemini', 0.30, 2.50, '2025-08-01'),
  (gen_random_uuid(), 'gemini-2.5-flash-lite', 'gcp.gemini', 0.10, 0.40, '2025-08-01'),
  (gen_random_uuid(), 'gemini-2.5-pro', 'gcp.gemini', 1.25, 10.00, '2025-08-01');
