import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { Table } from "@/components/ui/table";

export interface HistoryRow {
  id: string;
  purpose: string;
  granted: boolean;
  method: string;
  noticeVersion: string;
  recordedAt: string;
  /** why the organisation changed it (method admin) */
  reason?: string | null;
}

const METHOD: Record<string, string> = {
  explicit: "you granted it",
  withdrawal: "you withdrew it",
  gpc: "Global Privacy Control",
  admin: "changed by the organisation",
  objection: "your objection",
  api: "the application",
  default: "default",
};

export function ConsentHistory({ rows, names }: { rows: HistoryRow[]; names: Record<string, string> }) {
  if (rows.length === 0) return <EmptyState title="No choices recorded yet">Your choices will be listed here, as proof of what you decided and when.</EmptyState>;
  return (
    <Table testId="consent-history" columns={["When", "Purpose", "Choice", "How", "Notice"]}>
      {rows.map((r) => (
        <tr key={r.id}>
          <td className="whitespace-nowrap py-2 pr-4 text-slate-600">{formatDateTime(r.recordedAt)}</td>
          <td className="py-2 pr-4 text-slate-800">{names[r.purpose] ?? r.purpose}</td>
          <td className="py-2 pr-4">{r.granted ? <Badge tone="green">Granted</Badge> : <Badge tone="neutral">Withdrawn</Badge>}</td>
          <td className="py-2 pr-4 text-slate-600">
            {METHOD[r.method] ?? r.method}
            {r.reason && <span className="block text-xs text-slate-500">Reason: {r.reason}</span>}
          </td>
          <td className="py-2 text-slate-500">{r.noticeVersion}</td>
        </tr>
      ))}
    </Table>
  );
}
