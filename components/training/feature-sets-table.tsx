import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime, formatNumber } from "@/components/ui/format";
import { Table } from "@/components/ui/table";
import { FEATURE_DEFINITIONS } from "@/lib/training/definitions";
import type { FeatureSetSummary } from "@/lib/training/feature-sets";
import { formatRange } from "./format-range";
import { FeatureSetStatusBadge } from "./status-badge";

export function FeatureSetsTable({ sets }: { sets: FeatureSetSummary[] }) {
  if (sets.length === 0) {
    return <EmptyState title="No feature set yet">Extract one above: only people who consented to AI training contribute, and the manifest says who was left out and why.</EmptyState>;
  }
  return (
    <Table testId="feature-sets" columns={["Feature set", "Range", "Status", "Subjects", "Excluded", "Rows", "Extracted"]}>
      {sets.map((s) => (
        <tr key={s.id}>
          <td className="py-2.5 pr-4">
            <Link href={`/admin/training/${s.id}`} className="font-medium text-brand-700 hover:underline">
              {FEATURE_DEFINITIONS[s.featureType].label}
            </Link>
            <div className="font-mono text-xs text-slate-400">{s.id.slice(0, 8)}</div>
          </td>
          <td className="whitespace-nowrap py-2.5 pr-4 text-slate-700">{formatRange(s.startDate, s.endDate)}</td>
          <td className="py-2.5 pr-4">
            <FeatureSetStatusBadge status={s.status} />
            {s.withdrawnSubjects > 0 && <div className="mt-1 text-xs text-amber-800">{formatNumber(s.withdrawnSubjects)} withdrawn since</div>}
          </td>
          <td className="py-2.5 pr-4 tabular-nums">{formatNumber(s.subjectCount)}</td>
          <td className="py-2.5 pr-4 tabular-nums">{formatNumber(s.excluded)}</td>
          <td className="py-2.5 pr-4 tabular-nums">{formatNumber(s.rowCount)}</td>
          <td className="whitespace-nowrap py-2.5 pr-4 text-slate-600">
            {formatDateTime(s.createdAt)}
            {s.createdBy && <div className="text-xs text-slate-500">by {s.createdBy}</div>}
          </td>
        </tr>
      ))}
    </Table>
  );
}
