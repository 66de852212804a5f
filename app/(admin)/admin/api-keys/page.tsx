import type { Metadata } from "next";
import { ApiKeyTable } from "@/components/api-keys/api-key-table";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { listApiKeys } from "@/lib/auth/api-keys";
import { requirePageUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  await requirePageUser("api_keys.manage");
  const keys = await listApiKeys();
  return (
    <>
      <PageHeader
        title="API keys"
        description="Applications authenticate to the Clearlog API with these keys. A key's secret is shown once, when it is created; Clearlog keeps only a hash."
      />
      <div className="grid gap-6 2xl:grid-cols-[24rem_minmax(0,1fr)]">
        <Panel title="Create a key">
          <CreateApiKeyForm />
        </Panel>
        <Panel title={`Keys (${keys.length})`}>
          <ApiKeyTable
            keys={keys.map((k) => ({
              id: k.id,
              name: k.name,
              prefix: k.prefix,
              scopes: k.scopes,
              createdAt: k.createdAt.toISOString(),
              lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
              revokedAt: k.revokedAt?.toISOString() ?? null,
              createdBy: k.createdBy?.displayName ?? null,
            }))}
          />
        </Panel>
      </div>
    </>
  );
}
