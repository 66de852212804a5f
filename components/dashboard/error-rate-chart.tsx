"use client";

import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "@/components/ui/chart-frame";
import { EVENT_TYPE_COLORS } from "@/lib/dashboard/event-types";
import type { Granularity } from "@/lib/dashboard/range";
import { AXIS_TICK, bucketLabel, bucketTick, formatPercent, GRID_STROKE, wholeNumber } from "./chart-format";

export type ErrorRatePoint = { bucket: string; errorRate: number | null; error: number; total: number };

/** Errors as a share of all events per bucket; buckets without events leave a gap. */
export function ErrorRateChart({ data, granularity }: { data: ErrorRatePoint[]; granularity: Granularity }) {
  return (
    <ChartFrame label={`Error rate per ${granularity}, as a percentage of all events`}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} stroke={GRID_STROKE} />
        <XAxis dataKey="bucket" tickFormatter={(b: string) => bucketTick(b, granularity)} tick={AXIS_TICK} minTickGap={16} />
        <YAxis tick={AXIS_TICK} tickFormatter={(v: number) => `${v}%`} domain={[0, (max: number) => Math.min(100, Math.max(1, Math.ceil(max)))]} width={48} />
        <Tooltip
          labelFormatter={(b) => bucketLabel(String(b), granularity)}
          formatter={(value, _name, item) => {
            const p = item.payload as ErrorRatePoint;
            return [p.total === 0 ? "no events" : `${formatPercent(Number(value))} (${wholeNumber(p.error)} of ${wholeNumber(p.total)})`, "Error rate"];
          }}
        />
        <Line type="linear" dataKey="errorRate" name="Error rate" stroke={EVENT_TYPE_COLORS.error} strokeWidth={2} dot={data.length <= 31} isAnimationActive={false} />
      </LineChart>
    </ChartFrame>
  );
}
