"use client";

import { FormError } from "@/components/ui/form-error";
import { revokeApiKeyAction } from "@/lib/auth/api-key-actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { Table } from "@/components/ui/table";
import { useActionRunner } from "@/components/ui/use-action-runner";

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdBy: string | null;
}

export function ApiKeyTable({ keys }: { keys: ApiKeyRow[] }) {
  const { pending, error, run } = useActionRunner();

  if (keys.length === 0) {
    return <EmptyState title="No API keys yet">Create one to let an application send events.</EmptyState>;
  }

  function revoke(key: ApiKeyRow) {
    if (!window.confirm(`Revoke "${key.name}" (${key.prefix})? Applications using it will be refused at once.`)) return;
    run(() => revokeApiKeyAction({ id: key.id }));
  }

  return (
    <div className="space-y-3">
      <FormError message={error} />
      <Table columns={["Name", "Key", "Scopes", "Created", "Last used", <span key="actions" className="sr-only">Actions</span>]}>
        {keys.map((key) => (
          <tr key={key.id} data-testid={`api-key-${key.prefix}`} className={key.revokedAt ? "text-slate-400" : "text-slate-800"}>
            <td className="py-3 pr-4 font-medium">{key.name}</td>
            <td className="py-3 pr-4 font-mono text-xs">{key.prefix}_…</td>
            <td className="py-3 pr-4">
              <div className="flex flex-wrap gap-1">
                {key.scopes.map((s) => (
                  <Badge key={s} tone={key.revokedAt ? "neutral" : "blue"}>
                    {s}
                  </Badge>
                ))}
              </div>
            </td>
            <td className="py-3 pr-4 whitespace-nowrap">
              {formatDateTime(key.createdAt)}
              {key.createdBy && <span className="block text-xs text-slate-500">by {key.createdBy}</span>}
            </td>
            <td className="py-3 pr-4 whitespace-nowrap">{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "Never"}</td>
            <td className="py-3 text-right">
              {key.revokedAt ? (
                <Badge tone="red">Revoked</Badge>
              ) : (
                <Button variant="danger" className="px-2.5 py-1" disabled={pending} onClick={() => revoke(key)} aria-label={`Revoke ${key.name}`}>
                  Revoke
                </Button>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
