import type { Metadata } from "next";
import { PolicyForm } from "@/components/retention/policy-form";
import { RetentionRunHistory } from "@/components/retention/run-history";
import { RetentionRunPanel } from "@/components/retention/run-panel";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { listPolicies } from "@/lib/retention/policies";
import { retentionHistory } from "@/lib/retention/runs";

export const metadata: Metadata = { title: "Retention" };

export default async function RetentionPage() {
  await requirePageUser("retention.manage");
  const [policies, runs] = await Promise.all([listPolicies(), retentionHistory()]);
  const active = runs.find((r) => r.status === "queued" || r.status === "running");
  return (
    <>
      <PageHeader
        title="Retention"
        description="How long each classification of event is kept, and what happens then. A policy for one event type takes precedence over its classification's general policy; events no policy covers are kept."
      />
      <div className="space-y-6">
        <Panel title="Policies">
          {policies.length === 0 && <EmptyState title="No policy yet">Every event is kept until a policy covers it. Add one below.</EmptyState>}
          <div className="divide-y divide-slate-100">
            {policies.map((p) => (
              <PolicyForm key={`${p.id}-${p.updatedAt.getTime()}`} initial={{ id: p.id, name: p.name, classification: p.classification, eventType: p.eventType, keepDays: p.keepDays, action: p.action, enabled: p.enabled }} />
            ))}
          </div>
          <h3 className="mt-6 text-sm font-semibold text-slate-800">Add a policy</h3>
          <PolicyForm initial={{ name: "", classification: "internal", eventType: "api_request", keepDays: 30, action: "delete", enabled: true }} />
        </Panel>
        <Panel title="Run">
          <RetentionRunPanel
            running={active ? { id: active.id, kind: "retention", status: active.status as "queued" | "running", stage: null, processed: 0, total: null, error: null } : null}
          />
        </Panel>
        <Panel title="Run history">
          <RetentionRunHistory runs={runs} />
        </Panel>
      </div>
    </>
  );
}
