import type { Metadata } from "next";
import Link from "next/link";
import { RuleEditor } from "@/components/rules/rule-editor";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/current-user";
import { ruleCacheSeconds } from "@/lib/classify/rules";

export const metadata: Metadata = { title: "New classification rule" };

export default async function NewRulePage() {
  await requirePageUser("rules.manage");
  return (
    <>
      <Link href="/admin/rules" className="text-sm text-brand-600 hover:underline">
        ← All rules
      </Link>
      <PageHeader title="New rule" description="A new rule runs after the existing ones; move it up in the list to run it earlier. Preview and test it before you create it." />
      <RuleEditor cacheSeconds={ruleCacheSeconds()} />
    </>
  );
}
