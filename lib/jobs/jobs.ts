import "server-only";
import { db } from "../db/client";
import type { JobKind, Prisma } from "../db/generated/client";
import { jobQueue } from "./queue";

export type JobRecord = Prisma.JobGetPayload<object>;

/**
 * Records a job inside the caller's transaction, so the job exists exactly when the change that
 * asked for it commits. Call `dispatchJob` once the transaction has committed.
 */
export function createJob(tx: Prisma.TransactionClient, kind: JobKind, links: { privacyRequestId?: string; requestedById?: string | null }) {
  return tx.job.create({ data: { kind, privacyRequestId: links.privacyRequestId ?? null, requestedById: links.requestedById ?? null } });
}

/** Hands a recorded job to the queue. Safe to repeat: the queue job carries the same id. */
export async function dispatchJob(job: { id: string; kind: JobKind }): Promise<void> {
  const queue = await jobQueue();
  await queue.send(job.kind, { jobId: job.id }, { id: job.id });
}

/** Longer than any job's queue expiry (15 min): a job still "running" after this lost its worker. */
const ABANDONED_AFTER_MS = 30 * 60_000;

/**
 * Jobs recorded but never handed over (the process stopped between commit and dispatch) are handed
 * over again; the queue ignores those it already has.
 */
export async function redispatchQueuedJobs(olderThanMs = 30_000): Promise<number> {
  const stranded = await db().job.findMany({
    where: { status: "queued", createdAt: { lt: new Date(Date.now() - olderThanMs) } },
    select: { id: true, kind: true },
    take: 100,
  });
  for (const job of stranded) await dispatchJob(job);
  // The queue gives up on a job whose worker died once its retries are spent; say so on the job.
  await db().job.updateMany({
    where: { status: "running", startedAt: { lt: new Date(Date.now() - ABANDONED_AFTER_MS) } },
    data: { status: "failed", finishedAt: new Date(), error: "The worker stopped while running this job; run it again." },
  });
  return stranded.length;
}

export interface Progress {
  (processed: number, total?: number, stage?: string): Promise<void>;
}

/** Progress the pages poll; written at most every 250 ms unless it is the last step. */
export function progressReporter(jobId: string): Progress {
  let last = 0;
  return async (processed, total, stage) => {
    const now = Date.now();
    if (now - last < 250 && total !== undefined && processed < total) return;
    last = now;
    await db().job.update({ where: { id: jobId }, data: { processed, ...(total !== undefined ? { total } : {}), ...(stage ? { stage } : {}) } });
  };
}

export function jobById(id: string) {
  return db().job.findUnique({ where: { id } });
}
