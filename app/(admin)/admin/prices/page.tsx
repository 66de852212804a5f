import type { Metadata } from "next";
import { PriceForm } from "@/components/pricing/price-form";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { requirePageUser } from "@/lib/auth/current-user";
import { listPrices } from "@/lib/pricing/prices";

export const metadata: Metadata = { title: "Model prices" };

export default async function PricesPage() {
  await requirePageUser("prices.manage");
  const prices = await listPrices();
  const today = new Date().toISOString().slice(0, 10);
  return (
    <>
      <PageHeader
        title="Model prices"
        description="USD per million tokens. When an application sends an AI interaction without a cost, Clearlog computes it from this table: the model name, or the longest name that starts it (gpt-4o prices gpt-4o-2024-08-06). Changes apply to events received from now on."
      />
      <div className="space-y-6">
        <Panel title="Prices">
          {prices.length === 0 && <EmptyState title="No price yet">AI interactions are stored without a computed cost until their model has a price. Add one below.</EmptyState>}
          <div className="divide-y divide-slate-100">
            {prices.map((p) => (
              <PriceForm
                key={`${p.id}-${p.updatedAt.getTime()}`}
                initial={{ id: p.id, model: p.model, provider: p.provider ?? "", inputUsdPerMillion: p.inputUsdPerMillion, outputUsdPerMillion: p.outputUsdPerMillion, effectiveFrom: p.effectiveFrom }}
              />
            ))}
          </div>
          <h3 className="mt-6 text-sm font-semibold text-slate-800">Add a price</h3>
          <PriceForm initial={{ model: "", provider: "", inputUsdPerMillion: 0, outputUsdPerMillion: 0, effectiveFrom: today }} />
        </Panel>
      </div>
    </>
  );
}
