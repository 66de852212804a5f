-- Training data pipeline. Feature-set membership becomes rows (one per included subject) instead of
-- an array on the set: "which model versions contain this subject's data?" is one indexed join, and
-- erasure or withdrawal touches one row per set instead of rewriting every member list.

ALTER TYPE "JobKind" ADD VALUE 'feature_extraction';

-- CreateEnum
CREATE TYPE "TrainingWithdrawal" AS ENUM ('withdrawn', 'restricted', 'erased');

-- AlterTable
ALTER TABLE "feature_sets" DROP COLUMN "included_pseudonyms",
ADD COLUMN "subject_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "job_id" UUID,
ADD COLUMN "rebuilt_from_id" UUID,
ADD COLUMN "completed_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "feature_set_subjects" (
    "feature_set_id" UUID NOT NULL,
    "subject_pseudonym" TEXT NOT NULL,
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdrawal" "TrainingWithdrawal",
    CONSTRAINT "feature_set_subjects_pkey" PRIMARY KEY ("feature_set_id","subject_pseudonym")
);

-- CreateIndex
CREATE INDEX "feature_set_subjects_subject_pseudonym_idx" ON "feature_set_subjects"("subject_pseudonym");

-- CreateIndex
CREATE INDEX "feature_set_subjects_feature_set_id_withdrawn_at_idx" ON "feature_set_subjects"("feature_set_id", "withdrawn_at");

-- CreateIndex
CREATE UNIQUE INDEX "feature_sets_job_id_key" ON "feature_sets"("job_id");

-- CreateIndex
CREATE INDEX "feature_sets_rebuilt_from_id_idx" ON "feature_sets"("rebuilt_from_id");

-- A set has one row per entity. Keys compare byte by byte ("C"), the order of the digest and of
-- the downloads, so both can walk this index. (schema.prisma cannot express a collation.)
ALTER TABLE "extracted_features" ALTER COLUMN "entity_key" TYPE TEXT COLLATE "C";
DROP INDEX "extracted_features_feature_set_id_idx";

-- CreateIndex
CREATE UNIQUE INDEX "extracted_features_feature_set_id_entity_key_key" ON "extracted_features"("feature_set_id", "entity_key");

-- CreateIndex
CREATE INDEX "model_feedback_event_id_idx" ON "model_feedback"("event_id");

-- AddForeignKey
ALTER TABLE "feature_set_subjects" ADD CONSTRAINT "feature_set_subjects_feature_set_id_fkey" FOREIGN KEY ("feature_set_id") REFERENCES "feature_sets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feature_sets" ADD CONSTRAINT "feature_sets_rebuilt_from_id_fkey" FOREIGN KEY ("rebuilt_from_id") REFERENCES "feature_sets"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feature_sets" ADD CONSTRAINT "feature_sets_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
