import "server-only";
import { z } from "zod";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { storable } from "../validation";

export const AUDIT_PAGE_SIZE = 50;

/** The audit page's filters, parsed from the URL. */
export const auditFilterSchema = z.object({
  action: storable(z.string().trim().max(100)).optional().catch(undefined),
  actor: z.string().uuid().optional().catch(undefined),
  resourceType: storable(z.string().trim().max(100)).optional().catch(undefined),
  outcome: z.enum(["success", "failure", "denied"]).optional().catch(undefined),
  // an audit row id: a bigint column, so nothing beyond 2^63 - 1 (PostgreSQL would refuse it)
  before: z.coerce.bigint().positive().max(9_223_372_036_854_775_807n).optional().catch(undefined),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export function parseAuditFilter(params: Record<string, string | string[] | undefined>): AuditFilter {
  const flat = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v === "" ? undefined : v]),
  );
  return auditFilterSchema.parse(flat);
}

export async function listAudit(filter: AuditFilter) {
  const where: Prisma.AuditLogWhereInput = {
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.actor ? { actorId: filter.actor } : {}),
    ...(filter.resourceType ? { resourceType: filter.resourceType } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.before ? { id: { lt: filter.before } } : {}),
  };
  // Keyset pagination on the id (monotonic with time); one extra row tells whether there is more.
  const rows = await db().auditLog.findMany({ where, orderBy: { id: "desc" }, take: AUDIT_PAGE_SIZE + 1 });
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  const last = page.at(-1);
  return { rows: page, nextBefore: rows.length > AUDIT_PAGE_SIZE && last ? last.id.toString() : null };
}

export async function auditActions(): Promise<string[]> {
  const rows = await db().auditLog.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}
