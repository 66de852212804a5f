import Link from "next/link";
import { Badge } from "@/components/ui/badge";

export interface ImpactedVersion {
  versionId: string;
  version: string;
  modelId: string;
  modelName: string;
  withdrawn?: boolean;
}

/**
 * The model versions trained on this person's data, and the feature sets that held it: before an
 * erasure from their membership, after it from the receipt's ids. No personal data is shown.
 */
export function TrainingImpact({ versions, featureSetIds, erased }: { versions: ImpactedVersion[]; featureSetIds: string[]; erased: boolean }) {
  if (versions.length === 0 && featureSetIds.length === 0) {
    return <p className="text-sm text-slate-600">{erased ? "No training set or model held this person's data." : "This person's data is in no training set."}</p>;
  }
  const unique = [...new Map(versions.map((v) => [v.versionId, v])).values()];
  return (
    <div className="space-y-3 text-sm" data-testid="training-impact">
      <p className="text-slate-600">
        {erased
          ? "The erasure marked these feature sets stale; the model versions trained on them now show that they contain erased data."
          : "This person's data is in these training sets and the model versions trained on them. Withdrawing AI training consent, a restriction or an erasure marks them."}
      </p>
      {unique.length > 0 && (
        <ul className="space-y-1" aria-label="Model versions">
          {unique.map((v) => (
            <li key={v.versionId} className="flex items-center gap-2">
              <Link href={`/admin/models/${v.modelId}/versions/${v.versionId}`} className="text-brand-700 hover:underline">
                {v.modelName} {v.version}
              </Link>
              {v.withdrawn && <Badge tone="amber">withdrawn</Badge>}
            </li>
          ))}
        </ul>
      )}
      {featureSetIds.length > 0 && (
        <p className="text-xs text-slate-500">
          Feature sets:{" "}
          {featureSetIds.map((id, i) => (
            <span key={id}>
              {i > 0 && ", "}
              <Link href={`/admin/training/${id}`} className="font-mono text-brand-700 hover:underline">
                {id.slice(0, 8)}
              </Link>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
