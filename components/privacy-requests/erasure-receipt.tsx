import { formatDateTime } from "@/components/ui/format";
import type { ReceiptSummary } from "@/lib/privacy/receipt";

/** What an erasure removed, per kind of record. Counts only: a receipt holds no personal data. */
export function ErasureReceipt({ receipt }: { receipt: ReceiptSummary }) {
  return (
    <div data-testid="erasure-receipt" className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-950">
      <p className="font-medium">Erasure receipt{receipt.erasedAt && ` · ${formatDateTime(receipt.erasedAt)}`}</p>
      <ul className="mt-2 grid gap-x-6 gap-y-0.5 sm:grid-cols-2">
        {receipt.lines.map((l) => (
          <li key={l.table} className="flex justify-between gap-3">
            <span>{l.label}</span>
            <span className="tabular-nums font-medium">{l.count.toLocaleString("en")}</span>
          </li>
        ))}
      </ul>
      {receipt.modelVersions > 0 && (
        <p className="mt-2 text-xs">
          {receipt.modelVersions} model version{receipt.modelVersions === 1 ? " was" : "s were"} trained on data that included yours; they are marked accordingly.
        </p>
      )}
    </div>
  );
}
