import "server-only";
import type { z } from "zod";
import { writeAudit, type Actor } from "../audit/audit";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { SafeError } from "../errors";
import { checkEndpointTarget } from "./endpoint-url";
import type { createEndpointSchema } from "./endpoint-schema";
import { emitTest, enqueueDelivery } from "./outbox";
import { seal } from "./sealed";
import { generateSecret } from "./signing";

// Webhook endpoints, managed by admins in the console. The secret is shown once, at creation or
// rotation; it is kept sealed (it must be recoverable to sign) and only its hint is shown again.
// Every change is audited in its transaction; the audit names the host, never the full URL.
function hint(secret: string): string {
  return `${secret.slice(0, 10)}…`;
}

export async function createEndpoint(input: z.output<typeof createEndpointSchema>, actor: Actor & { type: "user" }) {
  const url = await checkEndpointTarget(input.url);
  const secret = generateSecret();
  const endpoint = await transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: { url: url.toString(), description: input.description || null, eventTypes: input.eventTypes, secretSealed: seal(secret), secretHint: hint(secret), createdById: actor.id },
    });
    await writeAudit({ actor, action: "webhook.create", resourceType: "webhook_endpoint", resourceId: created.id, outcome: "success", metadata: { host: url.host, events: input.eventTypes } }, tx);
    return created;
  });
  return { id: endpoint.id, secret };
}

async function existing(id: string) {
  const endpoint = await db().webhookEndpoint.findUnique({ where: { id } });
  if (!endpoint) throw new SafeError("That endpoint does not exist.", "not_found");
  return endpoint;
}

export async function setEndpointEnabled(id: string, enabled: boolean, actor: Actor) {
  const endpoint = await existing(id);
  if (endpoint.enabled === enabled) throw new SafeError(`This endpoint is already ${enabled ? "enabled" : "disabled"}.`, "conflict", { field: "enabled" });
  await transaction(async (tx) => {
    await tx.webhookEndpoint.update({ where: { id }, data: { enabled } });
    await writeAudit({ actor, action: enabled ? "webhook.enable" : "webhook.disable", resourceType: "webhook_endpoint", resourceId: id, outcome: "success" }, tx);
  });
  return { id, enabled };
}

export async function rotateEndpointSecret(id: string, actor: Actor) {
  await existing(id);
  const secret = generateSecret();
  await transaction(async (tx) => {
    await tx.webhookEndpoint.update({ where: { id }, data: { secretSealed: seal(secret), secretHint: hint(secret) } });
    await writeAudit({ actor, action: "webhook.rotate_secret", resourceType: "webhook_endpoint", resourceId: id, outcome: "success" }, tx);
  });
  return { id, secret };
}

/** Deletes the endpoint and its delivery log (the console confirms first). */
export async function deleteEndpoint(id: string, actor: Actor) {
  const endpoint = await existing(id);
  await transaction(async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id } });
    await writeAudit({ actor, action: "webhook.delete", resourceType: "webhook_endpoint", resourceId: id, outcome: "success", metadata: { host: new URL(endpoint.url).host } }, tx);
  });
  return { id };
}

export async function sendTestEvent(id: string, actor: Actor) {
  await existing(id);
  return transaction(async (tx) => {
    const deliveryId = await emitTest(tx, id);
    await writeAudit({ actor, action: "webhook.test", resourceType: "webhook_endpoint", resourceId: id, outcome: "success" }, tx);
    return { deliveryId };
  });
}

/** Sends a webhook delivery again, as a new delivery with the same event id (receivers deduplicate on it). */
export async function replayDelivery(deliveryId: string, actor: Actor) {
  const original = await db().notificationDelivery.findUnique({ where: { id: deliveryId } });
  if (!original || original.channel !== "webhook" || !original.endpointId) throw new SafeError("That delivery does not exist.", "not_found");
  if (!original.payloadSealed) throw new SafeError("This delivery's content is no longer kept, so it cannot be sent again.", "conflict");
  if (original.status === "pending") throw new SafeError("This delivery is still being attempted.", "conflict");
  return transaction(async (tx) => {
    const replay = await tx.notificationDelivery.create({
      data: { channel: "webhook", endpointId: original.endpointId, eventType: original.eventType, eventId: original.eventId, payloadSealed: original.payloadSealed, replayOfId: original.id, subjectPseudonym: original.subjectPseudonym },
      select: { id: true },
    });
    await enqueueDelivery(tx, replay.id);
    await writeAudit({ actor, action: "webhook.replay", resourceType: "notification_delivery", resourceId: original.id, outcome: "success", metadata: { replay: replay.id, event: original.eventType } }, tx);
    return { deliveryId: replay.id };
  });
}

export function listEndpoints() {
  return db().webhookEndpoint.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, url: true, description: true, eventTypes: true, secretHint: true, enabled: true, createdAt: true },
  });
}

/** The delivery log, newest first; never the payload. */
export function listDeliveries(filter: { endpointId?: string; limit?: number } = {}) {
  return db().notificationDelivery.findMany({
    where: filter.endpointId ? { endpointId: filter.endpointId } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit ?? 50,
    select: {
      id: true, channel: true, endpointId: true, eventType: true, eventId: true, status: true, attempts: true, maxAttempts: true, nextAttemptAt: true,
      lastAttemptAt: true, lastStatusCode: true, lastDurationMs: true, lastError: true, replayOfId: true, createdAt: true, deliveredAt: true,
      endpoint: { select: { url: true } },
    },
  });
}
/** The delivery log is kept 30 days (hourly upkeep); a replay needs the original, so older ones cannot be replayed. */
export const DELIVERY_LOG_DAYS = 30;

export async function deleteOldDeliveries(now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - DELIVERY_LOG_DAYS * 86_400_000);
  return (await db().notificationDelivery.deleteMany({ where: { createdAt: { lt: cutoff }, status: { not: "pending" } } })).count;
}

export type DeliveryRow = Awaited<ReturnType<typeof listDeliveries>>[number];
export type EndpointRow = Awaited<ReturnType<typeof listEndpoints>>[number];
