import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { changeConsentOnBehalf } from "../consent/admin-consent";
import { consentFor, recordConsent } from "../consent/consent";
import { db } from "../db/client";
import { expectSafeError } from "@/test/support/errors";
import { pseudonymFor } from "./pseudonym";
import { fileOnBehalf } from "./request-filing";
import { requestDetail, requestQueue } from "./request-queries";
import { cancelRequest, createRequest, requestsFor, transitionRequest } from "./requests";

// Requests for anyone: filed by an admin for a person with no account, one open request per kind,
// objections and rectifications carried out, the queue's filters, and consent changed by an admin.
async function staff() {
  const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: `Admin ${randomUUID().slice(0, 4)}`, role: "admin" } });
  return { type: "user", id: user.id, role: "admin", name: user.displayName } as const;
}

const subjectId = () => `anyone-${randomUUID()}`;

async function onBehalf(admin: Actor & { type: "user" }, subject: string, type: "access" | "erasure" | "rectification" | "restriction" | "objection", extra: { purpose?: string; details?: string } = {}) {
  return fileOnBehalf({ subject, type, requesterContact: "caller@example.test", verificationMethod: "email_confirmation", ...extra }, admin);
}

async function walk(id: string, admin: Actor, note?: string) {
  await transitionRequest({ id, to: "verified" }, admin);
  await transitionRequest({ id, to: "in_progress" }, admin);
  return transitionRequest({ id, to: "completed", note }, admin);
}

describe("fileOnBehalf", () => {
  it("files for an application user with no account, recording contact, verification, the filing admin, and naming them on the timeline", async () => {
    const admin = await staff();
    const subject = subjectId();
    const request = await onBehalf(admin, subject, "access", { details: "Asked by e-mail" });
    expect(request).toMatchObject({ subjectPseudonym: pseudonymFor(subject), requesterId: null, channel: "admin", verificationMethod: "email_confirmation", requesterContact: "caller@example.test", filedById: admin.id, details: "Asked by e-mail" });
    await transitionRequest({ id: request.id, to: "verified" }, admin);

    const detail = await requestDetail(request.id);
    expect(detail!.subject).toBe(subject);
    expect(detail!.filedBy?.displayName).toBe(admin.name);
    expect(detail!.events.map((e) => [e.toStatus, e.actorType, e.actorName])).toEqual([
      ["received", "user", admin.name],
      ["verified", "user", admin.name],
    ]);
    // The audit row of each step is written with it and holds neither the contact nor the user id.
    const audit = await db().auditLog.findMany({ where: { resourceId: request.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["privacy_request.create", "privacy_request.verified"]);
    expect(JSON.stringify(audit.map((a) => a.metadata))).not.toMatch(new RegExp(`${subject}|caller@`));
  });

  it("refuses a second open request of the same kind for the same person, writing nothing, and allows it again once the first is closed", async () => {
    const admin = await staff();
    const subject = subjectId();
    const first = await onBehalf(admin, subject, "erasure");
    const count = () => db().privacyRequest.count({ where: { subjectPseudonym: pseudonymFor(subject) } });
    await expectSafeError(onBehalf(admin, subject, "erasure"), "conflict");
    // The same person's own portal request of that kind is refused too: one queue per person.
    await expectSafeError(createRequest({ pseudonym: pseudonymFor(subject), userId: null }, { type: "erasure" }, { type: "system" }), "conflict");
    expect(await count()).toBe(1);
    // Another kind is fine.
    await onBehalf(admin, subject, "access");
    await cancelRequest(first.id, { pseudonym: pseudonymFor(subject) }, { type: "system" });
    await onBehalf(admin, subject, "erasure");
    expect(await count()).toBe(3);
  });

  it("refuses bad input by field (schema) and an objection without a known purpose", async () => {
    const admin = await staff();
    await expectSafeError(onBehalf(admin, subjectId(), "objection"), "invalid");
    await expectSafeError(onBehalf(admin, subjectId(), "objection", { purpose: "essential" }), "invalid");
  });
});

describe("rights carried out", () => {
  it("an upheld objection to AI training withdraws it as of completion, with a withdrawal's effect on training sets", async () => {
    const admin = await staff();
    const subject = subjectId();
    const pseudonym = pseudonymFor(subject);
    await db().subject.create({ data: { externalId: subject, pseudonym } });
    await recordConsent(pseudonym, [{ purpose: "ai_training", granted: true }], { method: "explicit" });
    const set = await db().featureSet.create({
      data: { featureType: "user_behavior", startDate: new Date("2020-06-01"), endDate: new Date("2020-06-08"), definitionVersion: 1, exclusions: {}, rowCount: 1, subjectCount: 1, digest: "d", completedAt: new Date(), subjects: { create: [{ subjectPseudonym: pseudonym }] } },
    });
    const request = await onBehalf(admin, subject, "objection", { purpose: "ai_training" });
    await transitionRequest({ id: request.id, to: "verified" }, admin);
    await transitionRequest({ id: request.id, to: "in_progress" }, admin);
    // Not before completion.
    expect((await consentFor(pseudonym)).find((s) => s.purpose === "ai_training")!.granted).toBe(true);
    const done = await transitionRequest({ id: request.id, to: "completed" }, admin);
    expect(done.resolutionNote).toMatch(/no longer use your data for ai model training/i);
    const state = (await consentFor(pseudonym)).find((s) => s.purpose === "ai_training")!;
    expect(state).toMatchObject({ granted: false, method: "objection" });
    const membership = await db().featureSetSubject.findFirstOrThrow({ where: { featureSetId: set.id } });
    expect(membership.withdrawal).toBe("objected");
    expect(membership.withdrawnAt).not.toBeNull();
    expect((await db().featureSet.findUniqueOrThrow({ where: { id: set.id } })).staleAt).not.toBeNull();
  });

  it("an objection to direct marketing is absolute: carried out on receipt and cannot be rejected", async () => {
    const subject = subjectId();
    const pseudonym = pseudonymFor(subject);
    await db().subject.create({ data: { externalId: subject, pseudonym } });
    await recordConsent(pseudonym, [{ purpose: "marketing", granted: true }], { method: "explicit" });
    const request = await createRequest({ pseudonym, userId: null }, { type: "objection", purpose: "marketing" }, { type: "system" });
    expect(request.status).toBe("completed");
    expect((await consentFor(pseudonym)).find((s) => s.purpose === "marketing")).toMatchObject({ granted: false, method: "objection" });
    const [mine] = await requestsFor({ pseudonym });
    expect(mine!.events.map((e) => e.toStatus)).toEqual(["received", "completed"]);
    expect(mine!.events[1]!.note).toMatch(/absolute/);
    await expectSafeError(transitionRequest({ id: request.id, to: "rejected", reason: "We disagree" }, await staff()), "conflict");
  });

  it("a rectification completes only with a note, which the person reads on the request and its timeline", async () => {
    const admin = await staff();
    const request = await onBehalf(admin, subjectId(), "rectification", { details: "My country is wrong" });
    await transitionRequest({ id: request.id, to: "verified" }, admin);
    await transitionRequest({ id: request.id, to: "in_progress" }, admin);
    const before = await db().privacyRequestEvent.count({ where: { requestId: request.id } });
    await expectSafeError(transitionRequest({ id: request.id, to: "completed" }, admin), "invalid");
    expect(await db().privacyRequestEvent.count({ where: { requestId: request.id } })).toBe(before);
    const done = await transitionRequest({ id: request.id, to: "completed", note: "Country corrected to Portugal in every record." }, admin);
    expect(done).toMatchObject({ status: "completed", resolutionNote: "Country corrected to Portugal in every record." });
    const last = await db().privacyRequestEvent.findFirstOrThrow({ where: { requestId: request.id }, orderBy: { id: "desc" } });
    expect(last).toMatchObject({ toStatus: "completed", note: "Country corrected to Portugal in every record.", actorId: admin.id });
  });
});

describe("requestQueue filters", () => {
  it("filters by type, state and due date, and searches by application user id and contact", async () => {
    const admin = await staff();
    const subject = subjectId();
    const erasure = await onBehalf(admin, subject, "erasure");
    const access = await onBehalf(admin, subject, "access");
    await db().privacyRequest.update({ where: { id: access.id }, data: { dueAt: new Date(Date.now() + 3 * 86_400_000) } });
    await walk((await onBehalf(admin, subject, "restriction")).id, admin);

    const bySubject = await requestQueue({ q: subject });
    expect(bySubject.rows.map((r) => r.id).sort()).toHaveLength(3);
    expect(bySubject.rows.every((r) => r.subject === subject && r.filedBy?.displayName === admin.name && r.verificationMethod === "email_confirmation")).toBe(true);
    expect((await requestQueue({ q: subject, type: "erasure" })).rows.map((r) => r.id)).toEqual([erasure.id]);
    expect((await requestQueue({ q: subject, status: "completed" })).rows.map((r) => r.type)).toEqual(["restriction"]);
    expect((await requestQueue({ q: subject, due: "week" })).rows.map((r) => r.id)).toEqual([access.id]);
    expect((await requestQueue({ q: "CALLER@example" })).rows.length).toBeGreaterThanOrEqual(3);
    expect((await requestQueue({ q: "nobody-at-all" })).rows).toEqual([]);
  });
});

describe("changeConsentOnBehalf", () => {
  it("records the change as the organisation's, with the reason in the person's history and an audit row without it", async () => {
    const admin = await staff();
    const subject = subjectId();
    const state = await changeConsentOnBehalf({ subject, purpose: "analytics", granted: true, reason: "Asked by phone, ticket 4411" }, admin);
    expect(state).toMatchObject({ granted: true, method: "admin" });
    const history = await db().consentHistory.findMany({ where: { subjectPseudonym: pseudonymFor(subject) } });
    expect(history.map((h) => [h.purpose, h.granted, h.method, h.reason])).toEqual([["analytics", true, "admin", "Asked by phone, ticket 4411"]]);
    const audit = await db().auditLog.findMany({ where: { action: "consent.admin_change", actorId: admin.id } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.metadata)).not.toMatch(/phone|4411|anyone-/);

    await expectSafeError(changeConsentOnBehalf({ subject, purpose: "analytics", granted: true, reason: "Again, by mistake" }, admin), "conflict");
    await expectSafeError(changeConsentOnBehalf({ subject, purpose: "essential", granted: false, reason: "Not allowed" }, admin), "invalid");
    expect(await db().consentHistory.count({ where: { subjectPseudonym: pseudonymFor(subject) } })).toBe(1);
  });
});
