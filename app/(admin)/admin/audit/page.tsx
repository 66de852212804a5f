import type { Metadata } from "next";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/ui/page-header";
import { auditActions, listAudit, parseAuditFilter } from "@/lib/audit/queries";
import { actorNames } from "@/lib/auth/actor-names";
import { requirePageUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageUser("audit.read");
  const filter = parseAuditFilter(await searchParams);
  const [{ rows, nextBefore }, actions] = await Promise.all([listAudit(filter), auditActions()]);
  const names = await actorNames(rows.map((r) => r.actorId));
  const nextParams = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filter, before: nextBefore ?? undefined })) if (v !== undefined) nextParams.set(k, String(v));
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who did what, to which resource, when, and whether it worked. Append-only: the database refuses to change or delete an entry. Entries never hold payload values or personal data."
      />
      <AuditFilters filter={{ action: filter.action, outcome: filter.outcome, resourceType: filter.resourceType }} actions={actions} />
      <AuditTable
        rows={rows.map((r) => ({
          id: r.id.toString(),
          occurredAt: r.occurredAt.toISOString(),
          actor: r.actorType === "user" ? (names.get(r.actorId ?? "") ?? "Deleted user") : r.actorType === "api_key" ? (names.get(r.actorId ?? "") ?? "API key") : r.actorType,
          actorRole: r.actorRole,
          action: r.action,
          resource: r.resourceId ? `${r.resourceType} ${r.resourceId.slice(0, 8)}` : r.resourceType,
          outcome: r.outcome,
          metadata: JSON.stringify(r.metadata),
        }))}
        olderHref={nextBefore ? `/admin/audit?${nextParams.toString()}` : null}
        filtered={Boolean(filter.action || filter.outcome || filter.resourceType || filter.actor || filter.before)}
      />
    </>
  );
}
