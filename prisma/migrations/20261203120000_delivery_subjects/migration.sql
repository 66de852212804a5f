-- A delivery names the person it is about (their keyed pseudonym), so that erasure can delete the
-- deliveries about them, sealed payloads included (lib/privacy/subject-data.ts).

-- AlterTable
ALTER TABLE "notification_deliveries" ADD COLUMN "subject_pseudonym" TEXT;

-- CreateIndex
CREATE INDEX "notification_deliveries_subject_pseudonym_idx" ON "notification_deliveries"("subject_pseudonym");
