import "server-only";
import type { Prisma } from "../db/generated/client";
import { db } from "../db/client";
import type { Role } from "../auth/roles";

export type Actor =
  | { type: "user"; id: string; role: Role }
  | { type: "api_key"; id: string }
  | { type: "system" }
  | { type: "cli" }
  /** a person in a portal session the application issued: the id is the portal session's */
  | { type: "subject"; id: string };

/** Counts, ids, field names, reasons. Never payload values or personal data (docs/security.md). */
export type AuditMetadata = Record<string, string | number | boolean | null | readonly string[]>;

export interface AuditEntry {
  actor: Actor | null;
  action: string;
  resourceType: string;
  resourceId?: string | null;
  outcome: "success" | "failure" | "denied";
  metadata?: AuditMetadata;
}

type Writer = Pick<Prisma.TransactionClient, "auditLog">;

function auditRow(entry: AuditEntry) {
  const actor = entry.actor ?? { type: "system" as const };
  return {
    actorType: actor.type,
    actorId: "id" in actor ? actor.id : null,
    actorRole: actor.type === "user" ? actor.role : null,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    outcome: entry.outcome,
    metadata: (entry.metadata ?? {}) as Prisma.InputJsonObject,
  };
}

/** Writes one audit row; pass the transaction client to make it part of the change it records. */
export async function writeAudit(entry: AuditEntry, client: Writer = db()): Promise<void> {
  await client.auditLog.create({ data: auditRow(entry) });
}

/** Writes several audit rows in one statement. */
export async function writeAuditRows(entries: AuditEntry[], client: Writer = db()): Promise<void> {
  if (entries.length > 0) await client.auditLog.createMany({ data: entries.map(auditRow) });
}
