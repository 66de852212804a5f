"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "@/components/ui/chart-frame";
import type { RouteLatency } from "@/lib/dashboard/api-latency";
import { LATENCY_COLORS } from "@/lib/dashboard/event-types";
import { AXIS_TICK, formatMs, formatPercent, GRID_STROKE, wholeNumber } from "./chart-format";

const shorten = (route: string) => (route.length > 28 ? `${route.slice(0, 27)}…` : route);

/** p50 and p95 latency of the busiest routes, as grouped horizontal bars; the tooltip adds volume and 5xx share. */
export function RouteLatencyChart({ data }: { data: RouteLatency[] }) {
  return (
    <ChartFrame label="API latency p50 and p95 by route, for the busiest routes">
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }} barGap={1}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke={GRID_STROKE} />
        <XAxis type="number" tick={AXIS_TICK} tickFormatter={(v: number) => formatMs(v)} />
        <YAxis type="category" dataKey="route" width={160} tick={{ ...AXIS_TICK, fill: "#334155" }} tickFormatter={shorten} interval={0} />
        <Tooltip
          formatter={(value, name) => [formatMs(typeof value === "number" ? value : null), name]}
          labelFormatter={(route, payload) => {
            const r = payload[0]?.payload as RouteLatency | undefined;
            return r ? `${route} · ${wholeNumber(r.requests)} requests · ${formatPercent(r.serverErrorRate)} 5xx` : String(route);
          }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="p50" name="p50" fill={LATENCY_COLORS.api.p50} isAnimationActive={false} />
        <Bar dataKey="p95" name="p95" fill={LATENCY_COLORS.api.p95} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
