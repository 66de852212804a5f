"use client";

import type { ReactElement } from "react";
import { ResponsiveContainer } from "recharts";

/** A chart's fixed-height box, described for screen readers, sized to its container. */
export function ChartFrame({ label, children }: { label: string; children: ReactElement }) {
  return (
    <div className="h-72" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}
