import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { database, db } from "../db/client";
import { SafeError } from "../errors";
import { ingestEvents } from "../ingest/ingest";
import { pseudonymFor } from "../privacy/pseudonym";
import { createRequest, retryRequestJob, startSelfServiceExport, transitionRequest } from "../privacy/requests";
import type { WireEvent } from "@clearlog/sdk";
import { redispatchQueuedJobs } from "./jobs";
import { jobQueue } from "./queue";
import { runJob, startJobWorker } from "./worker";
import { errorOf } from "@/test/support/errors";

// Jobs: runJob's bookkeeping (claim, success, SafeError, retries) and delivery through pg-boss.
// The worker is started only in the last test, so the earlier ones control every run themselves.
// lib/db/test-setup.ts stops the queue (stopJobQueue) after the file.
const admin: Actor = { type: "user", id: randomUUID(), role: "admin" };
const UNEXPECTED = "The job failed unexpectedly; the server log has the details.";

let seq = 0;
async function person() {
  const externalId = `worker-user-${Date.now().toString(36)}-${seq++}`;
  const pseudonym = pseudonymFor(externalId);
  const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: "Worker", role: "end_user", subjectPseudonym: pseudonym } });
  const actor: Actor = { type: "user", id: user.id, role: "end_user" };
  return { externalId, pseudonym, userId: user.id, actor, requester: { pseudonym, userId: user.id } };
}

async function expectConflict(promise: Promise<unknown>, message: string) {
  const err = await errorOf(promise);
  expect(err).toBeInstanceOf(SafeError);
  expect(err).toMatchObject({ code: "conflict", message });
}

async function bossJob(id: string) {
  const { rows } = await database().pool.query<{ name: string; data: unknown; state: string; retry_limit: number }>("SELECT name, data, state, retry_limit FROM pgboss.job WHERE id = $1", [id]);
  return rows;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** An access request in progress with its job recorded but not handed to the queue. */
async function accessRequestWithJob() {
  const me = await person();
  const request = await createRequest(me.requester, { type: "access" }, me.actor);
  await db().privacyRequest.update({ where: { id: request.id }, data: { status: "in_progress" } });
  const job = await db().job.create({ data: { kind: "subject_export", privacyRequestId: request.id } });
  return { me, request, job };
}

describe("runJob", () => {
  it("does not run a job that already succeeded again", async () => {
    const me = await person();
    const first = await runJob((await startSelfServiceExport(me.requester, me.actor)).id);
    expect(first).toMatchObject({ status: "succeeded", attempts: 1 });
    const timeline = await db().privacyRequestEvent.count({ where: { requestId: first.privacyRequestId! } });
    const audits = await db().auditLog.count({ where: { resourceId: first.privacyRequestId!, action: "privacy_request.export_completed" } });
    expect(audits).toBe(1);

    const again = await runJob(first.id);
    expect(again).toEqual(first);
    expect(await db().job.findUniqueOrThrow({ where: { id: first.id } })).toEqual(first);
    expect(await db().privacyRequestEvent.count({ where: { requestId: first.privacyRequestId! } })).toBe(timeline);
    expect(await db().auditLog.count({ where: { resourceId: first.privacyRequestId!, action: "privacy_request.export_completed" } })).toBe(1);
    expect(await db().subjectExport.count({ where: { subjectPseudonym: me.pseudonym } })).toBe(1);
  });

  it("fails at once, without retry, when the handler throws a SafeError", async () => {
    const me = await person();
    const request = await createRequest(me.requester, { type: "erasure" }, me.actor);
    const job = await db().job.create({ data: { kind: "erasure", privacyRequestId: request.id } });

    const failed = await runJob(job.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 1, error: "Only an erasure request in progress can be carried out.", result: null });
    expect(failed.startedAt).toBeInstanceOf(Date);
    expect(failed.finishedAt).toBeInstanceOf(Date);
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("received");

    // Finished: another delivery changes nothing.
    expect(await runJob(job.id)).toEqual(failed);

    const orphan = await db().job.create({ data: { kind: "subject_export" } });
    expect(await runJob(orphan.id)).toMatchObject({ status: "failed", attempts: 1, error: "This export is not attached to an access request." });
  });

  it("puts a job back in the queue after an unexpected error, and fails it on the third attempt", async () => {
    const { request, job } = await accessRequestWithJob();
    // A database fault, not a mock: the export cannot be stored while this trigger exists.
    const { pool } = database();
    await pool.query(`CREATE FUNCTION test_refuse_export() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'export storage unavailable'; END $$`);
    await pool.query(`CREATE TRIGGER test_refuse_export BEFORE INSERT ON subject_exports FOR EACH ROW EXECUTE FUNCTION test_refuse_export()`);
    try {
      for (const attempt of [1, 2]) {
        const err = await errorOf(runJob(job.id));
        expect(err).toBeInstanceOf(Error);
        expect(err).not.toBeInstanceOf(SafeError);
        const row = await db().job.findUniqueOrThrow({ where: { id: job.id } });
        expect(row).toMatchObject({ status: "queued", attempts: attempt, error: UNEXPECTED, finishedAt: null });
      }
      const last = await runJob(job.id);
      expect(last).toMatchObject({ status: "failed", attempts: 3, error: UNEXPECTED });
      expect(last.finishedAt).toBeInstanceOf(Date);
    } finally {
      await pool.query("DROP TRIGGER test_refuse_export ON subject_exports");
      await pool.query("DROP FUNCTION test_refuse_export()");
    }
    // Nothing half-done: no archive, the request still in progress, no completion in its timeline.
    expect(await db().subjectExport.count({ where: { jobId: job.id } })).toBe(0);
    const after = await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id }, include: { events: true } });
    expect(after.status).toBe("in_progress");
    expect(after.receipt).toBeNull();
    expect(after.events.map((e) => e.toStatus)).toEqual(["received"]);
    expect(await runJob(job.id)).toMatchObject({ status: "failed", attempts: 3 });
  });

  it("clears the previous error when a retried attempt succeeds", async () => {
    const { request, job } = await accessRequestWithJob();
    await db().job.update({ where: { id: job.id }, data: { attempts: 1, error: UNEXPECTED } });
    const done = await runJob(job.id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 2, error: null, stage: "done" });
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("completed");
  });
});

describe("redispatchQueuedJobs", () => {
  it("hands a stranded queued job to pg-boss once, however often it runs, and leaves recent ones alone", async () => {
    await jobQueue();
    const stranded = await db().job.create({ data: { kind: "subject_export", createdAt: new Date(Date.now() - 3_600_000) } });
    const recent = await db().job.create({ data: { kind: "erasure" } });
    expect(await bossJob(stranded.id)).toEqual([]);

    expect(await redispatchQueuedJobs(30 * 60_000)).toBe(1);
    expect(await bossJob(stranded.id)).toEqual([{ name: "subject_export", data: { jobId: stranded.id }, state: "created", retry_limit: 2 }]);
    expect(await redispatchQueuedJobs(30 * 60_000)).toBe(1);
    expect(await bossJob(stranded.id)).toHaveLength(1);
    expect(await bossJob(recent.id)).toEqual([]);

    // A job no longer queued is not handed over again.
    await db().job.update({ where: { id: stranded.id }, data: { status: "failed" } });
    expect(await redispatchQueuedJobs(30 * 60_000)).toBe(0);
    await db().job.delete({ where: { id: recent.id } });
  });

  it("marks a job failed whose worker died while running it, and leaves a recent running one alone", async () => {
    const abandoned = await db().job.create({ data: { kind: "subject_export", status: "running", startedAt: new Date(Date.now() - 3_600_000) } });
    const busy = await db().job.create({ data: { kind: "subject_export", status: "running", startedAt: new Date() } });
    await redispatchQueuedJobs();
    expect(await db().job.findUniqueOrThrow({ where: { id: abandoned.id } })).toMatchObject({ status: "failed", error: "The worker stopped while running this job; run it again." });
    expect((await db().job.findUniqueOrThrow({ where: { id: busy.id } })).status).toBe("running");
    await db().job.deleteMany({ where: { id: { in: [abandoned.id, busy.id] } } });
  });
});

describe("retryRequestJob", () => {
  it("refuses while the request's job is queued, and starts a new one once it failed", async () => {
    const me = await person();
    const request = await createRequest(me.requester, { type: "access" }, me.actor);
    await expectConflict(retryRequestJob(request.id, admin), "Only an access or erasure request in progress has a job to run.");
    await transitionRequest({ id: request.id, to: "verified" }, admin);
    await transitionRequest({ id: request.id, to: "in_progress" }, admin);
    const [first] = await db().job.findMany({ where: { privacyRequestId: request.id } });
    expect(first?.status).toBe("queued");
    expect(await bossJob(first!.id)).toHaveLength(1);

    await expectConflict(retryRequestJob(request.id, admin), "This request's job is already queued or running.");
    expect(await db().job.count({ where: { privacyRequestId: request.id } })).toBe(1);

    // Erasure elsewhere unlinked the person: the export fails for good.
    await db().privacyRequest.update({ where: { id: request.id }, data: { subjectPseudonym: null } });
    expect(await runJob(first!.id)).toMatchObject({ status: "failed", attempts: 1, error: "No data is linked to this request any more." });

    const second = await retryRequestJob(request.id, admin);
    expect(second.id).not.toBe(first!.id);
    expect(second).toMatchObject({ kind: "subject_export", status: "queued", attempts: 0, privacyRequestId: request.id, requestedById: (admin as { id: string }).id });
    expect(await bossJob(second.id)).toEqual([{ name: "subject_export", data: { jobId: second.id }, state: "created", retry_limit: 2 }]);
    const audit = await db().auditLog.findMany({ where: { resourceId: request.id, action: "privacy_request.retry_job" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.metadata).toEqual({ type: "access" });

    await expectConflict(retryRequestJob(request.id, admin), "This request's job is already queued or running.");
    expect(await db().job.count({ where: { privacyRequestId: request.id } })).toBe(2);
  });
});

describe("startJobWorker", () => {
  // Last in the file: from here on pg-boss runs every job handed to it.
  it("delivers a job through pg-boss end to end, and drains the jobs already queued", async () => {
    const me = await person();
    const events: WireEvent[] = Array.from({ length: 12 }, (_, i) => ({ id: `worker-ev-${seq}-${i}`, type: "system", timestamp: new Date(Date.now() - 60_000 + i).toISOString(), subject: me.externalId, name: "worker.test" }));
    expect((await ingestEvents(events, { apiKeyId: null, ip: null, userAgent: null })).accepted).toBe(12);

    const queued = await startSelfServiceExport(me.requester, me.actor);
    expect(queued.status).toBe("queued");
    const started = startJobWorker({ pollingIntervalSeconds: 0.5 });
    expect(startJobWorker()).toBe(started);
    await started;

    const job = await until(
      () => db().job.findUniqueOrThrow({ where: { id: queued.id } }),
      (j) => j.status === "succeeded" || j.status === "failed",
    );
    expect(job).toMatchObject({ status: "succeeded", attempts: 1, processed: 12, total: 12, stage: "done", error: null });
    const request = await db().privacyRequest.findUniqueOrThrow({ where: { id: queued.privacyRequestId! } });
    expect(request.status).toBe("completed");
    expect(request.receipt).toMatchObject({ exportId: (job.result as { exportId: string }).exportId, counts: { events: 12 } });

    const boss = await until(
      () => bossJob(queued.id),
      (rows) => rows[0]?.state === "completed",
    );
    expect(boss.map((r) => r.state)).toEqual(["completed"]);

    // Everything dispatched earlier in the file (the retried export among them) was worked as well.
    const open = await until(
      () => db().job.count({ where: { status: { in: ["queued", "running"] } } }),
      (n) => n === 0,
    );
    expect(open).toBe(0);
  });
});
