"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/form-error";
import { formatDateTime } from "@/components/ui/format";
import { Table } from "@/components/ui/table";
import { useActionRunner } from "@/components/ui/use-action-runner";
import { replayDeliveryAction } from "@/lib/notifications/endpoint-actions";

export interface DeliveryView {
  id: string;
  channel: "webhook" | "email";
  target: string;
  eventType: string;
  eventId: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  replay: boolean;
  createdAt: string;
}

const TONE: Record<DeliveryView["status"], BadgeTone> = { pending: "amber", delivered: "green", failed: "red" };

/** The last answer: an HTTP status, or why there was none (timeout, refused, SMTP error). */
function answer(d: DeliveryView): string {
  if (d.lastStatusCode) return `HTTP ${d.lastStatusCode}`;
  return d.lastError ?? (d.status === "delivered" ? "sent" : "");
}

/** Every webhook and e-mail sent: outcome, attempts, timing, the next attempt; a finished webhook can be sent again. */
export function DeliveryLog({ deliveries }: { deliveries: DeliveryView[] }) {
  const { pending, error, run } = useActionRunner();
  if (deliveries.length === 0) return <EmptyState title="Nothing sent yet">Deliveries appear here as requests, consent and erasures change.</EmptyState>;
  return (
    <div className="space-y-3">
      <FormError message={error} />
      <Table testId="delivery-log" columns={["Event", "Status", <span key="a" className="sr-only">Actions</span>]}>
        {deliveries.map((d) => (
          <tr key={d.id} className="align-top text-slate-800">
            <td className="max-w-[11rem] py-3 pr-4 sm:max-w-[22rem]">
              <span className="block font-mono text-xs break-all">{d.eventType}</span>
              <span className="block truncate text-xs text-slate-500" title={d.target}>
                {d.channel === "email" ? "E-mail to the requester" : d.target}
                {d.replay ? " · replay" : ""}
              </span>
              <span className="block text-xs text-slate-500">{formatDateTime(d.createdAt)}</span>
            </td>
            <td className="min-w-[9rem] py-3 pr-4 text-xs">
              <Badge tone={TONE[d.status]}>{d.status}</Badge>
              <span className="mt-1 block text-slate-600">
                attempt {d.attempts} of {d.maxAttempts}
                {answer(d) ? ` · ${answer(d)}` : ""}
                {d.lastDurationMs !== null ? ` · ${d.lastDurationMs} ms` : ""}
              </span>
              {d.status === "pending" && d.nextAttemptAt && <span className="block text-slate-500">next {formatDateTime(d.nextAttemptAt)}</span>}
            </td>
            <td className="py-3 text-right">
              {d.channel === "webhook" && d.status !== "pending" && (
                <Button variant="secondary" className="px-2.5 py-1" disabled={pending} onClick={() => run(() => replayDeliveryAction({ deliveryId: d.id }))} aria-label={`Send ${d.eventType} again`}>
                  Replay
                </Button>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
