import Link from "next/link";
import { formatRange } from "@/components/training/format-range";
import { Badge } from "@/components/ui/badge";
import { formatNumber } from "@/components/ui/format";
import { Table } from "@/components/ui/table";
import { FEATURE_DEFINITIONS, type FeatureTypeName } from "@/lib/training/definitions";
import type { VersionDetail } from "@/lib/training/registry";

/** The feature sets a version was trained on, each with its digest and a link to its manifest. */
export function VersionLineage({ sets }: { sets: VersionDetail["lineage"] }) {
  return (
    <Table testId="lineage" columns={["Feature set", "Range", "Subjects", "Rows", "Digest", "Status", ""]}>
      {sets.map((s) => (
        <tr key={s.id}>
          <td className="py-2.5 pr-4">
            <Link href={`/admin/training/${s.id}`} className="font-medium text-brand-700 hover:underline">
              {FEATURE_DEFINITIONS[s.featureType as FeatureTypeName].label} v{s.definitionVersion}
            </Link>
            <div className="font-mono text-xs text-slate-400">{s.id.slice(0, 8)}</div>
          </td>
          <td className="whitespace-nowrap py-2.5 pr-4">{formatRange(s.startDate, s.endDate)}</td>
          <td className="py-2.5 pr-4 tabular-nums">{formatNumber(s.subjectCount)}</td>
          <td className="py-2.5 pr-4 tabular-nums">{formatNumber(s.rowCount)}</td>
          <td className="py-2.5 pr-4 font-mono text-xs" title={s.digest ?? undefined}>
            {s.digest ? `${s.digest.slice(0, 12)}…` : "—"}
          </td>
          <td className="py-2.5 pr-4">{s.staleAt ? <Badge tone="amber">Stale</Badge> : <Badge tone="green">Ready</Badge>}</td>
          <td className="py-2.5 pr-4">
            <a href={`/admin/training/${s.id}/files/manifest.json`} download className="text-sm text-brand-700 hover:underline">
              Manifest
            </a>
          </td>
        </tr>
      ))}
    </Table>
  );
}
