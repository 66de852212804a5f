-- What applications sent and Clearlog did not store, per API key, hour and reason
-- (lib/ingest/intake-refusals.ts; docs/ingestion.md, "Nothing lost silently").

-- CreateTable
CREATE TABLE "intake_refusals" (
    "api_key_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "records" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "last_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "intake_refusals_pkey" PRIMARY KEY ("api_key_id","hour","reason")
);

-- CreateIndex
CREATE INDEX "intake_refusals_hour_idx" ON "intake_refusals"("hour");

-- AddForeignKey
ALTER TABLE "intake_refusals" ADD CONSTRAINT "intake_refusals_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
