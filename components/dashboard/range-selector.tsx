import Link from "next/link";
import { cx } from "@/components/ui/cx";
import { RANGE_LABELS, RANGES, type RangeKey } from "@/lib/dashboard/range";

const SHORT: Record<RangeKey, string> = { "24h": "24 hours", "7d": "7 days", "30d": "30 days" };

/** Plain links: the range lives in the URL, so a link reproduces the view. */
export function RangeSelector({ current }: { current: RangeKey }) {
  return (
    <nav aria-label="Time range" className="inline-flex rounded-md border border-slate-200 bg-white p-0.5 shadow-sm">
      {RANGES.map((r) => (
        <Link
          key={r}
          href={`/admin?range=${r}`}
          aria-current={r === current ? "page" : undefined}
          title={RANGE_LABELS[r]}
          className={cx("rounded px-3 py-1.5 text-sm font-medium", r === current ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100")}
        >
          {SHORT[r]}
        </Link>
      ))}
    </nav>
  );
}
