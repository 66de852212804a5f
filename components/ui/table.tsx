import type { ReactNode } from "react";
import { cx } from "./cx";

/** With `stacked`, rows become cards under the `sm` breakpoint: give rows and cells these classes. */
export const STACKED_ROW = "block py-3 sm:table-row sm:py-0";
export const STACKED_CELL = "block py-1 sm:table-cell sm:py-2.5 sm:pr-4";

/** A cell's column name in a `stacked` table, shown only where the header row is hidden (phones). */
export function StackedLabel({ children }: { children: ReactNode }) {
  return <span className="mb-1 block text-xs font-medium uppercase tracking-wide text-slate-500 sm:hidden">{children}</span>;
}

/**
 * A horizontally scrollable table with a header row. `inset` pads cells from the edges of a card
 * (the table fills it); otherwise the table sits inside a padded panel. `stacked` lays each row out as
 * a card on phones (no header row: cells say what they are), for tables whose cells hold controls.
 */
export function Table({
  columns,
  children,
  inset = false,
  stacked = false,
  testId,
}: {
  columns: ReactNode[];
  children: ReactNode;
  inset?: boolean;
  stacked?: boolean;
  testId?: string;
}) {
  return (
    // `relative`: a visually hidden header (sr-only, absolutely positioned) stays inside the scroller
    // instead of widening the page on a phone.
    <div className="relative overflow-x-auto">
      <table className={cx("min-w-full text-left text-sm", stacked && "block sm:table")} data-testid={testId}>
        <thead className={cx("text-xs uppercase tracking-wide text-slate-500", inset && "border-b border-slate-100", stacked && "hidden sm:table-header-group")}>
          <tr>
            {columns.map((column, i) => (
              <th key={i} className={cx("py-2 font-medium", inset ? "px-4" : "pr-4")}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={cx("divide-y divide-slate-100", stacked && "block sm:table-row-group")}>{children}</tbody>
      </table>
    </div>
  );
}
