import { EmptyState } from "@/components/ui/empty-state";
import { Panel } from "@/components/ui/panel";
import type { RouteLatency } from "@/lib/dashboard/api-latency";
import { RouteLatencyChart } from "./route-latency";
import { RouteLatencyTable } from "./route-latency-table";

export function ApiLatencyPanel({ routes, range }: { routes: RouteLatency[]; range: string }) {
  return (
    <Panel title="API latency by route (busiest 10)" className="mt-6">
      {routes.length === 0 ? (
        <EmptyState title={`No API requests in the ${range}`}>Requests sent as api_request events, or OTLP server spans, appear here by route.</EmptyState>
      ) : (
        <div className="grid grid-cols-[minmax(0,1fr)] gap-6 xl:grid-cols-2">
          <RouteLatencyChart data={routes} />
          <RouteLatencyTable rows={routes} />
        </div>
      )}
    </Panel>
  );
}
