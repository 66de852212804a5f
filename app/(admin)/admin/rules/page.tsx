import type { Metadata } from "next";
import Link from "next/link";
import { RulesTable } from "@/components/rules/rules-table";
import { RuleTesterPanel } from "@/components/rules/rule-tester-panel";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { listRules, ruleCacheSeconds, toRuleView } from "@/lib/classify/rules";

export const metadata: Metadata = { title: "Classification rules" };

export default async function RulesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageUser("rules.manage");
  const { created } = await searchParams;
  const rules = (await listRules()).map(toRuleView);
  return (
    <>
      <PageHeader
        title="Classification rules"
        description={`How incoming events are classified, redacted, hashed or dropped. Rules run in priority order (lowest first) on every field; credentials are removed before any rule runs, whatever the rules say. Changes reach ingestion within ${ruleCacheSeconds()} seconds and are recorded in the audit log.`}
        actions={
          <Link href="/admin/rules/new" className="inline-flex items-center rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700">
            New rule
          </Link>
        }
      />
      <div className="space-y-6">
        <Panel title={`Rules (${rules.length})`}>
          <RulesTable rules={rules} highlight={typeof created === "string" ? created : null} />
        </Panel>
        <Panel title="Test an event against the enabled rules">
          <RuleTesterPanel />
        </Panel>
      </div>
    </>
  );
}
