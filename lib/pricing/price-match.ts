// Which price applies to a model name, and what a call cost. Pure (the rows come from
// lib/pricing/price-cache.ts). A price row names a model or a family prefix: `gpt-4o` prices
// `gpt-4o-2024-08-06`, and the longest matching name wins, so `gpt-4o-mini-2024-07-18` takes the
// `gpt-4o-mini` row. A prefix only matches at a word boundary (`-`, `:`, `@`, `_` or the end), so
// `o3` never prices `o3x`. Names compare case-insensitively with `3.5` and `3-5` alike
// (`claude-3.5-sonnet` = `claude-3-5-sonnet`), and a vendor prefix is tried off
// (`anthropic.claude-3-5-sonnet-20240620-v1:0` on Bedrock, `openai/gpt-4o` on routers, `models/gemini-2.0-flash`).
export interface ModelPriceRow {
  model: string;
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
}

export interface PriceTable {
  /** normalized name → price, longest names first */
  entries: [string, ModelPriceRow][];
}

const key = (name: string) => name.trim().toLowerCase().replace(/(\d)\.(\d)/g, "$1-$2");

export function priceTable(rows: readonly ModelPriceRow[]): PriceTable {
  return { entries: rows.map((r): [string, ModelPriceRow] => [key(r.model), r]).sort(([a], [b]) => b.length - a.length) };
}

function lookup(table: PriceTable, name: string): ModelPriceRow | undefined {
  for (const [prefix, row] of table.entries) {
    if (name === prefix) return row;
    if (name.startsWith(prefix) && /[-:@_]/.test(name[prefix.length]!)) return row;
  }
  return undefined;
}

export function priceFor(table: PriceTable, model: string): ModelPriceRow | undefined {
  const name = key(model);
  const candidates = [name, name.slice(name.lastIndexOf("/") + 1)];
  const vendor = /^[a-z]+\.(.+)$/.exec(candidates[1]!);
  if (vendor) candidates.push(vendor[1]!);
  for (const c of candidates) {
    const found = lookup(table, c);
    if (found) return found;
  }
  return undefined;
}

/**
 * USD for a call, rounded to the column's 6 decimals; undefined when no price applies or no token
 * count is known. A count that is missing counts as zero (a total without a split counts as output,
 * as everywhere else in ingestion).
 */
export function costOf(table: PriceTable, model: string | null, inputTokens: number | null, outputTokens: number | null): number | undefined {
  if (!model || (inputTokens === null && outputTokens === null)) return undefined;
  const price = priceFor(table, model);
  if (!price) return undefined;
  const usd = ((inputTokens ?? 0) * price.inputUsdPerMillion + (outputTokens ?? 0) * price.outputUsdPerMillion) / 1_000_000;
  return Math.round(usd * 1e6) / 1e6;
}
