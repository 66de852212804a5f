import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { database, db } from "../db/client";
import { DAYS_AHEAD } from "../db/partitions";
import { jobQueue } from "./queue";
import { SCHEDULES, startSchedules } from "./schedules";
import { startJobWorker } from "./worker";

// Periodic upkeep runs as scheduled jobs of the queue (pg-boss cron), not on timers in each process:
// the schedules are registered once, and their handlers, delivered by the queue, do the work.
// Rows to clean up are written before the worker starts; the jobs it sends at start do the work.
const DAY = 86_400_000;
const partitionName = (d: Date) => `system_logs_p${d.toISOString().slice(0, 10).replaceAll("-", "")}`;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function partitionExists(name: string): Promise<boolean> {
  const { rows } = await database().pool.query("SELECT 1 FROM pg_class WHERE relname = $1", [name]);
  return rows.length === 1;
}

describe("scheduled upkeep", () => {
  const lastAhead = partitionName(new Date(Date.now() + DAYS_AHEAD * DAY));
  let expiredSession = "";
  let liveSession = "";
  let expiredExport = "";
  let liveExport = "";
  let strandedJob = "";

  it("registers each schedule once, with its cron in UTC, however many servers start", async () => {
    // What the upkeep must clean up or restore, in place before any server starts.
    const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: "Upkeep", role: "end_user" } });
    const session = (expiresAt: Date) => db().authSession.create({ data: { userId: user.id, tokenHash: randomUUID(), expiresAt } });
    expiredSession = (await session(new Date(Date.now() - 60_000))).id;
    liveSession = (await session(new Date(Date.now() + DAY))).id;
    const archive = async (expiresAt: Date) => {
      const job = await db().job.create({ data: { kind: "subject_export", status: "succeeded" } });
      return (await db().subjectExport.create({ data: { jobId: job.id, subjectPseudonym: "p-upkeep", archive: Buffer.from("{}"), byteSize: 2, expiresAt } })).id;
    };
    expiredExport = await archive(new Date(Date.now() - 60_000));
    liveExport = await archive(new Date(Date.now() + DAY));
    await database().pool.query(`DROP TABLE IF EXISTS "${lastAhead}"`);
    // A job recorded but never handed to the queue, as when a process stops between commit and dispatch.
    strandedJob = (await db().job.create({ data: { kind: "retention", createdAt: new Date(Date.now() - 5 * 60_000) } })).id;

    await startJobWorker({ pollingIntervalSeconds: 0.5 });
    // A second server registers the same schedules again.
    await startSchedules(await jobQueue());
    // pg-boss keeps them in its schedule table (its typings leave out the time zone column).
    const { rows: schedules } = await database().pool.query<{ name: string; cron: string; timezone: string }>("SELECT name, cron, timezone FROM pgboss.schedule");
    expect(schedules.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      SCHEDULES.map((s) => ({ name: s.name, cron: s.cron, timezone: "UTC" })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(SCHEDULES.map((s) => s.name).sort()).toEqual(["jobs-redispatch", "maintenance-hourly", "privacy-deadline-reminders", "retention-daily"]);
  });

  it("upkeep keeps a week of partitions ahead and deletes expired sessions and archives, and nothing else", async () => {
    expect(await until(() => partitionExists(lastAhead), Boolean)).toBe(true);
    const sessions = await until(
      () => db().authSession.findMany({ where: { id: { in: [expiredSession, liveSession] } }, select: { id: true } }),
      (rows) => rows.length === 1,
    );
    expect(sessions.map((s) => s.id)).toEqual([liveSession]);
    const exports = await until(
      () => db().subjectExport.findMany({ where: { id: { in: [expiredExport, liveExport] } }, select: { id: true } }),
      (rows) => rows.length === 1,
    );
    expect(exports.map((e) => e.id)).toEqual([liveExport]);
  });

  it("re-dispatch hands a stranded job to the queue, which runs it", async () => {
    const job = await until(
      () => db().job.findUniqueOrThrow({ where: { id: strandedJob } }),
      (j) => j.status === "succeeded" || j.status === "failed",
    );
    expect(job.status).toBe("succeeded");
  });

  it("the daily retention slot starts a retention run, recorded as a job", async () => {
    const before = await db().job.count({ where: { kind: "retention" } });
    await (await jobQueue()).send("retention-daily", {});
    const runs = await until(
      () => db().job.findMany({ where: { kind: "retention" }, orderBy: { createdAt: "desc" } }),
      (rows) => rows.length > before && rows[0]!.status === "succeeded",
    );
    expect(runs).toHaveLength(before + 1);
    expect(runs[0]!.status).toBe("succeeded");
  });
});
