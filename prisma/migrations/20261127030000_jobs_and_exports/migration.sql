-- Long work (data exports, erasure) runs as jobs: pg-boss (schema "pgboss", managed by pg-boss itself)
-- delivers them; "jobs" is what the product shows about them (progress, result, error). Neither holds
-- personal data: a job points at its privacy request, and the request at the person.

-- CreateEnum
CREATE TYPE "JobKind" AS ENUM ('subject_export', 'erasure');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "jobs" (
    "id" UUID NOT NULL,
    "kind" "JobKind" NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "stage" TEXT,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" TEXT,
    "privacy_request_id" UUID,
    "requested_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "jobs_kind_created_at_idx" ON "jobs"("kind", "created_at" DESC);

-- CreateIndex
CREATE INDEX "jobs_privacy_request_id_idx" ON "jobs"("privacy_request_id");

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_privacy_request_id_fkey" FOREIGN KEY ("privacy_request_id") REFERENCES "privacy_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A person's data archive (gzipped JSON). Personal: erasure deletes it, and it expires.
-- CreateTable
CREATE TABLE "subject_exports" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "requester_id" UUID,
    "subject_pseudonym" TEXT NOT NULL,
    "archive" BYTEA NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "subject_exports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "subject_exports_job_id_key" ON "subject_exports"("job_id");

-- CreateIndex
CREATE INDEX "subject_exports_subject_pseudonym_idx" ON "subject_exports"("subject_pseudonym");

-- CreateIndex
CREATE INDEX "subject_exports_expires_at_idx" ON "subject_exports"("expires_at");

-- AddForeignKey
ALTER TABLE "subject_exports" ADD CONSTRAINT "subject_exports_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The account that made a request, so the person still sees it (and its erasure receipt) once the
-- pseudonym it was filed under is gone.
-- AlterTable
ALTER TABLE "privacy_requests" ADD COLUMN "requester_id" UUID;

-- CreateIndex
CREATE INDEX "privacy_requests_requester_id_idx" ON "privacy_requests"("requester_id");

-- AddForeignKey
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_requester_id_fkey" FOREIGN KEY ("requester_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

UPDATE "privacy_requests" r SET "requester_id" = u."id"
FROM "users" u WHERE u."subject_pseudonym" IS NOT NULL AND u."subject_pseudonym" = r."subject_pseudonym";
