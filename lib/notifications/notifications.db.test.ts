import { randomUUID } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { recordConsent } from "../consent/consent";
import { database, db } from "../db/client";
import { transaction } from "../db/transaction";
import { overrideEnv } from "../env";
import { jobQueue } from "../jobs/queue";
import { runJob } from "../jobs/worker";
import { pseudonymFor } from "../privacy/pseudonym";
import { createRequest, transitionRequest } from "../privacy/requests";
import { fileOnBehalf } from "../privacy/request-filing";
import { deliver } from "./deliver";
import { createEndpoint, deleteEndpoint, deleteOldDeliveries, replayDelivery, sendTestEvent, setEndpointEnabled } from "./endpoints";
import { createEndpointSchema } from "./endpoint-schema";
import { EVENT_DATA, EVENT_TYPES } from "./events";
import { emit } from "./outbox";
import { z } from "zod";
import { apiDocument } from "../api/openapi/document";
import { sendDeadlineReminders } from "./reminders";
import { verifySignature } from "./signing";
import { expectSafeError } from "@/test/support/errors";
import { mailText, startSmtpSink, type SmtpSink } from "@/test/support/smtp-sink";
import { startWebhookReceiver, type WebhookReceiver } from "@/test/support/webhook-receiver";

// Notifications with real parts: a local HTTP receiver that fails then succeeds, a local SMTP server,
// pg-boss's job table, and the outbox written in the change's transaction. Deliveries are attempted
// by calling `deliver` as the queue's worker would, so the test decides when each attempt runs.
let admin: Actor & { type: "user" };
let receiver: WebhookReceiver;
let smtp: SmtpSink;
let restore: () => void;

beforeAll(async () => {
  const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: "Notifying admin", role: "admin" } });
  admin = { type: "user", id: user.id, role: "admin" };
  receiver = await startWebhookReceiver();
  smtp = await startSmtpSink();
  await jobQueue();
  restore = overrideEnv({ CLEARLOG_WEBHOOK_ALLOW_PRIVATE: "1", CLEARLOG_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, CLEARLOG_MAIL_FROM: "Clearlog <privacy@clearlog.test>" });
});

afterAll(async () => {
  restore();
  await receiver.close();
  await smtp.close();
});

async function endpoint(path: string, eventTypes: string[] = ["privacy_request.status_changed", "consent.changed", "erasure.completed", "privacy_request.deadline_approaching"]) {
  const input = createEndpointSchema.parse({ url: receiver.url(path), eventTypes });
  return createEndpoint(input, admin);
}

function deliveriesFor(endpointId: string) {
  return db().notificationDelivery.findMany({ where: { endpointId }, orderBy: { createdAt: "asc" } });
}

async function bossJobs(deliveryId: string) {
  const { rows } = await database().pool.query<{ state: string; start_after: Date }>("SELECT state, start_after FROM pgboss.job WHERE name = 'notification-delivery' AND data->>'deliveryId' = $1 ORDER BY created_on", [deliveryId]);
  return rows;
}

/** The contract: a delivered body is exactly what its schema (and so the OpenAPI document) says, nothing more. */
function contract(raw: string) {
  const body = JSON.parse(raw) as { type: keyof typeof EVENT_DATA; timestamp: string; data: Record<string, unknown> };
  z.strictObject({ type: z.string(), timestamp: z.string().datetime(), data: z.strictObject(EVENT_DATA[body.type].shape) }).parse(body);
  return body;
}

let seq = 0;
function person() {
  const externalId = `notify-user-${Date.now().toString(36)}-${seq++}`;
  return { externalId, pseudonym: pseudonymFor(externalId) };
}

describe("webhooks", () => {
  it("sends a signed status change that an independent check verifies, with the application's user id and no free text", async () => {
    const { id, secret } = await endpoint("/hooks/signed", ["privacy_request.status_changed"]);
    const p = person();
    const request = await fileOnBehalf({ subject: p.externalId, type: "erasure", details: "Please erase me, my phone is 555-0100", requesterContact: "ticket 42", verificationMethod: "email_confirmation" }, admin);
    const [delivery] = await deliveriesFor(id);
    expect(delivery).toMatchObject({ eventType: "privacy_request.status_changed", status: "pending", attempts: 0 });
    // Sealed at rest: neither the id nor the type can be read from the row.
    expect(delivery!.payloadSealed).not.toContain(p.externalId);
    expect(await bossJobs(delivery!.id)).toHaveLength(1);

    await deliver(delivery!.id);
    const hook = receiver.hooks.find((h) => h.path === "/hooks/signed")!;
    expect(verifySignature(secret, hook.headers, hook.body)).toBe(true);
    expect(hook.headers["webhook-id"]).toBe(delivery!.eventId);
    const body = contract(hook.body);
    expect(body).toMatchObject({ type: "privacy_request.status_changed", data: { requestId: request.id, type: "erasure", from: null, to: "received", subject: p.externalId } });
    expect(hook.body).not.toContain("555-0100");
    expect(hook.body).not.toContain("ticket 42");
    expect(await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery!.id } })).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 200 });
    // A second delivery of the same job changes nothing.
    await deliver(delivery!.id);
    expect(receiver.hooks.filter((h) => h.path === "/hooks/signed")).toHaveLength(1);
  });

  it("writes nothing when the change rolls back", async () => {
    const { id } = await endpoint("/hooks/rollback", ["consent.changed"]);
    const before = (await database().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'notification-delivery'")).rows[0]!.n;
    await expect(
      transaction(async (tx) => {
        expect(await emit(tx, "consent.changed", { subject: "x", purposes: [], method: "explicit" })).toBe(1);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await deliveriesFor(id)).toHaveLength(0);
    const after = (await database().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'notification-delivery'")).rows[0]!.n;
    expect(after).toBe(before);
  });

  it("retries with exponential backoff after failures, then delivers; the log keeps codes, not bodies", async () => {
    const { id } = await endpoint("/hooks/flaky", ["consent.changed"]);
    receiver.answer("/hooks/flaky", 500, 503);
    const p = person();
    await recordConsent({ externalId: p.externalId }, [{ purpose: "ai_training", granted: false }], { method: "explicit" });
    const [delivery] = await deliveriesFor(id);

    const t0 = Date.now();
    await deliver(delivery!.id);
    let row = await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery!.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500" });
    const first = row.nextAttemptAt!.getTime() - t0;
    expect(first).toBeGreaterThanOrEqual(9_000);
    expect(first).toBeLessThan(12_000);
    // The next attempt is a queue job that starts then.
    const jobs = await bossJobs(delivery!.id);
    expect(jobs).toHaveLength(2);
    expect(Math.abs(jobs[1]!.start_after.getTime() - row.nextAttemptAt!.getTime())).toBeLessThan(1000);

    const t1 = Date.now();
    await deliver(delivery!.id);
    row = await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery!.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 2, lastStatusCode: 503 });
    const second = row.nextAttemptAt!.getTime() - t1;
    expect(second).toBeGreaterThanOrEqual(first * 3);

    await deliver(delivery!.id);
    row = await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery!.id } });
    expect(row).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(row.lastDurationMs).toBeGreaterThanOrEqual(0);
    const hooks = receiver.hooks.filter((h) => h.path === "/hooks/flaky");
    expect(hooks).toHaveLength(3);
    // Every attempt carries the same id, so the receiver can deduplicate.
    expect(new Set(hooks.map((h) => h.headers["webhook-id"])).size).toBe(1);
    expect(contract(hooks[2]!.body)).toMatchObject({ type: "consent.changed", data: { subject: p.externalId, purposes: [{ purpose: "ai_training", granted: false }], method: "explicit" } });
  });

  it("gives up after the last attempt; replay sends it again with the same id, audited", async () => {
    const { id, secret } = await endpoint("/hooks/down", ["consent.changed"]);
    receiver.answer("/hooks/down", ...Array<number>(8).fill(500));
    await recordConsent({ externalId: person().externalId }, [{ purpose: "analytics", granted: false }], { method: "explicit" });
    const [delivery] = await deliveriesFor(id);
    for (let i = 0; i < 8; i++) await deliver(delivery!.id);
    expect(await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery!.id } })).toMatchObject({ status: "failed", attempts: 8, nextAttemptAt: null });
    await deliver(delivery!.id);
    expect(receiver.hooks.filter((h) => h.path === "/hooks/down")).toHaveLength(8);

    const { deliveryId } = await replayDelivery(delivery!.id, admin);
    await deliver(deliveryId);
    const replayed = await db().notificationDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(replayed).toMatchObject({ status: "delivered", replayOfId: delivery!.id, eventId: delivery!.eventId });
    const last = receiver.hooks.filter((h) => h.path === "/hooks/down").at(-1)!;
    expect(last.headers["webhook-id"]).toBe(delivery!.eventId);
    expect(verifySignature(secret, last.headers, last.body)).toBe(true);
    expect(await db().auditLog.count({ where: { action: "webhook.replay", resourceId: delivery!.id } })).toBe(1);
    await expectSafeError(replayDelivery(randomUUID(), admin), "not_found");
  });

  it("sends a test event to one endpoint, skips disabled ones, and deletes the log with the endpoint", async () => {
    const { id } = await endpoint("/hooks/test", ["erasure.completed"]);
    const { deliveryId } = await sendTestEvent(id, admin);
    await deliver(deliveryId);
    expect(contract(receiver.hooks.find((h) => h.path === "/hooks/test")!.body)).toMatchObject({ type: "webhook.test" });
    // The OpenAPI document describes every event, with the signature headers.
    const webhooks = (apiDocument() as { webhooks: Record<string, { post: { parameters: { name: string }[] } }> }).webhooks;
    expect(Object.keys(webhooks).sort()).toEqual([...EVENT_TYPES, "webhook.test"].sort());
    expect(webhooks["erasure.completed"]!.post.parameters.map((p) => p.name)).toEqual(["webhook-id", "webhook-timestamp", "webhook-signature"]);

    await setEndpointEnabled(id, false, admin);
    await expectSafeError(setEndpointEnabled(id, false, admin), "conflict");
    await transaction((tx) => emit(tx, "erasure.completed", { requestId: randomUUID() }));
    expect(await deliveriesFor(id)).toHaveLength(1);

    await deleteEndpoint(id, admin);
    expect(await db().notificationDelivery.count({ where: { endpointId: id } })).toBe(0);
    for (const action of ["webhook.create", "webhook.test", "webhook.disable", "webhook.delete"]) expect(await db().auditLog.count({ where: { action, resourceId: id } })).toBe(1);
  });

  it("refuses private, local and non-https URLs, naming the field", async () => {
    const undo = overrideEnv({ CLEARLOG_WEBHOOK_ALLOW_PRIVATE: "0" });
    try {
      for (const url of ["http://example.com/hook", "https://127.0.0.1/hook", "https://localhost:8080/x", "https://10.1.2.3/x", "https://169.254.169.254/latest/meta-data", "https://[::1]/x", "https://[::ffff:192.168.0.1]/x", "https://user:pw@example.com/x", "not a url"]) {
        const error = await createEndpoint(createEndpointSchema.parse({ url, eventTypes: ["consent.changed"] }), admin).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error, url).toMatchObject({ code: "invalid", field: "url" });
      }
    } finally {
      undo();
    }
    expect(createEndpointSchema.safeParse({ url: "https://example.com", eventTypes: ["nope"] }).error?.issues[0]?.message).toMatch(/^eventTypes must be among/);
    expect(createEndpointSchema.safeParse({ url: "https://example.com", eventTypes: [] }).error?.issues[0]?.message).toBe("Choose at least one event to send");
  });

  it("gives an attempt a deadline: a receiver that never answers is a timeout", async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const { id } = await createEndpoint(createEndpointSchema.parse({ url: `http://127.0.0.1:${port}/hook`, eventTypes: ["consent.changed"] }), admin);
    await recordConsent({ externalId: person().externalId }, [{ purpose: "analytics", granted: false }], { method: "explicit" });
    const [delivery] = await deliveriesFor(id);
    const undo = overrideEnv({ CLEARLOG_WEBHOOK_TIMEOUT_MS: "500" });
    try {
      await deliver(delivery!.id);
    } finally {
      undo();
      silent.close();
    }
    const row = await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery!.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "timeout", lastStatusCode: null });
    expect(row.lastDurationMs).toBeGreaterThanOrEqual(450);
    expect(row.lastDurationMs).toBeLessThan(3000);
  });

  it("refuses a private address at delivery time too (the setting changed, or a name moved)", async () => {
    const { id } = await endpoint("/hooks/private", ["consent.changed"]);
    await recordConsent({ externalId: person().externalId }, [{ purpose: "analytics", granted: false }], { method: "explicit" });
    const [delivery] = await deliveriesFor(id);
    const undo = overrideEnv({ CLEARLOG_WEBHOOK_ALLOW_PRIVATE: "0" });
    try {
      await deliver(delivery!.id);
    } finally {
      undo();
    }
    expect(await db().notificationDelivery.findUniqueOrThrow({ where: { id: delivery!.id } })).toMatchObject({ status: "pending", attempts: 1, lastError: "refused: private address", lastStatusCode: null });
    expect(receiver.hooks.filter((h) => h.path === "/hooks/private")).toHaveLength(0);
  });
});

describe("the delivery log", () => {
  it("keeps finished deliveries 30 days and pending ones until they finish", async () => {
    const { id } = await endpoint("/hooks/old", ["consent.changed"]);
    const old = new Date(Date.now() - 31 * 86_400_000);
    const rows = await Promise.all(
      (["delivered", "failed", "pending"] as const).map((status) => db().notificationDelivery.create({ data: { channel: "webhook", endpointId: id, eventType: "consent.changed", eventId: `msg_${randomUUID()}`, status, createdAt: old } })),
    );
    const recent = await db().notificationDelivery.create({ data: { channel: "webhook", endpointId: id, eventType: "consent.changed", eventId: `msg_${randomUUID()}`, status: "delivered" } });
    expect(await deleteOldDeliveries()).toBe(2);
    expect((await deliveriesFor(id)).map((d) => d.id).sort()).toEqual([rows[2]!.id, recent.id].sort());
  });
});

describe("erasure and e-mail", () => {
  it("an erasure tells the application who to erase and mails the requester at receipt and completion, keeping no address", async () => {
    const { id, secret } = await endpoint("/hooks/erasure", ["erasure.completed", "privacy_request.status_changed"]);
    const p = person();
    const email = `requester.${randomUUID()}@example.test`;
    const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: "Requester", role: "end_user", subjectPseudonym: p.pseudonym } });
    await db().subject.create({ data: { externalId: p.externalId, pseudonym: p.pseudonym } });
    const actor: Actor = { type: "user", id: user.id, role: "end_user" };
    const request = await createRequest({ pseudonym: p.pseudonym, userId: user.id, contact: email }, { type: "erasure" }, actor);
    await transitionRequest({ id: request.id, to: "verified" }, admin);
    await transitionRequest({ id: request.id, to: "in_progress" }, admin);
    const outbox = () => db().notificationDelivery.findMany({ where: { OR: [{ endpointId: id }, { channel: "email" }], status: "pending" }, orderBy: { createdAt: "asc" } });
    const before = await outbox();
    expect(before.every((d) => d.subjectPseudonym === p.pseudonym)).toBe(true);
    // All but the last step's notice go out before the erasure runs; that one is still waiting.
    const waiting = before.at(-1)!;
    for (const d of before.slice(0, -1)) await deliver(d.id);
    const job = await db().job.findFirstOrThrow({ where: { privacyRequestId: request.id } });
    expect((await runJob(job.id)).status).toBe("succeeded");
    // The erasure deleted the finished deliveries about them; the waiting one goes out unlinked and
    // then keeps no payload; its own notices are not theirs and go out too.
    expect(await db().notificationDelivery.count({ where: { subjectPseudonym: p.pseudonym } })).toBe(0);
    expect(await db().notificationDelivery.count({ where: { id: { in: before.slice(0, -1).map((d) => d.id) } } })).toBe(0);
    expect(await db().notificationDelivery.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: "pending", subjectPseudonym: null, dropPayloadWhenDone: true });
    const after = await outbox();
    expect(after.map((d) => [d.eventType, d.subjectPseudonym])).toEqual(expect.arrayContaining([["erasure.completed", null]]));
    for (const d of after) await deliver(d.id);
    expect(await db().notificationDelivery.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: "delivered", payloadSealed: null });
    // Delivered, the erasure notice keeps no payload either: it names the person.
    expect((await db().notificationDelivery.findFirstOrThrow({ where: { endpointId: id, eventType: "erasure.completed" }, orderBy: { createdAt: "desc" } })).payloadSealed).toBeNull();
    const bodies = receiver.hooks.filter((h) => h.path === "/hooks/erasure").map((h) => {
      expect(verifySignature(secret, h.headers, h.body)).toBe(true);
      return contract(h.body);
    });
    expect(bodies.map((b) => b.type === "erasure.completed" ? b.type : `${String(b.data.from)}→${String(b.data.to)}`)).toEqual(["null→received", "received→verified", "verified→in_progress", "in_progress→completed", "erasure.completed"]);
    const erased = bodies.at(-1)!.data;
    expect(erased).toMatchObject({ requestId: request.id, subject: p.externalId, featureSets: 0, modelVersions: 0 });
    expect(JSON.stringify(bodies)).not.toContain(email);

    const mails = smtp.mails.filter((m) => m.to.includes(email));
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/^We received your erasure request \([0-9A-F]{8}\)$/), expect.stringMatching(/^Your erasure request is completed \([0-9A-F]{8}\)$/)]);
    expect(mailText(mails[0]!)).toContain("We will answer by");
    expect(mails[0]!.raw).toMatch(/^From: Clearlog <privacy@clearlog\.test>/m);
    // Sent mails keep no address; nothing in the outbox names the person in the clear.
    const emailRows = await db().notificationDelivery.findMany({ where: { channel: "email", id: { in: after.map((d) => d.id) } } });
    expect(emailRows.every((r) => r.status === "delivered" && r.payloadSealed === null)).toBe(true);
    const { rows } = await database().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM notification_deliveries WHERE payload_sealed LIKE $1 OR payload_sealed LIKE $2 OR event_type LIKE $1", [`%${p.externalId}%`, `%${email}%`]);
    expect(rows[0]!.n).toBe(0);
  });

  it("a mail that cannot be sent waits for the next attempt", async () => {
    const email = `later.${randomUUID()}@example.test`;
    const p = person();
    const undo = overrideEnv({ CLEARLOG_SMTP_URL: "smtp://127.0.0.1:1" });
    let deliveryId: string;
    try {
      const request = await fileOnBehalf({ subject: p.externalId, type: "access", requesterContact: email, verificationMethod: "email_confirmation" }, admin);
      deliveryId = (await db().notificationDelivery.findFirstOrThrow({ where: { channel: "email", eventType: "privacy_request.received", createdAt: { gte: new Date(Date.now() - 60_000) } }, orderBy: { createdAt: "desc" } })).id;
      await deliver(deliveryId);
      expect(request.id).toBeTruthy();
    } finally {
      undo();
    }
    expect(await db().notificationDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "pending", attempts: 1, lastError: expect.stringMatching(/^SMTP error/) });
    await deliver(deliveryId);
    expect(smtp.mails.filter((m) => m.to.includes(email))).toHaveLength(1);
  });
});

describe("deadline reminders", () => {
  it("sends one reminder per request and threshold, however often it runs", async () => {
    const { id } = await endpoint("/hooks/deadline", ["privacy_request.deadline_approaching"]);
    const p = person();
    const request = await fileOnBehalf({ subject: p.externalId, type: "access", requesterContact: "phone", verificationMethod: "email_confirmation" }, admin);
    // Due in 5 days: within 7, not within 1.
    await db().privacyRequest.update({ where: { id: request.id }, data: { dueAt: new Date(Date.now() + 5 * 86_400_000) } });
    await sendDeadlineReminders();
    await sendDeadlineReminders();
    let mine = (await deliveriesFor(id)).length;
    expect(mine).toBe(1);
    expect(await db().requestReminder.findMany({ where: { requestId: request.id }, select: { daysBefore: true } })).toEqual([{ daysBefore: 7 }]);
    // A day later it is within 1 day: one more, then none.
    const later = new Date(Date.now() + 4.5 * 86_400_000);
    await sendDeadlineReminders(later);
    await sendDeadlineReminders(later);
    mine = (await deliveriesFor(id)).length;
    expect(mine).toBe(2);
    for (const d of await deliveriesFor(id)) await deliver(d.id);
    const bodies = receiver.hooks.filter((h) => h.path === "/hooks/deadline").map((h) => contract(h.body));
    expect(bodies.map((b) => b.data.daysBefore).sort()).toEqual([1, 7]);
    expect(bodies[0]!.data).toMatchObject({ requestId: request.id, type: "access", status: "received", subject: p.externalId });
    // A closed request is not reminded.
    await transitionRequest({ id: request.id, to: "rejected", reason: "Could not verify the requester" }, admin);
    await db().requestReminder.deleteMany({ where: { requestId: request.id } });
    await sendDeadlineReminders(later);
    expect(await deliveriesFor(id)).toHaveLength(2);
  });
});
