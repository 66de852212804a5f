"use client";

import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_TICK, GRID_STROKE, wholeNumber } from "@/components/dashboard/chart-format";
import { ChartFrame } from "@/components/ui/chart-frame";

export interface ConsentBar {
  key: string;
  label: string;
  count: number;
}

/** Included subjects next to each reason for leaving people out, as horizontal bars. */
export function ExclusionsChart({ bars }: { bars: ConsentBar[] }) {
  return (
    <ChartFrame label={`Subjects included and excluded: ${bars.map((b) => `${b.label} ${b.count}`).join(", ")}`}>
      <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 24, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke={GRID_STROKE} />
        <XAxis type="number" allowDecimals={false} tick={AXIS_TICK} tickFormatter={wholeNumber} />
        <YAxis type="category" dataKey="label" tick={AXIS_TICK} width={150} />
        <Tooltip formatter={(v) => [wholeNumber(Number(v)), "Subjects"]} cursor={{ fill: "#f1f5f9" }} />
        <Bar dataKey="count" isAnimationActive={false} radius={[0, 4, 4, 0]}>
          {bars.map((b) => (
            <Cell key={b.key} fill={b.key === "included" ? "#059669" : "#f59e0b"} />
          ))}
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}
