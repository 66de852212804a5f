import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { createApiKey } from "../auth/api-keys";
import { recordConsent } from "../consent/consent";
import { database, db } from "../db/client";
import { SafeError } from "../errors";
import { ingestEvents } from "../ingest/ingest";
import { flushSessions } from "../ingest/session-tracker";
import { runJob } from "../jobs/worker";
import type { WireEvent } from "@clearlog/sdk";
import { pseudonymFor } from "./pseudonym";
import { createRequest, startSelfServiceExport, transitionRequest } from "./requests";
import { deleteExpiredExports, EXPORT_DAYS, EXPORT_FORMAT, exportArchiveFor } from "./subject-export";
import { errorOf } from "@/test/support/errors";

// The access export end to end: job → archive in subject_exports → download by its requester only.
const DAY = 86_400_000;
const admin: Actor = { type: "user", id: randomUUID(), role: "admin" };

let seq = 0;
async function person(prefix = "export-user") {
  const externalId = `${prefix}-${Date.now().toString(36)}-${seq++}`;
  const pseudonym = pseudonymFor(externalId);
  const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: "Exporter", role: "end_user", subjectPseudonym: pseudonym } });
  const actor: Actor = { type: "user", id: user.id, role: "end_user" };
  return { externalId, pseudonym, userId: user.id, actor, requester: { pseudonym, userId: user.id } };
}

/** `count` system events for `subject`, ingested in batches of 1000; three share each timestamp. */
async function ingestFor(subject: string, count: number, opts: { apiKeyId?: string | null; sessionId?: string; sessionEvents?: number } = {}) {
  const base = Date.now() - 2 * 3_600_000;
  const tag = `${subject}-${seq++}`;
  const events: WireEvent[] = Array.from({ length: count }, (_, i) => ({
    id: `ev-${tag}-${String(i).padStart(5, "0")}`,
    type: "system",
    timestamp: new Date(base + Math.floor(i / 3) * 1000).toISOString(),
    subject,
    name: "export.test",
    message: `step ${i}`,
    ...(opts.sessionId && i < (opts.sessionEvents ?? 0) ? { sessionId: opts.sessionId } : {}),
  }));
  // Newest first, so the table's physical order is not the export's order.
  const reversed = [...events].reverse();
  for (let i = 0; i < reversed.length; i += 1000) {
    const result = await ingestEvents(reversed.slice(i, i + 1000), { apiKeyId: opts.apiKeyId ?? null, ip: "198.51.100.20", userAgent: "export-test/1.0" });
    expect(result.accepted).toBe(Math.min(1000, reversed.length - i));
  }
  return events.map((e) => e.id);
}

interface Archive {
  format: string;
  generatedAt: string;
  subject: { id: string | null; restricted: boolean };
  events: Record<string, unknown>[];
  sessions: Record<string, unknown>[];
  consent: { current: Record<string, unknown>[]; history: Record<string, unknown>[] };
  requests: Record<string, unknown>[];
  feedback: Record<string, unknown>[];
  training: { featureSets: Record<string, unknown>[]; features: Record<string, unknown>[] };
}

async function archiveOf(exportId: string, requesterId: string): Promise<{ archive: Archive; text: string }> {
  const file = await exportArchiveFor(exportId, { userId: requesterId, pseudonym: null });
  expect(file).not.toBeNull();
  const text = file!.json.toString("utf8");
  return { archive: JSON.parse(text) as Archive, text };
}

describe("subject export", () => {
  it("builds a complete archive over several pages, completes the request and hands it only to its requester", async () => {
    const me = await person();
    const other = await person("other-user");
    const key = await createApiKey({ name: "export test key", scopes: ["ingest"] }, { type: "cli" });
    const sessionId = `sess-export-${randomUUID()}`;
    const COUNT = 4500;
    const myIds = await ingestFor(me.externalId, COUNT, { apiKeyId: key.id, sessionId, sessionEvents: 100 });
    const otherIds = await ingestFor(other.externalId, 25, { sessionId: `sess-other-${randomUUID()}`, sessionEvents: 5 });
    await flushSessions();

    await recordConsent(me.pseudonym, [{ purpose: "analytics", granted: true }, { purpose: "ai_training", granted: true }], { method: "explicit" });
    await recordConsent(me.pseudonym, [{ purpose: "analytics", granted: false }], { method: "explicit" });
    await recordConsent(other.pseudonym, [{ purpose: "marketing", granted: true }], { method: "explicit" });
    const model = await db().model.create({ data: { name: `export-model-${randomUUID()}`, modelType: "classifier" } });
    const version = await db().modelVersion.create({ data: { modelId: model.id, version: "1.4.0" } });
    await db().modelFeedback.create({ data: { modelVersionId: version.id, subjectPseudonym: me.pseudonym, rating: 1, comment: "spot on", source: "end_user" } });
    await db().modelFeedback.create({ data: { modelVersionId: version.id, subjectPseudonym: other.pseudonym, rating: -1, comment: "other person's", source: "end_user" } });
    const set = await db().featureSet.create({
      data: {
        featureType: "user_behavior", startDate: new Date("2026-01-01T00:00:00Z"), endDate: new Date("2026-02-01T00:00:00Z"), definitionVersion: 1, completedAt: new Date(),
        subjects: { create: [{ subjectPseudonym: me.pseudonym }, { subjectPseudonym: other.pseudonym }] },
        features: { create: [{ entityKey: me.pseudonym, subjectPseudonym: me.pseudonym, features: { events: 12 } }, { entityKey: other.pseudonym, subjectPseudonym: other.pseudonym, features: { events: 99 } }] },
      },
    });
    await db().modelVersionFeatureSet.create({ data: { modelVersionId: version.id, featureSetId: set.id } });

    const queued = await startSelfServiceExport(me.requester, me.actor);
    expect(queued).toMatchObject({ kind: "subject_export", status: "queued", requestedById: me.userId, attempts: 0 });
    const requestId = queued.privacyRequestId!;

    const job = await runJob(queued.id);
    expect(job).toMatchObject({ status: "succeeded", attempts: 1, processed: COUNT, total: COUNT, error: null });
    // The handler's last progress step is "ready"; runJob then marks every succeeded job "done".
    expect(job.stage).toBe("done");
    expect(job.finishedAt).toBeInstanceOf(Date);
    const result = job.result as { exportId: string; counts: Record<string, number>; byteSize: number; expiresAt: string };
    const counts = { events: COUNT, sessions: 1, consentHistory: 3, requests: 1, feedback: 1, trainingSets: 1 };
    expect(result.counts).toEqual(counts);

    const stored = await db().subjectExport.findUniqueOrThrow({ where: { id: result.exportId } });
    expect(stored).toMatchObject({ jobId: job.id, requesterId: me.userId, subjectPseudonym: me.pseudonym, byteSize: result.byteSize });
    expect(stored.archive.length).toBe(result.byteSize);
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeGreaterThan(EXPORT_DAYS * DAY - 60_000);
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeLessThan(EXPORT_DAYS * DAY + 60_000);
    expect(stored.expiresAt.toISOString()).toBe(result.expiresAt);

    const request = await db().privacyRequest.findUniqueOrThrow({ where: { id: requestId }, include: { events: { orderBy: [{ occurredAt: "asc" }, { id: "asc" }] } } });
    expect(request.status).toBe("completed");
    expect(request.completedAt).toBeInstanceOf(Date);
    expect(request.receipt).toEqual({ exportId: result.exportId, counts });
    expect(request.events.map((e) => [e.fromStatus, e.toStatus, e.actorType])).toEqual([
      [null, "received", "user"],
      ["received", "in_progress", "system"],
      ["in_progress", "completed", "system"],
    ]);
    expect(request.events[2]!.note).toBe(`Your archive is ready to download until ${result.expiresAt.slice(0, 10)}.`);
    const audit = await db().auditLog.findFirstOrThrow({ where: { resourceId: requestId, action: "privacy_request.export_completed" } });
    expect(audit.metadata).toEqual({ ...counts, bytes: result.byteSize });

    const { archive, text } = await archiveOf(result.exportId, me.userId);
    expect(archive.format).toBe(EXPORT_FORMAT);
    expect(archive.subject).toEqual({ id: me.externalId, restricted: false });
    // Internal columns and nulls stay out: no pseudonym, no search vector, no null anywhere.
    expect(JSON.stringify(archive)).not.toContain(me.pseudonym);
    expect(JSON.stringify(archive)).not.toContain("search_vector");
    expect(JSON.stringify(archive)).not.toContain(":null");
    expect(Number.isNaN(Date.parse(archive.generatedAt))).toBe(false);

    expect(archive.events).toHaveLength(COUNT);
    const exportedIds = archive.events.map((e) => e.event_id as string);
    expect(new Set(exportedIds).size).toBe(COUNT);
    expect([...exportedIds].sort()).toEqual([...myIds].sort());
    const times = archive.events.map((e) => Date.parse(e.occurred_at as string));
    for (let i = 1; i < times.length; i++) expect(times[i]! >= times[i - 1]!).toBe(true);
    for (const e of archive.events) {
      expect(Object.keys(e)).not.toContain("subject_pseudonym");
      expect(Object.keys(e)).not.toContain("api_key_id");
    }
    expect(archive.events[0]).toMatchObject({ type: "system", name: "export.test", message: "step 0", session_id: sessionId });
    for (const id of otherIds) expect(text).not.toContain(id);
    expect(text).not.toContain(other.pseudonym);
    expect(text).not.toContain(key.id);

    expect(archive.sessions).toHaveLength(1);
    expect(archive.sessions[0]).toMatchObject({ sessionKey: sessionId, eventCount: 100, ipPrefix: "198.51.100.0/24" });
    expect(Object.keys(archive.sessions[0]!)).not.toContain("subjectPseudonym");

    const purposes = await db().consentPurpose.count();
    expect(archive.consent.current).toHaveLength(purposes);
    expect(archive.consent.current.find((c) => c.purpose === "analytics")).toMatchObject({ granted: false, method: "withdrawal" });
    expect(archive.consent.current.find((c) => c.purpose === "ai_training")).toMatchObject({ granted: true, method: "explicit" });
    const marketing = archive.consent.current.find((c) => c.purpose === "marketing")!;
    expect(marketing).toMatchObject({ granted: false, method: "default" });
    // Never chosen: no date, and no null in its place.
    expect(Object.keys(marketing)).not.toContain("updatedAt");
    expect(archive.consent.history.map((h) => [h.purpose, h.granted, h.method])).toEqual([
      ["analytics", true, "explicit"],
      ["ai_training", true, "explicit"],
      ["analytics", false, "withdrawal"],
    ]);
    expect(Object.keys(archive.consent.history[0]!)).not.toContain("subjectPseudonym");

    expect(archive.requests.map((r) => [r.id, r.type])).toEqual([[requestId, "access"]]);
    expect((archive.requests[0]!.events as unknown[]).length).toBe(2);
    expect(archive.feedback).toEqual([expect.objectContaining({ rating: 1, comment: "spot on", source: "end_user", modelVersion: { version: "1.4.0", model: { name: model.name } } })]);
    // The training set that included them, the model trained on it, and their row only.
    expect(archive.training.featureSets).toEqual([
      { id: set.id, featureType: "user_behavior", range: { start: "2026-01-01T00:00:00.000Z", end: "2026-02-01T00:00:00.000Z" }, extractedAt: set.completedAt!.toISOString(), models: [`${model.name} 1.4.0`] },
    ]);
    expect(archive.training.features).toEqual([expect.objectContaining({ featureSetId: set.id, features: { events: 12 } })]);

    // Only the requester can download it.
    expect(await exportArchiveFor(result.exportId, { userId: other.userId, pseudonym: null })).toBeNull();
    // The person reaches it by their subject too (a portal session has no account); another subject cannot.
    expect(await exportArchiveFor(result.exportId, { userId: null, pseudonym: me.pseudonym })).not.toBeNull();
    expect(await exportArchiveFor(result.exportId, { userId: null, pseudonym: other.pseudonym })).toBeNull();
    expect(await exportArchiveFor(randomUUID(), { userId: me.userId, pseudonym: me.pseudonym })).toBeNull();
  });

  it("returns nothing after expiry, and deleteExpiredExports removes exactly the expired archive", async () => {
    const me = await person();
    await ingestFor(me.externalId, 3);
    const expiring = await runJob((await startSelfServiceExport(me.requester, me.actor)).id);
    const keep = await person();
    const kept = await runJob((await startSelfServiceExport(keep.requester, keep.actor)).id);
    const expiringId = (expiring.result as { exportId: string }).exportId;
    const keptId = (kept.result as { exportId: string }).exportId;
    expect(await exportArchiveFor(expiringId, { userId: me.userId, pseudonym: null })).not.toBeNull();

    await db().subjectExport.update({ where: { id: expiringId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await exportArchiveFor(expiringId, { userId: me.userId, pseudonym: null })).toBeNull();
    expect(await db().subjectExport.count({ where: { id: expiringId } })).toBe(1);

    expect(await deleteExpiredExports()).toBe(1);
    expect(await db().subjectExport.count({ where: { id: expiringId } })).toBe(0);
    expect(await db().subjectExport.count({ where: { id: keptId } })).toBe(1);
    expect(await exportArchiveFor(keptId, { userId: keep.userId, pseudonym: null })).not.toBeNull();
    expect(await deleteExpiredExports()).toBe(0);
  });

  it("runs one export at a time per person: a second start while queued returns the same job", async () => {
    const me = await person();
    await ingestFor(me.externalId, 4);
    const first = await startSelfServiceExport(me.requester, me.actor);
    const second = await startSelfServiceExport(me.requester, me.actor);
    expect(second.id).toBe(first.id);
    expect(second.status).toBe("queued");
    expect(await db().privacyRequest.count({ where: { subjectPseudonym: me.pseudonym, type: "access" } })).toBe(1);
    expect(await db().job.count({ where: { privacyRequest: { subjectPseudonym: me.pseudonym } } })).toBe(1);

    // Once it has finished, a new export is a new request and a new job.
    expect((await runJob(first.id)).status).toBe("succeeded");
    const third = await startSelfServiceExport(me.requester, me.actor);
    expect(third.id).not.toBe(first.id);
    expect(third.status).toBe("queued");
    expect(await db().privacyRequest.count({ where: { subjectPseudonym: me.pseudonym, type: "access" } })).toBe(2);
  });

  it("exports a person with no events as an archive with empty events", async () => {
    const me = await person("no-data");
    const job = await runJob((await startSelfServiceExport(me.requester, me.actor)).id);
    expect(job).toMatchObject({ status: "succeeded", processed: 0, total: 0 });
    const result = job.result as { exportId: string; counts: Record<string, number> };
    expect(result.counts).toEqual({ events: 0, sessions: 0, consentHistory: 0, requests: 1, feedback: 0, trainingSets: 0 });
    const { archive } = await archiveOf(result.exportId, me.userId);
    expect(archive.format).toBe(EXPORT_FORMAT);
    expect(archive.subject).toEqual({ restricted: false });
    expect(archive.events).toEqual([]);
    expect(archive.sessions).toEqual([]);
    expect(archive.consent.history).toEqual([]);
    expect(archive.feedback).toEqual([]);
    expect(archive.requests).toHaveLength(1);
  });

  it("starts the export job when an admin moves an access request in progress; only the job completes it", async () => {
    const me = await person();
    await ingestFor(me.externalId, 7);
    const request = await createRequest(me.requester, { type: "access", details: "Everything please" }, me.actor);
    await transitionRequest({ id: request.id, to: "verified" }, admin);
    expect(await db().job.count({ where: { privacyRequestId: request.id } })).toBe(0);
    await transitionRequest({ id: request.id, to: "in_progress" }, admin);

    const jobs = await db().job.findMany({ where: { privacyRequestId: request.id } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: "subject_export", status: "queued", requestedById: (admin as { id: string }).id });

    const refused = await errorOf(transitionRequest({ id: request.id, to: "completed" }, admin));
    expect(refused).toBeInstanceOf(SafeError);
    expect((refused as SafeError).code).toBe("conflict");
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("in_progress");

    const done = await runJob(jobs[0]!.id);
    expect(done.status).toBe("succeeded");
    const completed = await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(completed.status).toBe("completed");
    const exportId = (done.result as { exportId: string }).exportId;
    expect(completed.receipt).toEqual({ exportId, counts: { events: 7, sessions: 0, consentHistory: 0, requests: 1, feedback: 0, trainingSets: 0 } });
    const { archive } = await archiveOf(exportId, me.userId);
    expect(archive.events).toHaveLength(7);
    expect(archive.requests[0]).toMatchObject({ id: request.id, details: "Everything please" });
    const rows = await database().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM subject_exports WHERE job_id = $1", [done.id]);
    expect(rows.rows[0]!.n).toBe(1);
  });

  it("builds no archive for a request rejected while its job waited, and leaves it rejected", async () => {
    const me = await person();
    await ingestFor(me.externalId, 3);
    const request = await createRequest(me.requester, { type: "access" }, me.actor);
    await transitionRequest({ id: request.id, to: "verified" }, admin);
    await transitionRequest({ id: request.id, to: "in_progress" }, admin);
    await transitionRequest({ id: request.id, to: "rejected", reason: "Identity could not be verified" }, admin);
    const job = await db().job.findFirstOrThrow({ where: { privacyRequestId: request.id } });

    const done = await runJob(job.id);
    expect(done).toMatchObject({ status: "failed", error: "This access request is no longer in progress, so no archive was built." });
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("rejected");
    expect(await db().subjectExport.count({ where: { jobId: job.id } })).toBe(0);
  });
});
