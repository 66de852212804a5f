import type { Metadata } from "next";
import { ComingSoon } from "@/components/ui/coming-soon";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Privacy center" };

export default async function PrivacyPortalPage() {
  const user = await requirePageUser(["end_user"]);
  return (
    <>
      <PageHeader
        title={`Hello, ${user.displayName}`}
        description="This is where you decide what is kept about you, see it, take it with you, or have it erased."
      />
      <ComingSoon
        feature="Your privacy center"
        items={[
          "Turn each purpose (analytics, AI training, personalization, marketing…) on or off, and see the history of your choices",
          "Download everything held about you as a machine-readable archive",
          "Ask for erasure, rectification, restriction or objection, and follow each request's status and deadline",
          "Global Privacy Control honoured automatically",
        ]}
      />
    </>
  );
}
