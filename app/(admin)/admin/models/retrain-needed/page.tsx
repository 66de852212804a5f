import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { Table } from "@/components/ui/table";
import { requirePageUser } from "@/lib/auth/current-user";
import { retrainNeeded } from "@/lib/training/api-views";

export const metadata: Metadata = { title: "Retrain needed" };

/** Versions in production or staging trained on data that has since lost consent, with the rebuilt set to train on. */
export default async function RetrainNeededPage() {
  await requirePageUser("models.manage");
  const versions = await retrainNeeded(["production", "staging"]);
  return (
    <>
      <PageHeader
        title="Retrain needed"
        description="Versions in production or staging trained on feature sets that someone has since left (consent withdrawn, restricted or erased). Train on the rebuilt set and move the alias."
      />
      <Panel title="Versions to retrain">
        {versions.length === 0 ? (
          <EmptyState title="Nothing to retrain">Every version in production or staging was trained on data whose people still consent.</EmptyState>
        ) : (
          <Table testId="retrain-needed" columns={["Model", "Version", "Aliases", "People who left", "Stale feature set", "Rebuilt set"]}>
            {versions.flatMap((v) =>
              v.staleFeatureSets.map((s, i) => (
                <tr key={`${v.versionId}-${s.id}`}>
                  <td className="py-2.5 pr-4">
                    {i === 0 && (
                      <Link href={`/admin/models/${v.modelId}`} className="font-medium text-brand-700 hover:underline">
                        {v.modelName}
                      </Link>
                    )}
                  </td>
                  <td className="py-2.5 pr-4 font-mono text-xs">{i === 0 ? v.version : ""}</td>
                  <td className="py-2.5 pr-4">{i === 0 && v.aliases.map((a) => <Badge key={a}>{a}</Badge>)}</td>
                  <td className="py-2.5 pr-4 tabular-nums">{i === 0 ? v.withdrawnSubjects : ""}</td>
                  <td className="py-2.5 pr-4 text-slate-700">
                    <Link href={`/admin/training/${s.id}`} className="hover:underline">
                      {s.featureType}
                    </Link>
                    {s.staleSince && <div className="text-xs text-slate-500">stale since {formatDateTime(new Date(s.staleSince))}</div>}
                  </td>
                  <td className="py-2.5 pr-4">
                    {s.rebuiltSet ? (
                      <Link href={`/admin/training/${s.rebuiltSet.id}`} className="font-medium text-brand-700 hover:underline" data-testid="open-rebuilt-set">
                        Open rebuilt set{s.rebuiltSet.ready ? "" : " (building)"}
                      </Link>
                    ) : (
                      <Link href={`/admin/training/${s.id}`} className="text-brand-700 hover:underline">
                        Rebuild it
                      </Link>
                    )}
                  </td>
                </tr>
              )),
            )}
          </Table>
        )}
      </Panel>
    </>
  );
}
