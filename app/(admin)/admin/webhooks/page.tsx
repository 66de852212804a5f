import type { Metadata } from "next";
import { CreateEndpointForm } from "@/components/webhooks/create-endpoint-form";
import { DeliveryLog } from "@/components/webhooks/delivery-log";
import { EndpointList } from "@/components/webhooks/endpoint-list";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { listDeliveries, listEndpoints } from "@/lib/notifications/endpoints";
import { mailConfigured } from "@/lib/notifications/mail";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  await requirePageUser("webhooks.manage");
  const [endpoints, deliveries] = await Promise.all([listEndpoints(), listDeliveries({ limit: 50 })]);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Clearlog tells your application when a privacy request changes status or falls due, when a person's consent changes and when an erasure is done, so it can tell the person and erase in its own systems too (GDPR Art. 19). Deliveries are signed (Standard Webhooks) and retried with backoff."
      />
      <div className="grid gap-6 2xl:grid-cols-[24rem_minmax(0,1fr)]">
        <Panel title="Add an endpoint">
          <CreateEndpointForm />
        </Panel>
        <Panel title={`Endpoints (${endpoints.length})`}>
          <EndpointList endpoints={endpoints.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() }))} />
        </Panel>
      </div>
      <div className="mt-6">
        <Panel title="Delivery log">
          <p className="mb-3 text-sm text-slate-600" data-testid="mail-status">
            {mailConfigured() ? "E-mail to requesters is on (receipt and answer)." : "E-mail to requesters is off: set CLEARLOG_SMTP_URL to send them a receipt and the answer."}
          </p>
          <DeliveryLog
            deliveries={deliveries.map((d) => ({
              id: d.id,
              channel: d.channel,
              target: d.endpoint?.url ?? "",
              eventType: d.eventType,
              eventId: d.eventId,
              status: d.status,
              attempts: d.attempts,
              maxAttempts: d.maxAttempts,
              nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
              lastStatusCode: d.lastStatusCode,
              lastDurationMs: d.lastDurationMs,
              lastError: d.lastError,
              replay: d.replayOfId !== null,
              createdAt: d.createdAt.toISOString(),
            }))}
          />
        </Panel>
      </div>
    </>
  );
}
