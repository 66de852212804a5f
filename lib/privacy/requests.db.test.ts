import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { db } from "../db/client";
import { pseudonymFor } from "./pseudonym";
import { extendSchema, isOverdue, OPEN_STATUSES, REQUEST_STATUSES, RESPONSE_DAYS, transitionSchema, type RequestStatus } from "./request-rules";
import { requestDetail, requestQueue } from "./request-queries";
import { cancelRequest, createRequest, extendRequest, requestsFor, transitionRequest } from "./requests";
import { expectSafeError } from "@/test/support/errors";

const DAY = 86_400_000;
const admin: Actor = { type: "user", id: randomUUID(), role: "admin" };

let seq = 0;
/** A fresh person per test, so no test sees another's requests. */
async function person() {
  const pseudonym = pseudonymFor(`request-user-${Date.now().toString(36)}-${seq++}`);
  const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: "Requester", role: "end_user", subjectPseudonym: pseudonym } });
  const actor: Actor = { type: "user", id: user.id, role: "end_user" };
  return { pseudonym, actor, requester: { pseudonym, userId: user.id } };
}

async function auditRows(requestId: string) {
  return db().auditLog.findMany({ where: { resourceType: "privacy_request", resourceId: requestId }, orderBy: { id: "asc" } });
}

async function eventsOf(requestId: string) {
  return db().privacyRequestEvent.findMany({ where: { requestId }, orderBy: [{ occurredAt: "asc" }, { id: "asc" }] });
}

/** Everything a refused change could have touched: the row, its timeline, its audit trail. */
async function snapshot(requestId: string) {
  const [row, events, audits] = await Promise.all([db().privacyRequest.findUnique({ where: { id: requestId } }), eventsOf(requestId), auditRows(requestId)]);
  return { row, events: events.length, audits: audits.length };
}

async function walkToCompleted(requestId: string) {
  // A rectification completes only with a note for the person.
  for (const to of ["verified", "in_progress", "completed"] as const) await transitionRequest({ id: requestId, to, ...(to === "completed" ? { note: "Corrected as asked." } : {}) }, admin);
}

describe("createRequest", () => {
  it("starts received, due exactly 30 days later, with one timeline event and an audit row free of the details", async () => {
    const { pseudonym, actor, requester } = await person();
    const details = `Please send me everything you hold about me — secret-marker-${randomUUID()}`;
    const request = await createRequest(requester, { type: "access", details }, actor);

    expect(request.status).toBe("received");
    expect(request.subjectPseudonym).toBe(pseudonym);
    expect(request.details).toBe(details);
    expect(request.dueAt.getTime() - request.receivedAt.getTime()).toBe(RESPONSE_DAYS * DAY);
    expect(request.completedAt).toBeNull();
    expect(request.extendedAt).toBeNull();

    const stored = await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored.dueAt.getTime() - stored.receivedAt.getTime()).toBe(30 * DAY);

    const events = await eventsOf(request.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ fromStatus: null, toStatus: "received", note: null, actorType: "user" });

    const audits = await auditRows(request.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: "privacy_request.create", outcome: "success", actorType: "user", actorId: (actor as { id: string }).id, actorRole: "end_user" });
    expect(audits[0]?.metadata).toEqual({ type: "access", from: null, to: "received", channel: "portal" });

    const asText = await db().$queryRaw<{ row: string }[]>`SELECT a::text AS row FROM audit_log a WHERE resource_type = 'privacy_request' AND resource_id = ${request.id}`;
    expect(asText).toHaveLength(1);
    const rowText = asText[0]?.row ?? "";
    expect(rowText).toContain(request.id);
    expect(rowText).not.toContain("secret-marker");
    expect(rowText).not.toContain("Please send me");
  });

  it("stores empty details as null", async () => {
    const { actor, requester } = await person();
    const request = await createRequest(requester, { type: "erasure", details: "" }, actor);
    expect(request.details).toBeNull();
  });
});

describe("transitionRequest", () => {
  it("walks received → verified → in_progress → completed, one timeline event and one audited from/to per step", async () => {
    const { actor, requester } = await person();
    const request = await createRequest(requester, { type: "restriction" }, actor);

    const steps: [RequestStatus, RequestStatus][] = [
      ["received", "verified"],
      ["verified", "in_progress"],
      ["in_progress", "completed"],
    ];
    for (const [, to] of steps) {
      const updated = await transitionRequest({ id: request.id, to }, admin);
      expect(updated.status).toBe(to);
      if (to === "completed") expect(updated.completedAt).toBeInstanceOf(Date);
      else expect(updated.completedAt).toBeNull();
    }

    const detail = await requestDetail(request.id);
    expect(detail?.status).toBe("completed");
    expect(detail?.completedAt).toBeInstanceOf(Date);
    expect(detail?.events.map((e) => [e.fromStatus, e.toStatus])).toEqual([[null, "received"], ...steps]);
    expect(detail?.events.every((e) => e.note === null)).toBe(true);

    const audits = await auditRows(request.id);
    expect(audits.map((a) => a.action)).toEqual(["privacy_request.create", "privacy_request.verified", "privacy_request.in_progress", "privacy_request.completed"]);
    for (const [i, [from, to]] of steps.entries()) {
      expect(audits[i + 1]).toMatchObject({ outcome: "success", actorId: (admin as { id: string }).id, actorRole: "admin" });
      expect(audits[i + 1]?.metadata).toEqual({ from, to, type: "restriction" });
    }
  });

  it("refuses a jump from received to completed with conflict and changes nothing", async () => {
    const { actor, requester } = await person();
    const request = await createRequest(requester, { type: "access" }, actor);
    const before = await snapshot(request.id);

    await expectSafeError(transitionRequest({ id: request.id, to: "completed" }, admin), "conflict");
    await expectSafeError(transitionRequest({ id: request.id, to: "in_progress" }, admin), "conflict");
    await expectSafeError(transitionRequest({ id: request.id, to: "cancelled" }, admin), "conflict");
    await expectSafeError(transitionRequest({ id: request.id, to: "received" }, admin), "conflict");

    expect(await snapshot(request.id)).toEqual(before);
  });

  it("refuses every move out of completed with conflict and changes nothing", async () => {
    const { actor, requester } = await person();
    const request = await createRequest(requester, { type: "rectification" }, actor);
    await walkToCompleted(request.id);
    const before = await snapshot(request.id);
    expect(before.row?.status).toBe("completed");

    for (const to of REQUEST_STATUSES) {
      await expectSafeError(transitionRequest({ id: request.id, to, reason: "Trying anyway" }, admin), "conflict");
    }
    expect(await snapshot(request.id)).toEqual(before);
  });

  it("throws not_found for an unknown request", async () => {
    await expectSafeError(transitionRequest({ id: randomUUID(), to: "verified" }, admin), "not_found");
  });

  it("rejects with a reason: stored on the request, carried by the timeline note", async () => {
    const { actor, requester } = await person();
    const request = await createRequest(requester, { type: "rectification" }, actor);
    await transitionRequest({ id: request.id, to: "verified" }, admin);

    const reason = "We could not match this account to any stored data.";
    const updated = await transitionRequest({ id: request.id, to: "rejected", reason }, admin);
    expect(updated.status).toBe("rejected");
    expect(updated.rejectionReason).toBe(reason);
    expect(updated.completedAt).toBeInstanceOf(Date);

    const events = await eventsOf(request.id);
    expect(events.at(-1)).toMatchObject({ fromStatus: "verified", toStatus: "rejected", note: reason });

    const audits = await auditRows(request.id);
    expect(audits.at(-1)?.action).toBe("privacy_request.rejected");
    expect(audits.at(-1)?.metadata).toEqual({ from: "verified", to: "rejected", type: "rectification" });

    // Rejected is final too.
    const before = await snapshot(request.id);
    await expectSafeError(transitionRequest({ id: request.id, to: "in_progress" }, admin), "conflict");
    expect(await snapshot(request.id)).toEqual(before);
  });
});

describe("transitionSchema", () => {
  const id = randomUUID();

  it("refuses a rejection without a reason, or with one under five characters, with a message on reason", () => {
    for (const input of [{ id, to: "rejected" }, { id, to: "rejected", reason: "no" }, { id, to: "rejected", reason: "   no    " }, { id, to: "rejected", reason: "" }]) {
      const parsed = transitionSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      const issue = parsed.error?.issues.find((i) => i.path.join(".") === "reason");
      expect(issue?.message).toBe("Give the person a reason for the rejection");
    }
  });

  it("accepts a rejection with a reason, and other moves without one", () => {
    expect(transitionSchema.safeParse({ id, to: "rejected", reason: "  Identity could not be verified  " }).data?.reason).toBe("Identity could not be verified");
    expect(transitionSchema.safeParse({ id, to: "verified" }).success).toBe(true);
    expect(transitionSchema.safeParse({ id: "not-a-uuid", to: "verified" }).success).toBe(false);
    expect(transitionSchema.safeParse({ id, to: "teleported" }).success).toBe(false);
  });
});

describe("restriction requests", () => {
  it("restrict the subject when completed: from then on ingest keeps only essential events", async () => {
    const { pseudonym, actor, requester } = await person();
    await db().subject.create({ data: { externalId: `restricted-${randomUUID()}`, pseudonym } });
    const request = await createRequest(requester, { type: "restriction" }, actor);
    await transitionRequest({ id: request.id, to: "verified" }, admin);
    await transitionRequest({ id: request.id, to: "in_progress" }, admin);
    expect((await db().subject.findUniqueOrThrow({ where: { pseudonym } })).restrictedAt).toBeNull();
    await transitionRequest({ id: request.id, to: "completed" }, admin);
    expect((await db().subject.findUniqueOrThrow({ where: { pseudonym } })).restrictedAt).toBeInstanceOf(Date);
  });
});

describe("extendRequest", () => {
  it("moves dueAt by N days, stores the reason, notes it on the timeline, and refuses a second extension", async () => {
    const { actor, requester } = await person();
    const request = await createRequest(requester, { type: "access" }, actor);
    await transitionRequest({ id: request.id, to: "verified" }, admin);

    const reason = "The export spans several archived systems.";
    const updated = await extendRequest({ id: request.id, days: 14, reason }, admin);
    expect(updated.dueAt.getTime() - request.dueAt.getTime()).toBe(14 * DAY);
    expect(updated.extensionReason).toBe(reason);
    expect(updated.extendedAt).toBeInstanceOf(Date);
    expect(updated.status).toBe("verified");

    const events = await eventsOf(request.id);
    expect(events.at(-1)).toMatchObject({ fromStatus: "verified", toStatus: "verified", note: `Extended by 14 days: ${reason}` });

    const audits = await auditRows(request.id);
    expect(audits.at(-1)?.action).toBe("privacy_request.extend");
    expect(audits.at(-1)?.metadata).toEqual({ days: 14, type: "access", from: "verified", to: "verified" });

    const before = await snapshot(request.id);
    await expectSafeError(extendRequest({ id: request.id, days: 5, reason: "Still more time needed" }, admin), "conflict");
    expect(await snapshot(request.id)).toEqual(before);
  });

  it("refuses to extend a closed request", async () => {
    const { actor, requester } = await person();
    const request = await createRequest(requester, { type: "rectification" }, actor);
    await walkToCompleted(request.id);
    const before = await snapshot(request.id);
    await expectSafeError(extendRequest({ id: request.id, days: 10, reason: "Too late for this" }, admin), "conflict");
    expect(await snapshot(request.id)).toEqual(before);
  });
});

describe("extendSchema", () => {
  const id = randomUUID();
  const reason = "Needs more time to gather records";

  it("refuses 0 and 61 days with a message on days", () => {
    for (const days of [0, 61]) {
      const parsed = extendSchema.safeParse({ id, days, reason });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join("."))).toEqual(["days"]);
    }
    expect(extendSchema.safeParse({ id, days: 0, reason }).error?.issues[0]?.message).toBe("At least one day");
    expect(extendSchema.safeParse({ id, days: 61, reason }).error?.issues[0]?.message).toBe("At most 60 more days");
  });

  it("accepts 1 and 60 days (and a form string), but not fractions or a short reason", () => {
    expect(extendSchema.safeParse({ id, days: 1, reason }).success).toBe(true);
    expect(extendSchema.safeParse({ id, days: 60, reason }).success).toBe(true);
    expect(extendSchema.safeParse({ id, days: "30", reason }).data?.days).toBe(30);
    expect(extendSchema.safeParse({ id, days: 1.5, reason }).success).toBe(false);
    expect(extendSchema.safeParse({ id, days: 10, reason: "hm" }).success).toBe(false);
  });
});

describe("cancelRequest", () => {
  it("lets the owner cancel an open request, once", async () => {
    const { actor, requester } = await person();
    const request = await createRequest(requester, { type: "objection", purpose: "analytics" }, actor);
    await transitionRequest({ id: request.id, to: "verified" }, admin);
    await transitionRequest({ id: request.id, to: "in_progress" }, admin);

    await cancelRequest(request.id, { userId: actor.id }, actor);
    const stored = await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored.status).toBe("cancelled");
    expect(stored.completedAt).toBeInstanceOf(Date);
    expect((await eventsOf(request.id)).at(-1)).toMatchObject({ fromStatus: "in_progress", toStatus: "cancelled", actorType: "user" });
    expect((await auditRows(request.id)).at(-1)).toMatchObject({ action: "privacy_request.cancel", actorRole: "end_user" });

    const before = await snapshot(request.id);
    await expectSafeError(cancelRequest(request.id, { userId: actor.id }, actor), "conflict");
    expect(await snapshot(request.id)).toEqual(before);
  });

  it("refuses to cancel a completed request", async () => {
    const { actor, requester } = await person();
    const request = await createRequest(requester, { type: "rectification" }, actor);
    await walkToCompleted(request.id);
    const before = await snapshot(request.id);
    await expectSafeError(cancelRequest(request.id, { userId: actor.id }, actor), "conflict");
    expect(await snapshot(request.id)).toEqual(before);
  });

  it("answers not_found to another pseudonym and leaves the request alone", async () => {
    const owner = await person();
    const other = await person();
    const request = await createRequest(owner.requester, { type: "erasure" }, owner.actor);
    const before = await snapshot(request.id);
    await expectSafeError(cancelRequest(request.id, { userId: other.actor.id }, other.actor), "not_found");
    await expectSafeError(cancelRequest(randomUUID(), { userId: other.actor.id }, other.actor), "not_found");
    expect(await snapshot(request.id)).toEqual(before);
  });
});

describe("requestQueue", () => {
  it("counts by status and filters overdue to open requests past due, agreeing with isOverdue", async () => {
    const { pseudonym, actor, requester } = await person();
    const before = await requestQueue({});

    const openLate = await createRequest(requester, { type: "access" }, actor);
    // One open request per kind and person: the second open one is another kind.
    const openOnTime = await createRequest(requester, { type: "restriction" }, actor);
    const progressLate = await createRequest(requester, { type: "erasure" }, actor);
    await transitionRequest({ id: progressLate.id, to: "verified" }, admin);
    await transitionRequest({ id: progressLate.id, to: "in_progress" }, admin);
    const completedLate = await createRequest(requester, { type: "rectification" }, actor);
    await walkToCompleted(completedLate.id);
    const cancelledLate = await createRequest(requester, { type: "objection", purpose: "analytics" }, actor);
    await cancelRequest(cancelledLate.id, { userId: actor.id }, actor);

    const past = new Date(Date.now() - 2 * DAY);
    await db().privacyRequest.updateMany({ where: { id: { in: [openLate.id, progressLate.id, completedLate.id, cancelledLate.id] } }, data: { dueAt: past } });

    const all = await requestQueue({});
    const delta = (s: RequestStatus) => (all.counts[s] ?? 0) - (before.counts[s] ?? 0);
    expect(delta("received")).toBe(2);
    expect(delta("in_progress")).toBe(1);
    expect(delta("completed")).toBe(1);
    expect(delta("cancelled")).toBe(1);
    expect(delta("verified")).toBe(0);
    expect(delta("rejected")).toBe(0);
    expect(all.overdue - before.overdue).toBe(2);

    // The counts are exactly what the table holds.
    const truth = await db().privacyRequest.groupBy({ by: ["status"], _count: { _all: true } });
    expect(all.counts).toEqual(Object.fromEntries(truth.map((t) => [t.status, t._count._all])));

    const overdue = await requestQueue({ overdue: true });
    const ids = overdue.rows.map((r) => r.id);
    expect(ids).toContain(openLate.id);
    expect(ids).toContain(progressLate.id);
    expect(ids).not.toContain(openOnTime.id);
    expect(ids).not.toContain(completedLate.id);
    expect(ids).not.toContain(cancelledLate.id);
    expect(overdue.rows).toHaveLength(overdue.overdue);
    const now = new Date();
    for (const r of overdue.rows) {
      expect(OPEN_STATUSES).toContain(r.status);
      expect(isOverdue(r, now)).toBe(true);
    }

    // isOverdue agrees row by row with what the filter left out.
    const mine = await db().privacyRequest.findMany({ where: { subjectPseudonym: pseudonym } });
    for (const r of mine) expect(isOverdue(r, now)).toBe(ids.includes(r.id));
    expect(isOverdue({ status: "received", dueAt: new Date(now.getTime() + DAY) }, now)).toBe(false);
    expect(isOverdue({ status: "rejected", dueAt: past }, now)).toBe(false);

    const received = await requestQueue({ status: "received" });
    expect(received.rows.every((r) => r.status === "received")).toBe(true);
    expect(received.rows.map((r) => r.id)).toEqual(expect.arrayContaining([openLate.id, openOnTime.id]));
    // Ordered by due date, soonest first.
    const dues = received.rows.map((r) => r.dueAt.getTime());
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
  });
});

describe("requestsOf", () => {
  it("returns only that person's requests, newest first, each with its events in order", async () => {
    const alice = await person();
    const bob = await person();
    const first = await createRequest(alice.requester, { type: "objection", purpose: "analytics" }, alice.actor);
    const bobs = await createRequest(bob.requester, { type: "erasure" }, bob.actor);
    const second = await createRequest(alice.requester, { type: "rectification" }, alice.actor);
    await transitionRequest({ id: first.id, to: "verified" }, admin);
    await transitionRequest({ id: first.id, to: "in_progress" }, admin);
    await extendRequest({ id: first.id, days: 10, reason: "Archive restore needed" }, admin);
    await transitionRequest({ id: first.id, to: "completed", note: "Objection upheld." }, admin);

    const mine = await requestsFor({ userId: alice.actor.id });
    expect(mine.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(mine.every((r) => r.subjectPseudonym === alice.pseudonym)).toBe(true);
    expect(mine.map((r) => r.id)).not.toContain(bobs.id);

    const firstEvents = mine[1]?.events ?? [];
    expect(firstEvents.map((e) => [e.fromStatus, e.toStatus, e.note])).toEqual([
      [null, "received", null],
      ["received", "verified", null],
      ["verified", "in_progress", null],
      ["in_progress", "in_progress", "Extended by 10 days: Archive restore needed"],
      ["in_progress", "completed", "Objection upheld."],
    ]);
    expect(firstEvents.every((e) => e.requestId === first.id)).toBe(true);
    const times = firstEvents.map((e) => e.occurredAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(mine[0]?.events.map((e) => e.toStatus)).toEqual(["received"]);

    const theirs = await requestsFor({ userId: bob.actor.id });
    expect(theirs.map((r) => r.id)).toEqual([bobs.id]);
    expect(await requestsFor({ userId: randomUUID() })).toEqual([]);
  });
});
