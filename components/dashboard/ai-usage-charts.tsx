"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Cell, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "@/components/ui/chart-frame";
import type { ModelUsage, TokenSeries } from "@/lib/dashboard/ai-usage";
import { LATENCY_COLORS, MODEL_COLORS } from "@/lib/dashboard/event-types";
import type { Granularity } from "@/lib/dashboard/range";
import { AXIS_TICK, bucketLabel, bucketTick, compactNumber, formatMs, formatUsd, GRID_STROKE, tooltipNumber, wholeNumber } from "./chart-format";

const color = (i: number) => MODEL_COLORS[i % MODEL_COLORS.length];
const shorten = (model: string) => (model.length > 22 ? `${model.slice(0, 21)}…` : model);

/** Input + output tokens per bucket, stacked by model (the busiest models; the rest summed). */
export function AiTokensChart({ data, granularity }: { data: TokenSeries; granularity: Granularity }) {
  return (
    <ChartFrame label={`AI tokens (input and output) per ${granularity}, stacked by model`}>
      <AreaChart data={data.points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} stroke={GRID_STROKE} />
        <XAxis dataKey="bucket" tickFormatter={(b: string) => bucketTick(b, granularity)} tick={AXIS_TICK} minTickGap={16} />
        <YAxis tick={AXIS_TICK} tickFormatter={compactNumber} allowDecimals={false} width={48} />
        <Tooltip labelFormatter={(b) => bucketLabel(String(b), granularity)} formatter={tooltipNumber((n) => `${wholeNumber(n)} tokens`)} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {data.series.map((s, i) => (
          <Area key={s.key} type="linear" dataKey={s.key} name={s.label} stackId="tokens" stroke={color(i)} fill={color(i)} fillOpacity={0.35} isAnimationActive={false} />
        ))}
      </AreaChart>
    </ChartFrame>
  );
}

/** Total cost per model over the range, one bar each in the model's token-chart colour where it has one. */
export function AiCostChart({ data, seriesLabels }: { data: ModelUsage[]; seriesLabels: string[] }) {
  const colorOf = (model: string) => {
    const i = seriesLabels.indexOf(model);
    return i >= 0 ? color(i) : MODEL_COLORS[MODEL_COLORS.length - 1];
  };
  return (
    <ChartFrame label="AI cost in US dollars by model over the range">
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke={GRID_STROKE} />
        <XAxis type="number" tick={AXIS_TICK} tickFormatter={(v: number) => formatUsd(v)} />
        <YAxis type="category" dataKey="model" width={140} tick={{ ...AXIS_TICK, fill: "#334155" }} tickFormatter={shorten} interval={0} />
        <Tooltip
          formatter={(value) => [formatUsd(Number(value)), "Cost"]}
          labelFormatter={(model, payload) => {
            const m = payload[0]?.payload as ModelUsage | undefined;
            return m ? `${model} · ${wholeNumber(m.calls)} calls · ${wholeNumber(m.inputTokens)} in / ${wholeNumber(m.outputTokens)} out tokens` : String(model);
          }}
        />
        <Bar dataKey="costUsd" name="Cost" isAnimationActive={false}>
          {data.map((m) => (
            <Cell key={m.model} fill={colorOf(m.model)} />
          ))}
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}

/** Latency p50 and p95 per model. */
export function AiLatencyChart({ data }: { data: ModelUsage[] }) {
  return (
    <ChartFrame label="AI latency p50 and p95 by model over the range">
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }} barGap={1}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke={GRID_STROKE} />
        <XAxis type="number" tick={AXIS_TICK} tickFormatter={(v: number) => formatMs(v)} />
        <YAxis type="category" dataKey="model" width={140} tick={{ ...AXIS_TICK, fill: "#334155" }} tickFormatter={shorten} interval={0} />
        <Tooltip formatter={(value, name) => [formatMs(typeof value === "number" ? value : null), name]} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="latencyP50" name="p50" fill={LATENCY_COLORS.ai.p50} isAnimationActive={false} />
        <Bar dataKey="latencyP95" name="p95" fill={LATENCY_COLORS.ai.p95} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
