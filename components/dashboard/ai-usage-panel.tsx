import { EmptyState } from "@/components/ui/empty-state";
import { Panel } from "@/components/ui/panel";
import type { AiUsage } from "@/lib/dashboard/ai-usage";
import type { Granularity } from "@/lib/dashboard/range";
import { AiCostChart, AiLatencyChart, AiTokensChart } from "./ai-usage-charts";
import { formatUsd, wholeNumber } from "./chart-format";

export function AiUsagePanel({ ai, granularity, range }: { ai: AiUsage; granularity: Granularity; range: string }) {
  const cost = ai.models.reduce((sum, m) => sum + m.costUsd, 0);
  const tokens = ai.models.reduce((sum, m) => sum + m.inputTokens + m.outputTokens, 0);
  return (
    <Panel
      title="AI usage"
      className="mt-6"
      actions={ai.models.length > 0 && <p className="text-xs text-slate-500 tabular-nums">{`${wholeNumber(tokens)} tokens · ${formatUsd(cost)}`}</p>}
    >
      {ai.models.length === 0 ? (
        <EmptyState title={`No AI interactions in the ${range}`}>Tokens, cost and latency per model appear once applications log ai_interaction events.</EmptyState>
      ) : (
        <div className="grid grid-cols-[minmax(0,1fr)] gap-6 xl:grid-cols-2">
          <div className="xl:col-span-2">
            <h3 className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">{`Tokens per ${granularity}, by model`}</h3>
            <AiTokensChart data={ai.tokens} granularity={granularity} />
          </div>
          <div>
            <h3 className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">Cost by model</h3>
            <AiCostChart data={ai.models} seriesLabels={ai.tokens.series.map((s) => s.label)} />
          </div>
          <div>
            <h3 className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">Latency by model</h3>
            <AiLatencyChart data={ai.models} />
          </div>
        </div>
      )}
    </Panel>
  );
}
