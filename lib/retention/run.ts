import "server-only";
import type pg from "pg";
import { writeAudit, type Actor } from "../audit/audit";
import { database, db } from "../db/client";
import { transaction } from "../db/transaction";
import type { Prisma } from "../db/generated/client";
import { env } from "../env";
import { forgetKnownPartitions } from "../ingest/partition-cache";
import type { JobRecord, Progress } from "../jobs/jobs";
import { anonymizeEvents } from "../privacy/anonymize";
import { cutoffOf, scopeCondition, type PolicyScope } from "./scope";

// A retention run (daily, or "run now"): whole expired days go by partition (detach and drop),
// whatever is left row by row, per policy — delete, or anonymize through lib/privacy/anonymize.ts.
// People with an open access request are held: nothing of theirs is deleted or anonymized until the
// request is closed, and a day holding their events is not dropped.
export interface PolicyOutcome {
  [key: string]: Prisma.InputJsonValue;
  policyId: string;
  name: string;
  action: string;
  deleted: number;
  anonymized: number;
  /** expired rows kept because their person has an open access request */
  held: number;
}

export interface RetentionResult {
  [key: string]: Prisma.InputJsonValue;
  ranAt: string;
  partitionsDropped: string[];
  rowsInDroppedPartitions: number;
  policies: PolicyOutcome[];
}

const BATCH = 5000;
const DAY = 86_400_000;

async function heldPseudonyms(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ p: string }>(
    `SELECT DISTINCT subject_pseudonym AS p FROM privacy_requests
      WHERE type = 'access' AND status IN ('received', 'verified', 'in_progress') AND subject_pseudonym IS NOT NULL`,
  );
  return rows.map((r) => r.p);
}

/** Partitions whose whole day is older than `before`, oldest first. */
async function oldPartitions(pool: pg.Pool, before: Date): Promise<{ name: string; day: Date }[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'system_logs'::regclass ORDER BY c.relname`,
  );
  return rows
    .map((r) => ({ name: r.name, day: new Date(`${r.name.slice(-8, -4)}-${r.name.slice(-4, -2)}-${r.name.slice(-2)}T00:00:00Z`) }))
    .filter((p) => !Number.isNaN(p.day.getTime()) && p.day.getTime() + DAY <= before.getTime());
}

/** The condition "this row is expired under a delete policy and nobody holds it". */
function deletableCondition(policies: readonly (PolicyScope & { action: string })[], all: readonly PolicyScope[], now: Date, held: string[]): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const p of policies.filter((x) => x.action === "delete")) {
    const scope = scopeCondition(p, all, params.length + 1);
    params.push(...scope.params, cutoffOf(p, now));
    parts.push(`(${scope.where} AND occurred_at < $${params.length})`);
  }
  if (parts.length === 0) return { where: "false", params: [] };
  params.push(held);
  return { where: `(${parts.join(" OR ")}) AND (subject_pseudonym IS NULL OR NOT (subject_pseudonym = ANY($${params.length}::text[])))`, params };
}

export async function runRetention(options: { now?: Date; progress?: Progress; actor?: Actor } = {}): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const progress = options.progress ?? (async () => {});
  const { pool } = database();
  const policies = (await db().retentionPolicy.findMany({ where: { enabled: true }, orderBy: [{ classification: "asc" }, { eventType: "asc" }] })).map((p) => ({
    id: p.id,
    name: p.name,
    classification: p.classification as string,
    eventType: p.eventType as string | null,
    keepDays: p.keepDays,
    action: p.action as string,
  }));
  const held = await heldPseudonyms(pool);
  const steps = policies.length + 1;
  await progress(0, steps, "expired days");

  // 1. Whole days: a partition goes when every row in it is expired under a delete policy and held
  // by nobody. Days still inside the ingest window stay, so a late event never finds its day gone.
  const dropped: string[] = [];
  let rowsDropped = 0;
  const outcomes = new Map(policies.map((p) => [p.id, { policyId: p.id, name: p.name, action: p.action, deleted: 0, anonymized: 0, held: 0 } as PolicyOutcome]));
  const ingestWindow = new Date(now.getTime() - env().CLEARLOG_INGEST_MAX_AGE_DAYS * DAY);
  const deletable = deletableCondition(policies, policies, now, held);
  for (const part of await oldPartitions(pool, ingestWindow)) {
    const table = `"${part.name}"`;
    const blocker = await pool.query(`SELECT 1 FROM ${table} WHERE NOT COALESCE((${deletable.where}), false) LIMIT 1`, deletable.params);
    if (blocker.rowCount) continue;
    await transaction(async (tx) => {
      // Count what goes, per policy, for the run history; then the day leaves as one piece.
      for (const p of policies.filter((x) => x.action === "delete")) {
        const scope = scopeCondition(p, policies);
        const { rows } = await tx.pg.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${scope.where}`, scope.params);
        outcomes.get(p.id)!.deleted += Number(rows[0]!.n);
        rowsDropped += Number(rows[0]!.n);
      }
      await tx.pg.query(`ALTER TABLE system_logs DETACH PARTITION ${table}`);
      await tx.pg.query(`DROP TABLE ${table}`);
    });
    dropped.push(part.name);
  }
  if (dropped.length) forgetKnownPartitions();

  // 2. What is left, row by row, per policy.
  let step = 1;
  for (const p of policies) {
    await progress(step++, steps, p.name);
    const outcome = outcomes.get(p.id)!;
    const scope = scopeCondition(p, policies);
    const cutoff = cutoffOf(p, now);
    const n = scope.params.length;
    const heldCount = held.length
      ? Number(
          (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM system_logs WHERE ${scope.where} AND occurred_at < $${n + 1} AND subject_pseudonym = ANY($${n + 2}::text[])`, [...scope.params, cutoff, held])).rows[0]!.n,
        )
      : 0;
    outcome.held = heldCount;
    if (p.action === "delete") {
      for (;;) {
        const { rowCount } = await pool.query(
          // The outer time bound keeps the delete on the expired days' partitions.
          `DELETE FROM system_logs WHERE occurred_at < $${n + 1} AND (event_id, occurred_at) IN (
             SELECT event_id, occurred_at FROM system_logs
              WHERE ${scope.where} AND occurred_at < $${n + 1} AND (subject_pseudonym IS NULL OR NOT (subject_pseudonym = ANY($${n + 2}::text[])))
              LIMIT ${BATCH})`,
          [...scope.params, cutoff, held],
        );
        outcome.deleted += rowCount ?? 0;
        if (!rowCount || rowCount < BATCH) break;
      }
    } else {
      outcome.anonymized += await anonymizeEvents(pool, { before: cutoff, classification: p.classification, type: p.eventType ?? undefined, excludeTypes: p.eventType ? [] : (scope.params[1] as string[]), exceptSubjects: held });
    }
  }

  const result: RetentionResult = { ranAt: now.toISOString(), partitionsDropped: dropped, rowsInDroppedPartitions: rowsDropped, policies: [...outcomes.values()] };
  await transaction(async (tx) => {
    await tx.retentionPolicy.updateMany({ where: { id: { in: policies.map((p) => p.id) } }, data: { lastRunAt: now } });
    const total = (k: "deleted" | "anonymized" | "held") => result.policies.reduce((s, o) => s + o[k], 0);
    await writeAudit(
      { actor: options.actor ?? { type: "system" }, action: "retention.run", resourceType: "retention_policy", outcome: "success", metadata: { deleted: total("deleted"), anonymized: total("anonymized"), held: total("held"), partitionsDropped: dropped.length } },
      tx,
    );
  });
  await progress(steps, steps, "done");
  return result;
}

export async function runRetentionJob(job: JobRecord, progress: Progress): Promise<RetentionResult> {
  const actor: Actor | undefined = job.requestedById ? { type: "user", id: job.requestedById, role: "admin" } : undefined;
  return runRetention({ progress, actor });
}
