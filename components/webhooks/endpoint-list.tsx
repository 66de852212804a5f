"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/form-error";
import { formatDateTime } from "@/components/ui/format";
import { useActionRunner } from "@/components/ui/use-action-runner";
import { deleteEndpointAction, rotateEndpointSecretAction, sendTestEventAction, setEndpointEnabledAction } from "@/lib/notifications/endpoint-actions";
import { SecretOnce } from "@/components/ui/secret-once";
import { SIGNING_SECRET_NOTE } from "./signing-secret-note";

export interface EndpointView {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  secretHint: string;
  enabled: boolean;
  createdAt: string;
}

/** The endpoints: what each hears, enable or disable, send a test event, rotate the secret, delete (confirmed). */
export function EndpointList({ endpoints }: { endpoints: EndpointView[] }) {
  const { pending, error, run } = useActionRunner();
  const [rotated, setRotated] = useState<string | null>(null);
  if (endpoints.length === 0) return <EmptyState title="No endpoints yet">Add one to tell your application about privacy requests, consent changes and erasures.</EmptyState>;
  if (rotated) return <SecretOnce secret={rotated} testId="new-webhook-secret" onDone={() => setRotated(null)}>The secret was replaced; the old one no longer signs. {SIGNING_SECRET_NOTE}</SecretOnce>;
  return (
    <div className="space-y-3">
      <FormError message={error} />
      <ul className="divide-y divide-slate-100" data-testid="webhook-endpoints">
        {endpoints.map((e) => (
          <li key={e.id} className="space-y-2 py-4">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0">
                <p className="break-all font-mono text-sm text-slate-900">{e.url}</p>
                <p className="text-xs text-slate-500">
                  {e.description ? `${e.description} · ` : ""}secret {e.secretHint} · added {formatDateTime(e.createdAt)}
                </p>
              </div>
              <Badge tone={e.enabled ? "green" : "neutral"}>{e.enabled ? "Enabled" : "Disabled"}</Badge>
            </div>
            <div className="flex flex-wrap gap-1">
              {e.eventTypes.map((t) => (
                <Badge key={t} tone="blue">
                  {t}
                </Badge>
              ))}
            </div>
            <div className="flex flex-wrap gap-2">
              <Button variant="secondary" className="px-2.5 py-1" disabled={pending || !e.enabled} onClick={() => run(() => sendTestEventAction({ id: e.id }))}>
                Send test event
              </Button>
              <Button variant="secondary" className="px-2.5 py-1" disabled={pending} onClick={() => run(() => setEndpointEnabledAction({ id: e.id, enabled: !e.enabled }))}>
                {e.enabled ? "Disable" : "Enable"}
              </Button>
              <Button
                variant="secondary"
                className="px-2.5 py-1"
                disabled={pending}
                onClick={() =>
                  run(async () => {
                    const result = await rotateEndpointSecretAction({ id: e.id });
                    if (result.ok) setRotated(result.data.secret);
                    return result;
                  })
                }
              >
                Rotate secret
              </Button>
              <ConfirmDialog trigger="Delete" title="Delete this endpoint?" confirmLabel="Delete endpoint" disabled={pending} onConfirm={() => run(() => deleteEndpointAction({ id: e.id }))}>
                <p>Clearlog stops sending to {e.url} at once, and its delivery log is deleted with it. This cannot be undone.</p>
              </ConfirmDialog>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
