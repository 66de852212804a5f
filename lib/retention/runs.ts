import "server-only";
import { writeAudit, type Actor } from "../audit/audit";
import { actorNames, nameOf } from "../auth/actor-names";
import { db } from "../db/client";
import { lockFor, transaction } from "../db/transaction";
import { createJob, dispatchJob } from "../jobs/jobs";
import type { RetentionResult } from "./run";

/** Starts a retention run as a job ("run now", or the daily schedule); one at a time. */
export async function startRetentionRun(actor: Actor | null) {
  const job = await transaction(async (tx) => {
    await lockFor(tx, "retention_run");
    const active = await tx.job.findFirst({ where: { kind: "retention", status: { in: ["queued", "running"] } } });
    if (active) return active;
    if (actor) await writeAudit({ actor, action: "retention.run_now", resourceType: "retention_policy", outcome: "success" }, tx);
    return createJob(tx, "retention", { requestedById: actor?.type === "user" ? actor.id : null });
  });
  if (job.status === "queued") await dispatchJob(job);
  return job;
}

export interface RunSummary {
  id: string;
  status: string;
  trigger: string;
  createdAt: Date;
  finishedAt: Date | null;
  error: string | null;
  result: RetentionResult | null;
}

/** The latest runs, newest first, with who started them ("daily schedule" when nobody did). */
export async function retentionHistory(take = 20): Promise<RunSummary[]> {
  const jobs = await db().job.findMany({ where: { kind: "retention" }, orderBy: { createdAt: "desc" }, take });
  const names = await actorNames(jobs.map((j) => j.requestedById));
  return jobs.map((j) => ({
    id: j.id,
    status: j.status,
    trigger: j.requestedById ? `run now by ${nameOf(names, j.requestedById)}` : "daily schedule",
    createdAt: j.createdAt,
    finishedAt: j.finishedAt,
    error: j.error,
    result: (j.result as RetentionResult | null) ?? null,
  }));
}
