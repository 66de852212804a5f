"use client";

import { FormError } from "@/components/ui/form-error";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { revokeApiKeyAction } from "@/lib/auth/api-key-actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";

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
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  if (keys.length === 0) {
    return <EmptyState title="No API keys yet">Create one to let an application send events.</EmptyState>;
  }

  function revoke(key: ApiKeyRow) {
    if (!window.confirm(`Revoke "${key.name}" (${key.prefix})? Applications using it will be refused at once.`)) return;
    setError(null);
    startTransition(async () => {
      const result = await revokeApiKeyAction({ id: key.id });
      if (!result.ok) setError(result.error);
      router.refresh();
    });
  }

  return (
    <div className="space-y-3">
      <FormError message={error} />
      <div className="overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-4 font-medium">Name</th>
              <th className="py-2 pr-4 font-medium">Key</th>
              <th className="py-2 pr-4 font-medium">Scopes</th>
              <th className="py-2 pr-4 font-medium">Created</th>
              <th className="py-2 pr-4 font-medium">Last used</th>
              <th className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
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
          </tbody>
        </table>
      </div>
    </div>
  );
}
