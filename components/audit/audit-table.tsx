import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { Table } from "@/components/ui/table";

export interface AuditRow {
  id: string;
  occurredAt: string;
  actor: string;
  actorRole: string | null;
  action: string;
  resource: string;
  outcome: "success" | "failure" | "denied";
  metadata: string;
}

const OUTCOME_TONE: Record<AuditRow["outcome"], BadgeTone> = { success: "green", failure: "amber", denied: "red" };

export function AuditTable({ rows, olderHref, filtered }: { rows: AuditRow[]; olderHref: string | null; filtered: boolean }) {
  if (rows.length === 0) {
    return <EmptyState title={filtered ? "No entries match these filters" : "No audit entries yet"}>{filtered ? "Clear a filter to see more." : "Actions taken in Clearlog will appear here."}</EmptyState>;
  }
  return (
    <div className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <Table inset testId="audit-table" columns={["When", "Actor", "Action", "Resource", "Outcome", "Details"]}>
        {rows.map((r) => (
          <tr key={r.id} className="align-top">
            <td className="whitespace-nowrap px-4 py-2.5 text-slate-600">{formatDateTime(r.occurredAt)}</td>
            <td className="px-4 py-2.5">
              <span className="text-slate-800">{r.actor}</span>
              {r.actorRole && <span className="block text-xs text-slate-500">{r.actorRole}</span>}
            </td>
            <td className="px-4 py-2.5 font-mono text-xs text-slate-800">{r.action}</td>
            <td className="px-4 py-2.5 font-mono text-xs text-slate-600">{r.resource}</td>
            <td className="px-4 py-2.5">
              <Badge tone={OUTCOME_TONE[r.outcome]}>{r.outcome}</Badge>
            </td>
            <td className="max-w-xs truncate px-4 py-2.5 font-mono text-xs text-slate-500" title={r.metadata}>
              {r.metadata === "{}" ? "" : r.metadata}
            </td>
          </tr>
        ))}
      </Table>
      {olderHref && (
        <div className="border-t border-slate-100 px-4 py-3 text-right">
          <Link href={olderHref} className="text-sm font-medium text-brand-600 hover:underline">
            Older entries →
          </Link>
        </div>
      )}
    </div>
  );
}
