import { Badge, type BadgeTone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { Table } from "@/components/ui/table";
import type { RunSummary } from "@/lib/retention/runs";

const STATUS_TONES: Record<string, BadgeTone> = { queued: "neutral", running: "blue", succeeded: "green", failed: "red" };
const n = (x: number) => x.toLocaleString("en");

/** Past runs with what each policy deleted, anonymized or held, and the days dropped whole. */
export function RetentionRunHistory({ runs }: { runs: RunSummary[] }) {
  if (runs.length === 0) return <EmptyState title="No run yet">The first daily run happens at 03:00 UTC, or run it now.</EmptyState>;
  return (
    <Table columns={["When", "Started by", "Status", "Days dropped", "Per policy"]} testId="retention-runs">
      {runs.map((r) => (
        <tr key={r.id} className="align-top">
          <td className="whitespace-nowrap py-2 pr-4 text-slate-700">{formatDateTime(r.createdAt.toISOString())}</td>
          <td className="py-2 pr-4 text-slate-600">{r.trigger}</td>
          <td className="py-2 pr-4">
            <Badge tone={STATUS_TONES[r.status] ?? "neutral"}>{r.status}</Badge>
            {r.error && <p className="mt-1 max-w-56 text-xs text-red-700">{r.error}</p>}
          </td>
          <td className="py-2 pr-4 tabular-nums text-slate-700">
            {r.result ? `${r.result.partitionsDropped.length} (${n(r.result.rowsInDroppedPartitions)} rows)` : "—"}
          </td>
          <td className="py-2 pr-4 text-xs text-slate-600">
            {r.result ? (
              <ul className="space-y-0.5">
                {r.result.policies.map((p) => (
                  <li key={p.policyId}>
                    <span className="font-medium text-slate-800">{p.name}</span>: {p.action === "delete" ? `${n(p.deleted)} deleted` : `${n(p.anonymized)} anonymized`}
                    {p.held > 0 && <span className="text-amber-700">, {n(p.held)} held</span>}
                  </li>
                ))}
              </ul>
            ) : (
              "—"
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}
