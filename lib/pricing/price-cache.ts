import "server-only";
import { database } from "../db/client";
import { env } from "../env";
import { priceTable, type PriceTable } from "./price-match";

// The model price table, cached like the classification rules (lib/classify/rule-cache.ts): for
// CLEARLOG_RULES_CACHE_MS (2 s by default), so an edit in the console reaches ingestion within seconds
// on every server process; the process that made the edit drops its cache at once.
let cache: { table: PriceTable; loadedAt: number } | undefined;
let loading: Promise<PriceTable> | undefined;

async function load(): Promise<PriceTable> {
  const { rows } = await database().pool.query<{ model: string; input: string; output: string }>(
    "SELECT model, input_usd_per_million AS input, output_usd_per_million AS output FROM model_prices",
  );
  const table = priceTable(rows.map((r) => ({ model: r.model, inputUsdPerMillion: Number(r.input), outputUsdPerMillion: Number(r.output) })));
  cache = { table, loadedAt: Date.now() };
  return table;
}

export async function activePrices(): Promise<PriceTable> {
  if (cache && Date.now() - cache.loadedAt < env().CLEARLOG_RULES_CACHE_MS) return cache.table;
  loading ??= load().finally(() => {
    loading = undefined;
  });
  return loading;
}

export function invalidatePriceCache(): void {
  cache = undefined;
}
