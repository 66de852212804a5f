import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime, formatNumber } from "@/components/ui/format";
import { Panel } from "@/components/ui/panel";
import { Table } from "@/components/ui/table";
import type { IntakeRefusalRow } from "@/lib/dashboard/intake";

/** What applications sent and Clearlog did not store, per API key and reason, over the range. */
export function IntakePanel({ rows, range }: { rows: IntakeRefusalRow[]; range: string }) {
  const records = rows.reduce((n, r) => n + r.records, 0);
  const requests = rows.reduce((n, r) => n + r.requests, 0);
  const title = rows.length === 0 ? "Refused at intake" : `Refused at intake: ${formatNumber(records)} records, ${formatNumber(requests)} whole requests`;
  return (
    <Panel title={title} className="mt-6">
      {rows.length === 0 ? (
        <EmptyState title={`Nothing refused in the ${range}`}>
          Records an application sends that Clearlog cannot store (too old, invalid, too large, unreadable, over the rate limit) are counted here per{" "}
          <Link href="/admin/api-keys" className="text-brand-600 underline">
            API key
          </Link>
          , even when the exporter reported success.
        </EmptyState>
      ) : (
        <Table columns={["API key", "Reason", "Records", "Requests", "Last"]} testId="intake-refusals">
          {rows.map((r) => (
            <tr key={`${r.keyPrefix}|${r.reason}`} className="align-top">
              <td className="py-2 pr-4">
                <span className="text-slate-900">{r.keyName}</span> <span className="font-mono text-xs text-slate-500">{r.keyPrefix}</span>
              </td>
              <td className="max-w-xs py-2 pr-4">
                <Badge tone="red">{r.reason}</Badge>
                <p className="mt-1 text-xs text-slate-600">{r.description}</p>
              </td>
              <td className="py-2 pr-4 tabular-nums text-slate-900">{formatNumber(r.records)}</td>
              <td className="py-2 pr-4 tabular-nums text-slate-900">{formatNumber(r.requests)}</td>
              <td className="whitespace-nowrap py-2 pr-4 text-xs text-slate-600">{formatDateTime(r.lastAt)}</td>
            </tr>
          ))}
        </Table>
      )}
    </Panel>
  );
}
