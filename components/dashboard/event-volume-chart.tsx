"use client";

import { ChartFrame } from "@/components/ui/chart-frame";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { EVENT_TYPE_COLORS, EVENT_TYPE_LABELS, EVENT_TYPES, type DailyVolume } from "@/lib/dashboard/event-types";

export function EventVolumeChart({ data }: { data: DailyVolume[] }) {
  return (
    <ChartFrame label="Events per day for the last 7 days, stacked by type">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} tick={{ fontSize: 12, fill: "#64748b" }} />
        <YAxis tick={{ fontSize: 12, fill: "#64748b" }} allowDecimals={false} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {EVENT_TYPES.map((t) => (
          <Bar key={t} isAnimationActive={false} dataKey={t} name={EVENT_TYPE_LABELS[t]} stackId="events" fill={EVENT_TYPE_COLORS[t]} />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
