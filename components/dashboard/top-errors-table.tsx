import { Badge } from "@/components/ui/badge";
import { formatDateTime, formatNumber } from "@/components/ui/format";
import { Table } from "@/components/ui/table";
import type { TopError } from "@/lib/dashboard/top-errors";
import { Sparkline } from "./sparkline";

/** The most frequent error fingerprints. Messages were redacted at ingest and render as plain text. */
export function TopErrorsTable({ rows }: { rows: TopError[] }) {
  return (
    <Table columns={["Fingerprint", "Error", "Count", "Trend", "Last seen"]} testId="top-errors">
      {rows.map((e) => (
        <tr key={e.fingerprint} className="align-top">
          <td className="py-2 pr-4 font-mono text-xs text-slate-600" title={e.fingerprint}>
            {e.fingerprint.slice(0, 8)}
          </td>
          <td className="max-w-xs py-2 pr-4">
            {e.errorType ? <Badge tone="red">{e.errorType}</Badge> : <span className="text-slate-400">unknown type</span>}
            {e.message && (
              <p className="mt-1 line-clamp-2 break-words text-xs text-slate-600" title={e.message}>
                {e.message}
              </p>
            )}
          </td>
          <td className="py-2 pr-4 tabular-nums text-slate-900">{formatNumber(e.count)}</td>
          <td className="py-2 pr-4">
            <Sparkline values={e.trend} label={`Occurrences of ${e.fingerprint.slice(0, 8)} over the range`} />
          </td>
          <td className="whitespace-nowrap py-2 pr-4 text-xs text-slate-600">{formatDateTime(e.lastSeen)}</td>
        </tr>
      ))}
    </Table>
  );
}
