import "server-only";
import { writeAudit, type Actor, type AuditMetadata } from "../audit/audit";
import type { Tx } from "../db/transaction";
import { noticeRequestStep } from "../notifications/notices";
import type { RequestStatus } from "./request-rules";

// Every step of a privacy request — received, verified, in progress, completed, rejected, cancelled,
// extended — goes through `recordRequestStep`, inside the transaction that makes the change: it adds
// the timeline entry (naming the acting admin or key) and the audit row. Whatever must follow a state
// change (notifications to the application, the person or the admins) hooks in here, once.
export interface RequestStep {
  requestId: string;
  requestType: string;
  from: RequestStatus | null;
  to: RequestStatus;
  /** shown to the person on their timeline */
  note?: string | null;
  actor: Actor;
  /** the audit action, e.g. `privacy_request.verified` */
  action: string;
  metadata?: AuditMetadata;
  occurredAt?: Date;
}

export function actorId(actor: Actor): string | null {
  return "id" in actor ? actor.id : null;
}

export async function recordRequestStep(tx: Tx, step: RequestStep): Promise<void> {
  await tx.privacyRequestEvent.create({
    data: {
      requestId: step.requestId,
      fromStatus: step.from,
      toStatus: step.to,
      note: step.note ?? null,
      actorType: step.actor.type,
      actorId: actorId(step.actor),
      ...(step.occurredAt ? { occurredAt: step.occurredAt } : {}),
    },
  });
  await writeAudit(
    {
      actor: step.actor,
      action: step.action,
      resourceType: "privacy_request",
      resourceId: step.requestId,
      outcome: "success",
      metadata: { type: step.requestType, from: step.from, to: step.to, ...step.metadata },
    },
    tx,
  );
  // Webhooks to the application and e-mail to the requester: outbox rows in this transaction.
  await noticeRequestStep(tx, step);
}
