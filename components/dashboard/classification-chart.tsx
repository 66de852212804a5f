"use client";

import { Cell, Legend, Pie, PieChart, Tooltip } from "recharts";
import { ChartFrame } from "@/components/ui/chart-frame";
import type { ClassificationCount } from "@/lib/dashboard/classification";
import { CLASSIFICATION_COLORS, CLASSIFICATION_LABELS } from "@/lib/dashboard/event-types";
import { wholeNumber } from "./chart-format";

/** Events per sensitivity level over the range, as a donut. */
export function ClassificationChart({ data }: { data: ClassificationCount[] }) {
  const total = data.reduce((sum, d) => sum + d.count, 0);
  const rows = data.map((d) => ({ ...d, name: CLASSIFICATION_LABELS[d.classification] }));
  return (
    <ChartFrame label="Events by classification over the range">
      <PieChart>
        <Pie data={rows} dataKey="count" nameKey="name" innerRadius="55%" outerRadius="80%" paddingAngle={1} isAnimationActive={false}>
          {rows.map((d) => (
            <Cell key={d.classification} fill={CLASSIFICATION_COLORS[d.classification]} />
          ))}
        </Pie>
        <Tooltip formatter={(value) => `${wholeNumber(Number(value))} (${total > 0 ? ((100 * Number(value)) / total).toFixed(1) : 0}%)`} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
      </PieChart>
    </ChartFrame>
  );
}
