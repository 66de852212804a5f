import { Table } from "@/components/ui/table";
import type { FeatureColumn } from "@/lib/training/definitions";
import { shortKey } from "./format-range";

function cell(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The first rows of a set, in digest order, every column as text. */
export function FeaturesPreview({ columns, rows }: { columns: readonly FeatureColumn[]; rows: { entityKey: string; features: Record<string, unknown> }[] }) {
  return (
    <Table testId="features-preview" columns={["entity_key", ...columns.map((c) => c.name)]}>
      {rows.map((r) => (
        <tr key={r.entityKey}>
          <td className="whitespace-nowrap py-2 pr-4 font-mono text-xs text-slate-500" title="pseudonym or fingerprint">
            {shortKey(r.entityKey)}
          </td>
          {columns.map((c) => (
            <td key={c.name} className="max-w-64 truncate py-2 pr-4 tabular-nums text-slate-700" title={cell(r.features[c.name])}>
              {cell(r.features[c.name])}
            </td>
          ))}
        </tr>
      ))}
    </Table>
  );
}
