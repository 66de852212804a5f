-- Privacy for every person: portal sessions issued by applications, requests filed on a person's
-- behalf (by an admin or an application) with the requester's contact and how identity was
-- verified, the acting admin on each timeline step, objections and admin consent changes.

-- AlterEnum
ALTER TYPE "ApiKeyScope" ADD VALUE 'privacy';
ALTER TYPE "ActorType" ADD VALUE 'subject';
ALTER TYPE "ConsentMethod" ADD VALUE 'objection';
ALTER TYPE "TrainingWithdrawal" ADD VALUE 'objected';

-- CreateEnum
CREATE TYPE "PrivacyRequestChannel" AS ENUM ('portal', 'portal_session', 'admin', 'api');

-- CreateTable
CREATE TABLE "portal_sessions" (
    "id" UUID NOT NULL,
    "link_token_hash" TEXT NOT NULL,
    "session_token_hash" TEXT,
    "subject_pseudonym" TEXT,
    "api_key_id" UUID,
    "return_url" TEXT,
    "link_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "opened_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "portal_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "portal_sessions_link_token_hash_key" ON "portal_sessions"("link_token_hash");
CREATE UNIQUE INDEX "portal_sessions_session_token_hash_key" ON "portal_sessions"("session_token_hash");
CREATE INDEX "portal_sessions_subject_pseudonym_idx" ON "portal_sessions"("subject_pseudonym");
CREATE INDEX "portal_sessions_expires_at_idx" ON "portal_sessions"("expires_at");

-- AlterTable
ALTER TABLE "privacy_requests" ADD COLUMN "channel" "PrivacyRequestChannel" NOT NULL DEFAULT 'portal',
ADD COLUMN "requester_contact" TEXT,
ADD COLUMN "verification_method" TEXT,
ADD COLUMN "filed_by_id" UUID,
ADD COLUMN "api_key_id" UUID,
ADD COLUMN "portal_session_id" UUID,
ADD COLUMN "purpose" TEXT,
ADD COLUMN "resolution_note" TEXT;

-- CreateIndex
CREATE INDEX "privacy_requests_portal_session_id_idx" ON "privacy_requests"("portal_session_id");
CREATE INDEX "privacy_requests_type_status_idx" ON "privacy_requests"("type", "status");

-- AddForeignKey
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_filed_by_id_fkey" FOREIGN KEY ("filed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_portal_session_id_fkey" FOREIGN KEY ("portal_session_id") REFERENCES "portal_sessions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "privacy_request_events" ADD COLUMN "actor_id" UUID;

-- AlterTable
ALTER TABLE "consent_history" ADD COLUMN "reason" TEXT;
