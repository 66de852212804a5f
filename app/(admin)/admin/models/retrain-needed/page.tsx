import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { STACKED_CELL, STACKED_ROW, StackedLabel, Table } from "@/components/ui/table";
import { requirePageUser } from "@/lib/auth/current-user";
import { retrainNeeded } from "@/lib/training/api-views";
import { FEATURE_DEFINITIONS } from "@/lib/training/definitions";

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
          <Table testId="retrain-needed" stacked columns={["Model", "Version", "Aliases", "People who left", "Stale feature set", "Rebuilt set"]}>
            {versions.flatMap((v) =>
              v.staleFeatureSets.map((s, i) => {
                // A version's later stale sets repeat nothing of the version: on phones those cells go.
                const versionCell = i === 0 ? STACKED_CELL : `${STACKED_CELL} max-sm:hidden`;
                return (
                  <tr key={`${v.versionId}-${s.id}`} className={STACKED_ROW} data-testid={`retrain-${v.modelName}-${v.version}`}>
                    <td className={versionCell}>
                      {i === 0 && (
                        <Link href={`/admin/models/${v.modelId}`} className="font-medium text-brand-700 hover:underline">
                          {v.modelName}
                        </Link>
                      )}
                    </td>
                    <td className={`${versionCell} font-mono text-xs`}>
                      {i === 0 && <StackedLabel>Version</StackedLabel>}
                      {i === 0 ? v.version : ""}
                    </td>
                    <td className={versionCell}>
                      {i === 0 && <StackedLabel>Aliases</StackedLabel>}
                      <div className="flex flex-wrap gap-1">{i === 0 && v.aliases.map((a) => <Badge key={a}>{a}</Badge>)}</div>
                    </td>
                    <td className={`${versionCell} tabular-nums`}>
                      {i === 0 && <StackedLabel>People who left</StackedLabel>}
                      {i === 0 ? v.withdrawnSubjects : ""}
                    </td>
                    <td className={`${STACKED_CELL} text-slate-700`}>
                      <StackedLabel>Stale feature set</StackedLabel>
                      <Link href={`/admin/training/${s.id}`} className="hover:underline">
                        {FEATURE_DEFINITIONS[s.featureType].label}
                      </Link>
                      {s.staleSince && <div className="text-xs text-slate-500">stale since {formatDateTime(new Date(s.staleSince))}</div>}
                    </td>
                    <td className={STACKED_CELL}>
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
                );
              }),
            )}
          </Table>
        )}
      </Panel>
    </>
  );
}
