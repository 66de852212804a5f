import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { Actor } from "../audit/audit";
import { consentFor, recordConsent } from "../consent/consent";
import { database, db } from "../db/client";
import { ingestEvents } from "../ingest/ingest";
import { flushSessions } from "../ingest/session-tracker";
import { runJob } from "../jobs/worker";
import type { WireEvent } from "@clearlog/sdk";
import { eraseForRequest, type ErasureReceipt } from "./erasure";
import { pseudonymFor } from "./pseudonym";
import { cancelRequest, createRequest, transitionRequest } from "./requests";
import { SUBJECT_COLUMNS } from "./subject-data";
import { expectSafeError } from "@/test/support/errors";

// Erasure (lib/privacy/erasure.ts) around the planted-data scan (erasure-scan.db.test.ts): the
// registry is complete, only an erasure request in progress can be carried out, and ingest keeps
// working for the same person afterwards.
const admin: Actor = { type: "user", id: randomUUID(), role: "admin" };
const ctx = { apiKeyId: null, ip: "203.0.113.8", userAgent: "erasure-test/1.0" };

const event = (subject: string, type: "user_action" | "error", extra: Partial<WireEvent> = {}): WireEvent =>
  type === "error"
    ? { id: randomUUID(), type, timestamp: new Date().toISOString(), subject, error: { name: "TypeError", message: "x is undefined" }, ...extra }
    : { id: randomUUID(), type, timestamp: new Date().toISOString(), subject, action: "open_report", ...extra };

/** A portal user whose subject has consent, two events and a session. */
async function person() {
  const ext = `erasure-subject-${randomUUID()}`;
  const pseudonym = pseudonymFor(ext);
  const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: "Requester", role: "end_user", subjectPseudonym: pseudonym } });
  const actor: Actor = { type: "user", id: user.id, role: "end_user" };
  await recordConsent(pseudonym, [{ purpose: "analytics", granted: true }], { method: "explicit" });
  const sessionId = `sess-${randomUUID()}`;
  expect(await ingestEvents([event(ext, "user_action", { sessionId }), event(ext, "error", { sessionId })], ctx)).toMatchObject({ accepted: 2 });
  await flushSessions();
  return { ext, pseudonym, userId: user.id, actor, requester: { pseudonym, userId: user.id } };
}

type Person = Awaited<ReturnType<typeof person>>;

async function erasureRequest(p: Person, upTo: "received" | "verified" | "in_progress") {
  const steps = { received: [], verified: ["verified"], in_progress: ["verified", "in_progress"] } as const;
  const request = await createRequest(p.requester, { type: "erasure" }, p.actor);
  for (const to of steps[upTo]) await transitionRequest({ id: request.id, to }, admin);
  const job = await db().job.findFirst({ where: { privacyRequestId: request.id } });
  return { request, job };
}

/** What erasure would remove for this person: their events, sessions, consent and the subject link. */
async function dataOf(p: Person) {
  const [events, sessions, consent, subject] = await Promise.all([
    db().systemLog.count({ where: { subjectPseudonym: p.pseudonym } }),
    db().loggingSession.count({ where: { subjectPseudonym: p.pseudonym } }),
    db().consentSetting.count({ where: { subjectPseudonym: p.pseudonym } }),
    db().subject.count({ where: { externalId: p.ext } }),
  ]);
  return { events, sessions, consent, subject };
}

const stored = { events: 2, sessions: 1, consent: 1, subject: 1 };

describe("erasure requests", () => {
  it("cannot be marked completed by hand: only the erasure job may complete them", async () => {
    const p = await person();
    const { request, job } = await erasureRequest(p, "in_progress");
    await expectSafeError(transitionRequest({ id: request.id, to: "completed" }, admin), "conflict");
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("in_progress");
    expect(job).toMatchObject({ kind: "erasure", status: "queued" });
    expect(await dataOf(p)).toEqual(stored);
  });
});

describe("erasure progress", () => {
  it("is reported after each table, on its own connection, while the erasure's transaction is still open", async () => {
    const p = await person();
    const { request, job } = await erasureRequest(p, "in_progress");
    const seen: { done: number; status: string; events: number }[] = [];
    await eraseForRequest(request.id, async (done) => {
      // Another connection: the request is not completed and the events are not gone until the commit.
      const [status, events] = await Promise.all([
        db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } }).then((r) => r.status),
        db().systemLog.count({ where: { subjectPseudonym: p.pseudonym } }),
      ]);
      seen.push({ done, status, events });
      await db().job.update({ where: { id: job!.id }, data: { processed: done, total: SUBJECT_COLUMNS.length } });
    });
    expect(seen.map((s) => s.done)).toEqual(SUBJECT_COLUMNS.map((_, i) => i + 1));
    expect(new Set(seen.map((s) => s.status))).toEqual(new Set(["in_progress"]));
    expect(new Set(seen.map((s) => s.events))).toEqual(new Set([stored.events]));
    expect(await db().job.findUniqueOrThrow({ where: { id: job!.id } })).toMatchObject({ processed: SUBJECT_COLUMNS.length });
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("completed");
    expect(await dataOf(p)).toEqual({ events: 0, sessions: 0, consent: 0, subject: 0 });
  });
});

describe("SUBJECT_COLUMNS", () => {
  async function columns() {
    const { rows } = await database().pool.query<{ t: string; c: string; type: string }>(
      `SELECT c.table_name AS t, c.column_name AS c, c.data_type AS type
         FROM information_schema.columns c JOIN pg_class k ON k.relname = c.table_name AND k.relnamespace = 'public'::regnamespace
        WHERE c.table_schema = 'public' AND NOT k.relispartition`,
    );
    return rows;
  }

  it("lists every column in the database whose name contains `pseudonym`", async () => {
    const named = (await columns()).filter((r) => r.c.includes("pseudonym")).map((r) => `${r.t}.${r.c}`);
    expect(named.length).toBeGreaterThanOrEqual(10);
    const registry = SUBJECT_COLUMNS.map((c) => `${c.table}.${c.column}`);
    expect(named.filter((n) => !registry.includes(n))).toEqual([]);
  });

  it("names only columns that exist, every one of them text (mirrors too), once each", async () => {
    const all = new Map((await columns()).map((r) => [`${r.t}.${r.c}`, r.type]));
    for (const c of SUBJECT_COLUMNS) {
      expect(all.get(`${c.table}.${c.column}`), `${c.table}.${c.column}`).toBe("text");
      for (const mirror of c.mirrors ?? []) expect(all.get(`${c.table}.${mirror}`), `${c.table}.${mirror}`).toBe("text");
      for (const extra of c.alsoClear ?? []) expect(all.has(`${c.table}.${extra}`)).toBe(true);
    }
    // No set membership is kept in an array any more: it lives in feature_set_subjects rows.
    expect(all.has("feature_sets.included_pseudonyms")).toBe(false);
    expect(SUBJECT_COLUMNS.filter((c) => c.erase === "training_membership")).toEqual([{ table: "feature_set_subjects", column: "subject_pseudonym", erase: "training_membership" }]);
    expect(new Set(SUBJECT_COLUMNS.map((c) => c.table)).size).toBe(SUBJECT_COLUMNS.length);
    // The link goes last: until then a failure leaves the person findable, and erasable again.
    expect(SUBJECT_COLUMNS.at(-1)).toEqual({ table: "subjects", column: "pseudonym", erase: "delete" });
  });
});

describe("eraseForRequest refuses", () => {
  it("an erasure request that is received or verified, with conflict, erasing nothing", async () => {
    const p = await person();
    const received = (await erasureRequest(p, "received")).request;
    await expectSafeError(eraseForRequest(received.id), "conflict");
    // One open erasure request per person: the verified one is a second attempt after the first is set aside.
    await db().privacyRequest.update({ where: { id: received.id }, data: { status: "rejected" } });
    const verified = await erasureRequest(p, "verified");
    expect(verified.job).toBeNull();
    await expectSafeError(eraseForRequest(verified.request.id), "conflict");
    expect(await dataOf(p)).toEqual(stored);
    const rows = await db().privacyRequest.findMany({ where: { id: { in: [received.id, verified.request.id] } }, orderBy: { receivedAt: "asc" } });
    expect(rows.map((r) => [r.status, r.subjectPseudonym, r.receipt])).toEqual([
      ["rejected", p.pseudonym, null],
      ["verified", p.pseudonym, null],
    ]);
  });

  it("a request of another type, or an unknown id, with not_found", async () => {
    const p = await person();
    const access = await createRequest(p.requester, { type: "access" }, p.actor);
    await transitionRequest({ id: access.id, to: "verified" }, admin);
    await transitionRequest({ id: access.id, to: "in_progress" }, admin);
    await expectSafeError(eraseForRequest(access.id), "not_found");
    await expectSafeError(eraseForRequest(randomUUID()), "not_found");
    expect(await dataOf(p)).toEqual(stored);
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: access.id } })).status).toBe("in_progress");
  });
});

describe("the erasure job", () => {
  it("cannot be cancelled away while queued (conflict), and then completes the request", async () => {
    const p = await person();
    const { request, job } = await erasureRequest(p, "in_progress");
    await expectSafeError(cancelRequest(request.id, { userId: p.userId }, p.actor), "conflict");
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("in_progress");
    const done = await runJob(job!.id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 1 });
    expect((done.result as ErasureReceipt).tables).toMatchObject({ system_logs: 2, logging_sessions: 1, consent_settings: 1, subjects: 1 });
    expect(await dataOf(p)).toEqual({ events: 0, sessions: 0, consent: 0, subject: 0 });
    await expectSafeError(cancelRequest(request.id, { userId: p.userId }, p.actor), "conflict");
  });

  it("fails at once, with the safe message and nothing erased, when its request was cancelled before it ran", async () => {
    const p = await person();
    const { request, job } = await erasureRequest(p, "in_progress");
    // cancelRequest refuses while the job is queued (above); a cancellation that got in first is set directly.
    await db().privacyRequest.update({ where: { id: request.id }, data: { status: "cancelled" } });
    const failed = await runJob(job!.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 1, result: null, error: "Only an erasure request in progress can be carried out." });
    expect(failed.finishedAt).toBeInstanceOf(Date);
    expect(await dataOf(p)).toEqual(stored);
    expect(await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "cancelled", receipt: null, subjectPseudonym: p.pseudonym });
  });

  it("fails at once when it is attached to no request", async () => {
    const orphan = await db().job.create({ data: { kind: "erasure" } });
    expect(await runJob(orphan.id)).toMatchObject({ status: "failed", attempts: 1, error: "This erasure job is not attached to a request." });
  });
});

describe("after erasure", () => {
  it("a new event for the same external id is ingested and re-creates the subject, with consent back to the defaults", async () => {
    const p = await person();
    const { job } = await erasureRequest(p, "in_progress");
    // Ingest right before erasing, so this process has the subject and their consent cached.
    expect(await ingestEvents([event(p.ext, "user_action")], ctx)).toMatchObject({ accepted: 1 });
    await flushSessions();
    const done = await runJob(job!.id);
    expect(done.status).toBe("succeeded");
    const erasedAt = new Date((done.result as ErasureReceipt).erasedAt);
    expect(await dataOf(p)).toEqual({ events: 0, sessions: 0, consent: 0, subject: 0 });

    const error = event(p.ext, "error");
    const action = event(p.ext, "user_action");
    expect(await ingestEvents([error, action], ctx)).toMatchObject({ accepted: 2, dropped: 0, rejected: 0 });
    const subject = await db().subject.findUnique({ where: { externalId: p.ext } });
    expect(subject?.pseudonym).toBe(p.pseudonym);
    expect(subject!.createdAt.getTime()).toBeGreaterThanOrEqual(erasedAt.getTime());
    const rows = await db().systemLog.findMany({ where: { eventId: { in: [error.id, action.id] } } });
    const linkOf = (id: string) => rows.find((r) => r.eventId === id)?.subjectPseudonym;
    // Error reporting is granted by default; the analytics opt-in was erased with everything else.
    expect(linkOf(error.id)).toBe(p.pseudonym);
    expect(linkOf(action.id)).toBeNull();
    expect(rows).toHaveLength(2);
    expect((await consentFor(p.pseudonym)).find((c) => c.purpose === "analytics")).toMatchObject({ granted: false, method: "default" });
  });
});

describe("session counts written behind the events", () => {
  it("do not bring back a session of a subject erased before they were written", async () => {
    const p = await person();
    const { job } = await erasureRequest(p, "in_progress");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      // Held in memory: the write-behind timer cannot fire while timers are fake.
      await ingestEvents([event(p.ext, "user_action", { sessionId: `late-${randomUUID()}` })], ctx);
    } finally {
      vi.useRealTimers();
    }
    expect((await runJob(job!.id)).status).toBe("succeeded");
    await flushSessions();
    expect(await dataOf(p)).toEqual({ events: 0, sessions: 0, consent: 0, subject: 0 });
  });
});

describe("the receipt's feature sets", () => {
  // ErasureReceipt.featureSets is documented as "feature sets that included the subject, now marked
  // stale", and erasure finds them through extracted_features as well as feature_set_subjects.
  it("are all marked stale, including one that holds the subject's feature rows without a membership row", async () => {
    const p = await person();
    const { job } = await erasureRequest(p, "in_progress");
    const range = { startDate: new Date(Date.now() - 86_400_000), endDate: new Date(), definitionVersion: 1 };
    const member = await db().featureSet.create({
      data: { featureType: "user_behavior", ...range, rowCount: 1, subjectCount: 1, subjects: { create: [{ subjectPseudonym: p.pseudonym }] } },
    });
    await db().extractedFeature.create({ data: { featureSetId: member.id, entityKey: p.pseudonym, subjectPseudonym: p.pseudonym, features: { sessions: 2 } } });
    const rowsOnly = await db().featureSet.create({ data: { featureType: "error_patterns", ...range, rowCount: 1 } });
    await db().extractedFeature.create({ data: { featureSetId: rowsOnly.id, entityKey: "3f2a9c0d1e4b5a67", subjectPseudonym: p.pseudonym, features: { occurrences: 4 } } });
    const receipt = (await runJob(job!.id)).result as ErasureReceipt;
    expect(receipt.featureSets).toEqual([member.id, rowsOnly.id].sort());
    expect(receipt.tables).toMatchObject({ feature_set_subjects: 1, extracted_features: 2 });
    expect(await db().extractedFeature.count({ where: { featureSetId: { in: [member.id, rowsOnly.id] } } })).toBe(0);
    for (const id of [member.id, rowsOnly.id]) {
      const after = await db().featureSet.findUniqueOrThrow({ where: { id } });
      expect(after.staleAt).toBeInstanceOf(Date);
      // Exclusions count who was left out when the set was built; erasure marks the membership instead.
      expect(after.exclusions).toEqual({});
    }
    const membership = await db().featureSetSubject.findMany({ where: { featureSetId: member.id } });
    expect(membership).toEqual([{ featureSetId: member.id, subjectPseudonym: expect.stringMatching(/^erased:/), withdrawnAt: expect.any(Date), withdrawal: "erased" }]);
    expect(await db().featureSetSubject.count({ where: { featureSetId: rowsOnly.id } })).toBe(0);
  });
});
