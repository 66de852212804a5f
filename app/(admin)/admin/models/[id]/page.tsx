import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AliasManager } from "@/components/models/alias-manager";
import { TrainingStatusBadge } from "@/components/models/training-status";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, formatNumber } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { Table } from "@/components/ui/table";
import { requirePageUser } from "@/lib/auth/current-user";
import { modelDetail } from "@/lib/training/registry";

export const metadata: Metadata = { title: "Model" };

export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("models.manage");
  const { id } = await params;
  const model = /^[0-9a-f-]{36}$/i.test(id) ? await modelDetail(id) : null;
  if (!model) notFound();
  return (
    <>
      <Link href="/admin/models" className="text-sm text-brand-600 hover:underline">
        ← All models
      </Link>
      <PageHeader title={model.name} description={model.description ?? `A ${model.modelType} model.`} actions={<Badge>{model.modelType}</Badge>} />
      <div className="space-y-6">
        <Panel title="Versions">
          <Table testId="versions" columns={["Version", "Training data", "Aliases", "Feature sets", "Feedback", "Registered"]}>
            {model.versions.map((v) => (
              <tr key={v.id}>
                <td className="py-2.5 pr-4">
                  <Link href={`/admin/models/${model.id}/versions/${v.id}`} className="font-medium text-brand-700 hover:underline">
                    {v.version}
                  </Link>
                  {v.isActive && (
                    <span className="ml-2">
                      <Badge tone="green">active</Badge>
                    </span>
                  )}
                </td>
                <td className="py-2.5 pr-4">
                  <TrainingStatusBadge status={v.status} />
                </td>
                <td className="py-2.5 pr-4">
                  <div className="flex flex-wrap gap-1">
                    {v.aliases.map((a) => (
                      <Badge key={a} tone="blue">
                        {a}
                      </Badge>
                    ))}
                  </div>
                </td>
                <td className="py-2.5 pr-4 tabular-nums">{v.featureSetCount}</td>
                <td className="py-2.5 pr-4 tabular-nums">{formatNumber(v.feedbackCount)}</td>
                <td className="whitespace-nowrap py-2.5 pr-4 text-slate-600">
                  {formatDateTime(v.createdAt)}
                  {v.createdBy && <div className="text-xs text-slate-500">by {v.createdBy}</div>}
                </td>
              </tr>
            ))}
          </Table>
        </Panel>
        <Panel title="Aliases">
          <AliasManager
            modelId={model.id}
            aliases={model.aliases.map((a) => ({ alias: a.alias, versionId: a.modelVersionId }))}
            versions={model.versions.map((v) => ({ id: v.id, version: v.version }))}
          />
        </Panel>
      </div>
    </>
  );
}
