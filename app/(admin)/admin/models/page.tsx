import type { Metadata } from "next";
import Link from "next/link";
import { RegisterModelForm } from "@/components/models/register-form";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { Table } from "@/components/ui/table";
import { requirePageUser } from "@/lib/auth/current-user";
import { listFeatureSets } from "@/lib/training/feature-sets";
import { listModels } from "@/lib/training/registry";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage({ searchParams }: { searchParams: Promise<{ featureSet?: string }> }) {
  await requirePageUser("models.manage");
  const [models, sets, { featureSet }] = await Promise.all([listModels(), listFeatureSets(200), searchParams]);
  const ready = sets.filter((s) => s.status === "ready");
  return (
    <>
      <PageHeader
        title="Models"
        description="Registered models and their versions, each linked to the feature sets it was trained on, so you can always tell whose data is in it."
        actions={
          <Link href="/admin/models/retrain-needed" className="text-sm font-medium text-brand-700 hover:underline">
            Retrain needed
          </Link>
        }
      />
      <div className="space-y-6">
        <Panel title="Registered models">
          {models.length === 0 ? (
            <EmptyState title="No model registered yet">Register a version below, naming the feature sets it was trained on.</EmptyState>
          ) : (
            <Table testId="models" columns={["Model", "Type", "Versions", "Latest", "Aliases", "Training data"]}>
              {models.map((m) => (
                <tr key={m.id}>
                  <td className="py-2.5 pr-4">
                    <Link href={`/admin/models/${m.id}`} className="font-medium text-brand-700 hover:underline">
                      {m.name}
                    </Link>
                    {m.description && <div className="max-w-md truncate text-xs text-slate-500">{m.description}</div>}
                  </td>
                  <td className="py-2.5 pr-4 text-slate-700">{m.modelType}</td>
                  <td className="py-2.5 pr-4 tabular-nums">{m.versions}</td>
                  <td className="whitespace-nowrap py-2.5 pr-4 text-slate-700">
                    {m.latest ? (
                      <>
                        {m.latest.version} <span className="text-xs text-slate-500">{formatDateTime(m.latest.createdAt)}</span>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="py-2.5 pr-4">
                    <div className="flex flex-wrap gap-1">
                      {m.aliases.map((a) => (
                        <Badge key={a.alias} tone="blue">
                          {a.alias}: {a.version}
                        </Badge>
                      ))}
                    </div>
                  </td>
                  <td className="py-2.5 pr-4">
                    {m.versionsWithWithdrawnData === 0 ? (
                      <Badge tone="green">Clean</Badge>
                    ) : (
                      <Badge tone="amber">
                        {m.versionsWithWithdrawnData} {m.versionsWithWithdrawnData === 1 ? "version contains" : "versions contain"} withdrawn data
                      </Badge>
                    )}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </Panel>
        <Panel title="Register a model version">
          <RegisterModelForm
            models={models.map((m) => ({ name: m.name, modelType: m.modelType }))}
            sets={ready.map((s) => ({ id: s.id, featureType: s.featureType, startDate: s.startDate.toISOString(), endDate: s.endDate.toISOString(), subjectCount: s.subjectCount }))}
            preselected={ready.some((s) => s.id === featureSet) ? featureSet : undefined}
          />
        </Panel>
      </div>
    </>
  );
}
