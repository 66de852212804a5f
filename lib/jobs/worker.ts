import "server-only";
import { logger } from "../logger";
import { db } from "../db/client";
import type { JobKind, Prisma } from "../db/generated/client";
import { SafeError } from "../errors";
import { deliver } from "../notifications/deliver";
import { eraseSubjectJob } from "../privacy/erasure";
import { buildSubjectExport } from "../privacy/subject-export";
import { runRetentionJob } from "../retention/run";
import { featureExtractionJob } from "../training/extract";
import { progressReporter, type JobRecord, type Progress } from "./jobs";
import { globalForQueue, JOB_KINDS, jobQueue, NOTIFICATION_QUEUE } from "./queue";
import { startSchedules } from "./schedules";

type Handler = (job: JobRecord, progress: Progress) => Promise<Prisma.InputJsonObject>;

const HANDLERS: Record<JobKind, Handler> = {
  subject_export: buildSubjectExport,
  erasure: eraseSubjectJob,
  retention: runRetentionJob,
  feature_extraction: featureExtractionJob,
};

const MAX_ATTEMPTS = 3; // the queue's retryLimit (2) plus the first attempt

/**
 * Runs one job: marks it running, calls its handler, records the result or the error. An unexpected
 * failure is rethrown so the queue retries it, and the last attempt leaves the job failed; a
 * SafeError (the request was cancelled, the data is gone) would fail again, so it fails at once.
 */
export async function runJob(jobId: string): Promise<JobRecord> {
  // A job that already finished is not run again (a re-delivery, or a redispatch that raced).
  const claimed = await db().job.updateMany({
    where: { id: jobId, status: { in: ["queued", "running"] } },
    data: { status: "running", startedAt: new Date(), attempts: { increment: 1 }, error: null },
  });
  const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
  if (claimed.count === 0) return job;
  try {
    const result = await HANDLERS[job.kind](job, progressReporter(job.id));
    return await db().job.update({ where: { id: job.id }, data: { status: "succeeded", result, finishedAt: new Date(), stage: "done" } });
  } catch (error) {
    const message = error instanceof SafeError ? error.message : "The job failed unexpectedly; the server log has the details.";
    // Names and codes only: messages from the database can quote the values involved.
    logger().error({ component: "jobs", job: job.id, kind: job.kind, attempt: job.attempts, err: error }, "job attempt failed");
    const final = error instanceof SafeError || job.attempts >= MAX_ATTEMPTS;
    await db().job.update({ where: { id: job.id }, data: { status: final ? "failed" : "queued", error: message, ...(final ? { finishedAt: new Date() } : {}) } });
    if (!final) throw error;
    return db().job.findUniqueOrThrow({ where: { id: job.id } });
  }
}

/**
 * Starts working every queue in this process (once), and the scheduled jobs (lib/jobs/schedules.ts:
 * the daily retention run, hourly upkeep, the re-dispatch of stranded jobs).
 */
export function startJobWorker(options: { pollingIntervalSeconds?: number } = {}): Promise<void> {
  globalForQueue.clearlogWorker ??= (async () => {
    const queue = await jobQueue();
    for (const kind of JOB_KINDS) {
      await queue.work<{ jobId: string }>(kind, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 }, async ([job]) => {
        if (job) await runJob(job.data.jobId);
      });
    }
    await queue.work<{ deliveryId: string }>(NOTIFICATION_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 }, async ([job]) => {
      if (job) await deliver(job.data.deliveryId);
    });
    await startSchedules(queue);
  })().catch((error: unknown) => {
    globalForQueue.clearlogWorker = undefined;
    throw error;
  });
  return globalForQueue.clearlogWorker;
}
