import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/transaction";
import { NOTIFICATION_QUEUE, jobQueue } from "../jobs/queue";
import type { EventType, WebhookBody } from "./events";
import { TEST_EVENT } from "./events";
import { seal } from "./sealed";

// The outbox: a notification is a row of notification_deliveries plus a queue job, both written with
// the caller's transaction (pg-boss inserts its job through the same connection), so a change that
// rolls back sends nothing and a committed one is always delivered, even if the process stops now.

/** Hands a delivery to the queue inside `tx`; `startAfter` for a later attempt. */
export async function enqueueDelivery(tx: Pick<Tx, "pg">, deliveryId: string, startAfter?: Date): Promise<void> {
  const queue = await jobQueue();
  await queue.send(NOTIFICATION_QUEUE, { deliveryId }, { ...(startAfter ? { startAfter } : {}), db: { executeSql: (text: string, values: unknown[]) => tx.pg.query(text, values) } });
}

function body(type: WebhookBody["type"], data: object, at = new Date()): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data } satisfies WebhookBody);
}

/**
 * Records `type` for every enabled endpoint subscribed to it; returns how many deliveries. `about` is
 * the pseudonym of the person it concerns, so that their erasure deletes it.
 */
export async function emit(tx: Tx, type: EventType, data: object, about: string | null = null): Promise<number> {
  const endpoints = await tx.webhookEndpoint.findMany({ where: { enabled: true, eventTypes: { has: type } }, select: { id: true } });
  if (endpoints.length === 0) return 0;
  // One event id for all endpoints: it is the event's, and receivers deduplicate on it.
  const eventId = `msg_${randomUUID()}`;
  const payloadSealed = seal(body(type, data));
  for (const endpoint of endpoints) {
    const delivery = await tx.notificationDelivery.create({ data: { channel: "webhook", endpointId: endpoint.id, eventType: type, eventId, payloadSealed, subjectPseudonym: about }, select: { id: true } });
    await enqueueDelivery(tx, delivery.id);
  }
  return endpoints.length;
}

/** A test event for one endpoint (the console's "Send test event"). */
export async function emitTest(tx: Tx, endpointId: string): Promise<string> {
  const delivery = await tx.notificationDelivery.create({
    data: { channel: "webhook", endpointId, eventType: TEST_EVENT, eventId: `msg_${randomUUID()}`, payloadSealed: seal(body(TEST_EVENT, { message: "A test event from Clearlog." })) },
    select: { id: true },
  });
  await enqueueDelivery(tx, delivery.id);
  return delivery.id;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** An e-mail to a requester; the sealed message is dropped once sent. */
export async function queueMail(tx: Tx, eventType: string, mail: Mail, about: string | null = null): Promise<string> {
  const delivery = await tx.notificationDelivery.create({
    data: { channel: "email", eventType, eventId: `mail_${randomUUID()}`, payloadSealed: seal(JSON.stringify(mail)), maxAttempts: 6, subjectPseudonym: about },
    select: { id: true },
  });
  await enqueueDelivery(tx, delivery.id);
  return delivery.id;
}
