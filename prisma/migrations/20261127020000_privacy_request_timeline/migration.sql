-- The timeline of each privacy request: every state change, with the note shown to the person
-- (a rejection or extension reason). Deleted with its request.

-- CreateTable
CREATE TABLE "privacy_request_events" (
    "id" BIGSERIAL NOT NULL,
    "request_id" UUID NOT NULL,
    "from_status" "PrivacyRequestStatus",
    "to_status" "PrivacyRequestStatus" NOT NULL,
    "note" TEXT,
    "actor_type" "ActorType" NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "privacy_request_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "privacy_request_events_request_id_occurred_at_idx" ON "privacy_request_events"("request_id", "occurred_at");

-- AddForeignKey
ALTER TABLE "privacy_request_events" ADD CONSTRAINT "privacy_request_events_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "privacy_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;
