import type { ReactNode } from "react";
import { cx } from "./cx";

/**
 * A horizontally scrollable table with a header row. `inset` pads cells from the edges of a card
 * (the table fills it); otherwise the table sits inside a padded panel.
 */
export function Table({ columns, children, inset = false, testId }: { columns: ReactNode[]; children: ReactNode; inset?: boolean; testId?: string }) {
  return (
    // `relative`: a visually hidden header (sr-only, absolutely positioned) stays inside the scroller
    // instead of widening the page on a phone.
    <div className="relative overflow-x-auto">
      <table className="min-w-full text-left text-sm" data-testid={testId}>
        <thead className={cx("text-xs uppercase tracking-wide text-slate-500", inset && "border-b border-slate-100")}>
          <tr>
            {columns.map((column, i) => (
              <th key={i} className={cx("py-2 font-medium", inset ? "px-4" : "pr-4")}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
