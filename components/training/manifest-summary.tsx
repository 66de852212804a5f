import Link from "next/link";
import { formatDateTime, formatNumber } from "@/components/ui/format";
import { FEATURE_DEFINITIONS } from "@/lib/training/definitions";
import type { FeatureSetDetail } from "@/lib/training/feature-sets";

/** The manifest's header fields as a definition list; the full manifest is a download. */
export function ManifestSummary({ set }: { set: FeatureSetDetail }) {
  const definition = FEATURE_DEFINITIONS[set.featureType];
  return (
    <dl className="grid grid-cols-[9rem_minmax(0,1fr)] gap-y-2 text-sm">
      <dt className="text-slate-500">Feature set</dt>
      <dd className="font-mono text-xs leading-5">{set.id}</dd>
      <dt className="text-slate-500">Definition</dt>
      <dd>
        {set.featureType} v{set.definitionVersion} · {definition.columns.length} columns
      </dd>
      <dt className="text-slate-500">Range (UTC)</dt>
      <dd>
        {set.startDate.toISOString()} → {set.endDate.toISOString()} <span className="text-slate-500">(end exclusive)</span>
      </dd>
      <dt className="text-slate-500">Rows</dt>
      <dd className="tabular-nums">{formatNumber(set.rowCount)}</dd>
      <dt className="text-slate-500">Subjects</dt>
      <dd className="tabular-nums">{formatNumber(set.subjectCount)}</dd>
      <dt className="text-slate-500">Digest</dt>
      <dd className="break-all font-mono text-xs leading-5" data-testid="digest">
        sha256:{set.digest}
      </dd>
      <dt className="text-slate-500">Extracted</dt>
      <dd>
        {formatDateTime(set.completedAt)}
        {set.createdBy && <span className="text-slate-500"> by {set.createdBy}</span>}
      </dd>
      {set.rebuiltFrom && (
        <>
          <dt className="text-slate-500">Rebuilt from</dt>
          <dd>
            <Link href={`/admin/training/${set.rebuiltFrom.id}`} className="font-mono text-brand-700 hover:underline">
              {set.rebuiltFrom.id.slice(0, 8)}
            </Link>
          </dd>
        </>
      )}
    </dl>
  );
}
