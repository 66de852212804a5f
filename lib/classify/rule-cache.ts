import "server-only";
import { logger } from "../logger";
import { db } from "../db/client";
import { env } from "../env";
import { compileRule, type CompiledRule } from "./compiled-rule";

// Enabled rules, compiled, cached for CLEARLOG_RULES_CACHE_MS (2 s by default), so a change made in
// the console reaches ingestion within seconds on every server process; the process that made the
// change also drops its cache at once.
let cache: { rules: CompiledRule[]; loadedAt: number } | undefined;
let loading: Promise<CompiledRule[]> | undefined;

async function load(): Promise<CompiledRule[]> {
  const rows = await db().classificationRule.findMany({ where: { enabled: true }, orderBy: [{ priority: "asc" }, { createdAt: "asc" }] });
  const rules: CompiledRule[] = [];
  for (const row of rows) {
    try {
      rules.push(compileRule(row));
    } catch (error) {
      // Rules are validated when saved; one broken by hand in the database must not stop ingestion.
      logger().error({ component: "classify", rule: row.id, err: error }, "skipping a rule that does not compile");
    }
  }
  cache = { rules, loadedAt: Date.now() };
  return rules;
}

export async function activeRules(): Promise<CompiledRule[]> {
  if (cache && Date.now() - cache.loadedAt < env().CLEARLOG_RULES_CACHE_MS) return cache.rules;
  loading ??= load().finally(() => {
    loading = undefined;
  });
  return loading;
}

export function invalidateRuleCache(): void {
  cache = undefined;
}
