"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "@/components/ui/chart-frame";
import { EVENT_TYPE_COLORS, EVENT_TYPE_LABELS, EVENT_TYPES, type VolumeBucket } from "@/lib/dashboard/event-types";
import type { Granularity } from "@/lib/dashboard/range";
import { AXIS_TICK, bucketLabel, bucketTick, compactNumber, GRID_STROKE, tooltipNumber, wholeNumber } from "./chart-format";

/** Events per hour or day, stacked by type. */
export function EventVolumeChart({ data, granularity }: { data: VolumeBucket[]; granularity: Granularity }) {
  return (
    <ChartFrame label={`Events per ${granularity}, stacked by type`}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} stroke={GRID_STROKE} />
        <XAxis dataKey="bucket" tickFormatter={(b: string) => bucketTick(b, granularity)} tick={AXIS_TICK} minTickGap={16} />
        <YAxis tick={AXIS_TICK} allowDecimals={false} tickFormatter={compactNumber} width={48} />
        <Tooltip labelFormatter={(b) => bucketLabel(String(b), granularity)} formatter={tooltipNumber(wholeNumber)} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {EVENT_TYPES.map((t) => (
          <Bar key={t} isAnimationActive={false} dataKey={t} name={EVENT_TYPE_LABELS[t]} stackId="events" fill={EVENT_TYPE_COLORS[t]} />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
