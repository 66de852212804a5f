-- A delivery names the person it is about (their keyed pseudonym), so that erasure can delete the
-- finished deliveries about them, sealed payloads included, and let those still waiting go out
-- unlinked, dropping their payload once done (lib/privacy/subject-data.ts, lib/notifications/deliver.ts).

-- AlterTable
ALTER TABLE "notification_deliveries" ADD COLUMN "subject_pseudonym" TEXT;
ALTER TABLE "notification_deliveries" ADD COLUMN "drop_payload_when_done" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "notification_deliveries_subject_pseudonym_idx" ON "notification_deliveries"("subject_pseudonym");
