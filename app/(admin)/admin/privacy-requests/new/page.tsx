import type { Metadata } from "next";
import Link from "next/link";
import { FileRequestForm } from "@/components/privacy-requests/file-request-form";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "File a privacy request" };

export default async function FileRequestPage() {
  await requirePageUser("privacy_requests.manage");
  const purposes = await db().consentPurpose.findMany({ where: { key: { not: "essential" } }, orderBy: { sortOrder: "asc" }, select: { key: true, name: true } });
  return (
    <>
      <Link href="/admin/privacy-requests" className="text-sm text-brand-600 hover:underline">
        ← All requests
      </Link>
      <PageHeader title="File a request for someone" description="When a person asks by e-mail, phone or letter: file the request in their name, by the application's user id. It follows the same steps and deadline as any other." />
      <Panel title="Request">
        <FileRequestForm purposes={purposes} />
      </Panel>
    </>
  );
}
