import { Table } from "@/components/ui/table";
import { cx } from "@/components/ui/cx";
import type { RouteLatency } from "@/lib/dashboard/api-latency";
import { formatMs, formatPercent, wholeNumber } from "./chart-format";

export function RouteLatencyTable({ rows }: { rows: RouteLatency[] }) {
  return (
    <Table columns={["Route", "Requests", "p50", "p95", "5xx"]} testId="route-latency">
      {rows.map((r) => (
        <tr key={r.route}>
          <td className="max-w-[16rem] truncate py-2 pr-4 font-mono text-xs text-slate-800" title={r.route}>
            {r.route}
          </td>
          <td className="py-2 pr-4 tabular-nums">{wholeNumber(r.requests)}</td>
          <td className="py-2 pr-4 tabular-nums">{formatMs(r.p50)}</td>
          <td className="py-2 pr-4 tabular-nums">{formatMs(r.p95)}</td>
          <td className={cx("py-2 pr-4 tabular-nums", r.serverErrorRate > 0 ? "text-red-700" : "text-slate-500")}>{formatPercent(r.serverErrorRate)}</td>
        </tr>
      ))}
    </Table>
  );
}
