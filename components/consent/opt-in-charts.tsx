"use client";

import { ChartFrame } from "@/components/ui/chart-frame";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";

const COLORS = ["#2f6fed", "#14b8a6", "#8b5cf6", "#f59e0b", "#ef4444", "#64748b", "#0ea5e9", "#22c55e"];

export function OptInOverTime({ data, purposes }: { data: Record<string, number | string>[]; purposes: { key: string; name: string }[] }) {
  return (
    <ChartFrame label="Share of people who granted each purpose, per day">
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} tick={{ fontSize: 12, fill: "#64748b" }} />
        <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 12, fill: "#64748b" }} />
        <Tooltip formatter={(v) => `${v}%`} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {purposes.map((p, i) => (
          <Line key={p.key} type="monotone" dataKey={p.key} name={p.name} stroke={COLORS[i % COLORS.length]} dot={false} strokeWidth={2} isAnimationActive={false} />
        ))}
      </LineChart>
    </ChartFrame>
  );
}

export function CurrentOptIn({ data }: { data: { name: string; rate: number }[] }) {
  return (
    <ChartFrame label="Share of people who currently allow each purpose">
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 48 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#e2e8f0" />
        <XAxis type="number" domain={[0, 100]} unit="%" tick={{ fontSize: 12, fill: "#64748b" }} />
        <YAxis type="category" dataKey="name" width={120} tick={{ fontSize: 12, fill: "#334155" }} />
        <Tooltip formatter={(v) => `${v}%`} />
        <Bar dataKey="rate" name="Allowed" fill="#2f6fed" isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
