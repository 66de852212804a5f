-- Clearlog initial schema. Written by hand in Prisma Migrate's layout (the migrate engine cannot run on
-- our build machines); lib/db/schema-match.db.test.ts proves it matches prisma/schema.prisma.

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'data_scientist', 'end_user');
CREATE TYPE "AuthProvider" AS ENUM ('local', 'supabase');
CREATE TYPE "ApiKeyScope" AS ENUM ('ingest', 'consent', 'feedback');
CREATE TYPE "ActorType" AS ENUM ('user', 'api_key', 'system', 'cli');
CREATE TYPE "AuditOutcome" AS ENUM ('success', 'failure', 'denied');
CREATE TYPE "EventType" AS ENUM ('user_action', 'ai_interaction', 'api_request', 'error', 'system');
CREATE TYPE "Severity" AS ENUM ('debug', 'info', 'warn', 'error', 'fatal');
CREATE TYPE "Classification" AS ENUM ('public', 'internal', 'confidential', 'restricted');
CREATE TYPE "LegalBasis" AS ENUM ('consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests');
CREATE TYPE "ConsentMethod" AS ENUM ('explicit', 'withdrawal', 'gpc', 'admin', 'api', 'default');
CREATE TYPE "PrivacyRequestType" AS ENUM ('access', 'erasure', 'rectification', 'restriction', 'objection');
CREATE TYPE "PrivacyRequestStatus" AS ENUM ('received', 'verified', 'in_progress', 'completed', 'rejected', 'cancelled');
CREATE TYPE "RuleAction" AS ENUM ('redact', 'hash', 'drop_field', 'drop_event', 'classify_only');
CREATE TYPE "RetentionAction" AS ENUM ('delete', 'anonymize');
CREATE TYPE "FeatureType" AS ENUM ('user_behavior', 'ai_usage', 'error_patterns');
CREATE TYPE "FeedbackSource" AS ENUM ('end_user', 'annotator', 'automated');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "provider" "AuthProvider" NOT NULL DEFAULT 'local',
    "password_hash" TEXT,
    "external_id" TEXT,
    "subject_pseudonym" TEXT,
    "disabled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "auth_sessions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "user_agent" TEXT,
    CONSTRAINT "auth_sessions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "login_attempts" (
    "id" BIGSERIAL NOT NULL,
    "key_hash" TEXT NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "login_attempts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scopes" "ApiKeyScope"[],
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" UUID,
    "actor_role" "Role",
    "action" TEXT NOT NULL,
    "resource_type" TEXT NOT NULL,
    "resource_id" TEXT,
    "outcome" "AuditOutcome" NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "subjects" (
    "id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "restricted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "subjects_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "system_logs" (
    "event_id" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" "EventType" NOT NULL,
    "severity" "Severity" NOT NULL DEFAULT 'info',
    "name" TEXT NOT NULL,
    "message" TEXT,
    "component" TEXT,
    "subject_pseudonym" TEXT,
    "session_id" TEXT,
    "classification" "Classification" NOT NULL DEFAULT 'internal',
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "purpose" TEXT,
    "training_excluded" BOOLEAN NOT NULL DEFAULT false,
    "api_key_id" UUID,
    "gen_ai_provider_name" TEXT,
    "gen_ai_request_model" TEXT,
    "gen_ai_operation_name" TEXT,
    "gen_ai_conversation_id" TEXT,
    "gen_ai_usage_input_tokens" INTEGER,
    "gen_ai_usage_output_tokens" INTEGER,
    "gen_ai_latency_ms" INTEGER,
    "gen_ai_cost_usd" DECIMAL(14,6),
    "http_request_method" TEXT,
    "http_route" TEXT,
    "http_response_status_code" SMALLINT,
    "http_duration_ms" INTEGER,
    "http_request_size" INTEGER,
    "http_response_size" INTEGER,
    "error_type" TEXT,
    "error_fingerprint" TEXT,
    "payload" JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT "system_logs_pkey" PRIMARY KEY ("event_id","occurred_at")
) PARTITION BY RANGE ("occurred_at");

CREATE TABLE "logging_sessions" (
    "id" UUID NOT NULL,
    "session_key" TEXT NOT NULL,
    "subject_pseudonym" TEXT,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "event_count" INTEGER NOT NULL DEFAULT 0,
    "user_agent" TEXT,
    "ip_prefix" TEXT,
    CONSTRAINT "logging_sessions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "consent_purposes" (
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "legal_basis" "LegalBasis" NOT NULL,
    "default_granted" BOOLEAN NOT NULL,
    "notice_version" TEXT NOT NULL,
    "is_sale_or_sharing" BOOLEAN NOT NULL DEFAULT false,
    "drop_unconsented" BOOLEAN NOT NULL DEFAULT false,
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "consent_purposes_pkey" PRIMARY KEY ("key")
);

CREATE TABLE "consent_settings" (
    "id" UUID NOT NULL,
    "subject_pseudonym" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "method" "ConsentMethod" NOT NULL,
    "notice_version" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "consent_settings_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "consent_history" (
    "id" BIGSERIAL NOT NULL,
    "subject_pseudonym" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "method" "ConsentMethod" NOT NULL,
    "notice_version" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user_agent" TEXT,
    "ip_prefix" TEXT,
    CONSTRAINT "consent_history_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "privacy_requests" (
    "id" UUID NOT NULL,
    "subject_pseudonym" TEXT,
    "type" "PrivacyRequestType" NOT NULL,
    "status" "PrivacyRequestStatus" NOT NULL DEFAULT 'received',
    "details" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "extended_at" TIMESTAMPTZ(3),
    "extension_reason" TEXT,
    "completed_at" TIMESTAMPTZ(3),
    "rejection_reason" TEXT,
    "receipt" JSONB,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "privacy_requests_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "classification_rules" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "priority" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "match_event_type" "EventType",
    "match_field_path" TEXT,
    "match_regex" TEXT,
    "match_detector" TEXT,
    "level" "Classification" NOT NULL,
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "action" "RuleAction" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "classification_rules_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "retention_policies" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "classification" "Classification" NOT NULL,
    "event_type" "EventType",
    "keep_days" INTEGER NOT NULL,
    "action" "RetentionAction" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "last_run_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "retention_policies_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "feature_sets" (
    "id" UUID NOT NULL,
    "feature_type" "FeatureType" NOT NULL,
    "start_date" TIMESTAMPTZ(3) NOT NULL,
    "end_date" TIMESTAMPTZ(3) NOT NULL,
    "definition_version" INTEGER NOT NULL,
    "included_pseudonyms" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "exclusions" JSONB NOT NULL DEFAULT '{}',
    "row_count" INTEGER NOT NULL DEFAULT 0,
    "digest" TEXT,
    "stale_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "feature_sets_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "extracted_features" (
    "id" UUID NOT NULL,
    "feature_set_id" UUID NOT NULL,
    "entity_key" TEXT NOT NULL,
    "subject_pseudonym" TEXT,
    "features" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "extracted_features_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "model_registry" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "model_type" TEXT NOT NULL,
    "description" TEXT,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "model_registry_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "model_versions" (
    "id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "version" TEXT NOT NULL,
    "description" TEXT,
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "artifact_uri" TEXT,
    "is_active" BOOLEAN NOT NULL DEFAULT false,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "model_versions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "model_version_feature_sets" (
    "model_version_id" UUID NOT NULL,
    "feature_set_id" UUID NOT NULL,
    CONSTRAINT "model_version_feature_sets_pkey" PRIMARY KEY ("model_version_id","feature_set_id")
);

CREATE TABLE "model_aliases" (
    "model_id" UUID NOT NULL,
    "alias" TEXT NOT NULL,
    "model_version_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "model_aliases_pkey" PRIMARY KEY ("model_id","alias")
);

CREATE TABLE "model_feedback" (
    "id" UUID NOT NULL,
    "model_version_id" UUID NOT NULL,
    "event_id" TEXT,
    "subject_pseudonym" TEXT,
    "rating" SMALLINT,
    "score" DOUBLE PRECISION,
    "label" TEXT,
    "correction" TEXT,
    "comment" TEXT,
    "source" "FeedbackSource" NOT NULL,
    "training_eligible" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "model_feedback_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
CREATE UNIQUE INDEX "users_external_id_key" ON "users"("external_id");
CREATE UNIQUE INDEX "auth_sessions_token_hash_key" ON "auth_sessions"("token_hash");
CREATE INDEX "auth_sessions_user_id_idx" ON "auth_sessions"("user_id");
CREATE INDEX "auth_sessions_expires_at_idx" ON "auth_sessions"("expires_at");
CREATE INDEX "login_attempts_key_hash_attempted_at_idx" ON "login_attempts"("key_hash", "attempted_at");
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys"("secret_hash");
CREATE INDEX "audit_log_occurred_at_idx" ON "audit_log"("occurred_at" DESC);
CREATE INDEX "audit_log_action_occurred_at_idx" ON "audit_log"("action", "occurred_at" DESC);
CREATE INDEX "audit_log_actor_id_occurred_at_idx" ON "audit_log"("actor_id", "occurred_at" DESC);
CREATE INDEX "audit_log_resource_type_resource_id_idx" ON "audit_log"("resource_type", "resource_id");
CREATE UNIQUE INDEX "subjects_external_id_key" ON "subjects"("external_id");
CREATE UNIQUE INDEX "subjects_pseudonym_key" ON "subjects"("pseudonym");
CREATE INDEX "system_logs_occurred_at_idx" ON "system_logs"("occurred_at" DESC);
CREATE INDEX "system_logs_type_occurred_at_idx" ON "system_logs"("type", "occurred_at" DESC);
CREATE INDEX "system_logs_subject_pseudonym_occurred_at_idx" ON "system_logs"("subject_pseudonym", "occurred_at" DESC);
CREATE INDEX "system_logs_session_id_occurred_at_idx" ON "system_logs"("session_id", "occurred_at");
CREATE INDEX "system_logs_error_fingerprint_occurred_at_idx" ON "system_logs"("error_fingerprint", "occurred_at" DESC);
CREATE UNIQUE INDEX "logging_sessions_session_key_key" ON "logging_sessions"("session_key");
CREATE INDEX "logging_sessions_subject_pseudonym_idx" ON "logging_sessions"("subject_pseudonym");
CREATE INDEX "logging_sessions_last_seen_at_idx" ON "logging_sessions"("last_seen_at" DESC);
CREATE UNIQUE INDEX "consent_settings_subject_pseudonym_purpose_key" ON "consent_settings"("subject_pseudonym", "purpose");
CREATE INDEX "consent_settings_purpose_granted_idx" ON "consent_settings"("purpose", "granted");
CREATE INDEX "consent_history_subject_pseudonym_recorded_at_idx" ON "consent_history"("subject_pseudonym", "recorded_at" DESC);
CREATE INDEX "consent_history_purpose_recorded_at_idx" ON "consent_history"("purpose", "recorded_at");
CREATE INDEX "privacy_requests_status_due_at_idx" ON "privacy_requests"("status", "due_at");
CREATE INDEX "privacy_requests_subject_pseudonym_idx" ON "privacy_requests"("subject_pseudonym");
CREATE INDEX "classification_rules_enabled_priority_idx" ON "classification_rules"("enabled", "priority");
CREATE UNIQUE INDEX "retention_policies_classification_event_type_key" ON "retention_policies"("classification", "event_type");
CREATE INDEX "feature_sets_feature_type_created_at_idx" ON "feature_sets"("feature_type", "created_at" DESC);
CREATE INDEX "extracted_features_feature_set_id_idx" ON "extracted_features"("feature_set_id");
CREATE INDEX "extracted_features_subject_pseudonym_idx" ON "extracted_features"("subject_pseudonym");
CREATE UNIQUE INDEX "model_registry_name_key" ON "model_registry"("name");
CREATE UNIQUE INDEX "model_versions_model_id_version_key" ON "model_versions"("model_id", "version");
CREATE INDEX "model_version_feature_sets_feature_set_id_idx" ON "model_version_feature_sets"("feature_set_id");
CREATE INDEX "model_feedback_model_version_id_created_at_idx" ON "model_feedback"("model_version_id", "created_at" DESC);
CREATE INDEX "model_feedback_subject_pseudonym_idx" ON "model_feedback"("subject_pseudonym");

-- AddForeignKey
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "extracted_features" ADD CONSTRAINT "extracted_features_feature_set_id_fkey" FOREIGN KEY ("feature_set_id") REFERENCES "feature_sets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "model_registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "model_version_feature_sets" ADD CONSTRAINT "model_version_feature_sets_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "model_version_feature_sets" ADD CONSTRAINT "model_version_feature_sets_feature_set_id_fkey" FOREIGN KEY ("feature_set_id") REFERENCES "feature_sets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "model_registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "model_feedback" ADD CONSTRAINT "model_feedback_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ─────────── What Prisma's schema language cannot express ───────────

-- The audit trail is append-only: the database itself refuses to change or remove a row.
CREATE FUNCTION clearlog_reject_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION clearlog_reject_audit_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION clearlog_reject_audit_change();

-- One partition of system_logs per UTC day, named system_logs_pYYYYMMDD. Idempotent; the app calls
-- clearlog_ensure_log_partitions at start, daily, and before inserting events for a day it has not seen.
CREATE FUNCTION clearlog_ensure_log_partitions(from_day date, to_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  d date := from_day;
  created integer := 0;
  part text;
BEGIN
  WHILE d <= to_day LOOP
    part := 'system_logs_p' || to_char(d, 'YYYYMMDD');
    IF to_regclass(quote_ident(part)) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE IF NOT EXISTS %I PARTITION OF system_logs FOR VALUES FROM (%L) TO (%L)',
        part, (d::timestamp AT TIME ZONE 'UTC'), ((d + 1)::timestamp AT TIME ZONE 'UTC'));
      created := created + 1;
    END IF;
    d := d + 1;
  END LOOP;
  RETURN created;
END;
$$;

SELECT clearlog_ensure_log_partitions((now() AT TIME ZONE 'UTC')::date - 30, (now() AT TIME ZONE 'UTC')::date + 7);
