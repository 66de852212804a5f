import type { Metadata } from "next";
import { ExtractForm } from "@/components/training/extract-form";
import { FeatureSetsTable } from "@/components/training/feature-sets-table";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { listFeatureSets } from "@/lib/training/feature-sets";

export const metadata: Metadata = { title: "Training data" };

const SHOWN = 50;

export default async function TrainingPage() {
  await requirePageUser("training.use");
  const sets = await listFeatureSets(SHOWN);
  return (
    <>
      <PageHeader
        title="Training data"
        description="Feature sets extracted from the logs of people who consented to AI training. Each has a manifest: who was included, who was left out and why, and a digest of its content."
      />
      <div className="space-y-6">
        <Panel title="Extract features">
          <ExtractForm today={new Date().toISOString().slice(0, 10)} />
        </Panel>
        <Panel title={sets.length === SHOWN ? `Feature sets (the latest ${SHOWN})` : "Feature sets"}>
          <FeatureSetsTable sets={sets} />
        </Panel>
      </div>
    </>
  );
}
