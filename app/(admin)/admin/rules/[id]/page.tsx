import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RuleEditor } from "@/components/rules/rule-editor";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/current-user";
import { getRule, ruleCacheSeconds, toRuleView } from "@/lib/classify/rules";

export const metadata: Metadata = { title: "Classification rule" };

export default async function RulePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("rules.manage");
  const { id } = await params;
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await getRule(id) : null;
  if (!row) notFound();
  const rule = toRuleView(row);
  return (
    <>
      <Link href="/admin/rules" className="text-sm text-brand-600 hover:underline">
        ← All rules
      </Link>
      <PageHeader
        title={rule.name}
        description={`Priority ${rule.priority}. Change the order and switch the rule on or off from the list of rules.`}
        actions={<Badge tone={rule.enabled ? "green" : "neutral"}>{rule.enabled ? "Enabled" : "Disabled"}</Badge>}
      />
      <RuleEditor rule={rule} cacheSeconds={ruleCacheSeconds()} />
    </>
  );
}
