import "server-only";
import { writeAudit, type Actor, type AuditMetadata } from "../audit/audit";
import { db } from "../db/client";
import { lockFor, transaction } from "../db/transaction";
import { env } from "../env";
import type { ClassificationRule, Prisma } from "../db/generated/client";
import { SafeError } from "../errors";
import { compileRule, type CompiledRule, type RuleRow } from "./compiled-rule";
import { checkRegex } from "./regex-safety";
import { checkRegexRuntime } from "./regex-safety-runtime";
import { invalidateRuleCache } from "./rule-cache";
import { RULE_FIELDS, type RuleInput, type RuleView, type UpdateRuleInput } from "./rule-schema";

// Classification rules as admins keep them. Every change runs in a transaction with its audit row,
// then drops this process's rule cache; other processes reload within CLEARLOG_RULES_CACHE_MS
// (lib/classify/rule-cache.ts), so a change reaches ingestion within seconds. Priorities are unique:
// a new rule goes last, and moving a rule renumbers the list 10, 20, 30, …

export const PRIORITY_STEP = 10;
const RESOURCE = "classification_rule";
const ORDER: Prisma.ClassificationRuleOrderByWithRelationInput[] = [{ priority: "asc" }, { createdAt: "asc" }, { id: "asc" }];

export function listRules(): Promise<ClassificationRule[]> {
  return db().classificationRule.findMany({ orderBy: ORDER });
}

export function getRule(id: string): Promise<ClassificationRule | null> {
  return db().classificationRule.findUnique({ where: { id } });
}

/** What the console shows of a rule: plain data for client components. */
export function toRuleView(row: ClassificationRule): RuleView {
  const { id, name, description, priority, enabled, matchEventType, matchFieldPath, matchRegex, matchDetector, level, categories, action } = row;
  return { id, name, description, priority, enabled, matchEventType, matchFieldPath, matchRegex, matchDetector, level, categories, action, updatedAt: row.updatedAt.toISOString() };
}

/** The enabled rules, compiled in priority order, read now (not from the ingest cache). */
export async function loadCompiledRules(extraIds: readonly string[] = []): Promise<CompiledRule[]> {
  const rows = await db().classificationRule.findMany({ where: { OR: [{ enabled: true }, { id: { in: [...extraIds] } }] }, orderBy: ORDER });
  const rules: CompiledRule[] = [];
  for (const row of rows) {
    try {
      rules.push(compileRule(row));
    } catch {
      // As at ingest (rule-cache.ts): a rule broken by hand in the database is skipped.
    }
  }
  return rules;
}

/** The regex as ingestion will run it: it compiles, and it does not backtrack on adversarial texts. */
async function assertSafeRule(input: Omit<RuleRow, "id" | "priority">): Promise<void> {
  try {
    compileRule({ ...input, id: "new", priority: 0 });
  } catch (error) {
    throw new SafeError(`The regex does not compile: ${(error as Error).message}`);
  }
  if (!input.matchRegex) return;
  // The shape check again (the form ran it), for rules that did not come through the form.
  const check = checkRegex(input.matchRegex);
  const timed = check.ok ? await checkRegexRuntime(input.matchRegex) : check;
  if (!timed.ok) throw new SafeError(`The regex ${timed.message}`);
}

/** Serialises changes to the order, so concurrent creates and moves cannot share a priority. */
async function lockOrder(tx: Prisma.TransactionClient): Promise<void> {
  await lockFor(tx, "classification_rules");
}

const summary = (rule: Pick<ClassificationRule, "name" | "action" | "level">): AuditMetadata => ({ name: rule.name, action: rule.action, level: rule.level });

function audit(tx: Prisma.TransactionClient, actor: Actor, action: string, id: string, metadata: AuditMetadata) {
  return writeAudit({ actor, action: `${RESOURCE}.${action}`, resourceType: RESOURCE, resourceId: id, outcome: "success", metadata }, tx);
}

export async function createRule(input: RuleInput, actor: Actor): Promise<RuleView> {
  await assertSafeRule(input);
  const created = await transaction(async (tx) => {
    await lockOrder(tx);
    const last = await tx.classificationRule.aggregate({ _max: { priority: true } });
    const priority = (last._max.priority ?? 0) + PRIORITY_STEP;
    const row = await tx.classificationRule.create({ data: { ...input, priority, enabled: true } });
    await audit(tx, actor, "create", row.id, { ...summary(row), priority });
    return row;
  });
  invalidateRuleCache();
  return toRuleView(created);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Saves an edit. `version` is the rule's `updatedAt` as the editor loaded it: an edit made over
 * someone else's newer change is refused rather than silently overwriting it.
 */
export async function updateRule(input: UpdateRuleInput, actor: Actor): Promise<{ rule: RuleView; changed: string[] }> {
  const { id, version, ...values } = input;
  await assertSafeRule(values);
  const result = await transaction(async (tx) => {
    const current = await tx.classificationRule.findUnique({ where: { id } });
    if (!current) throw new SafeError("That rule no longer exists.", "not_found");
    const stale = new SafeError("Someone changed this rule after you opened it. Reload the page to see their change, then edit again.", "conflict");
    if (current.updatedAt.getTime() !== new Date(version).getTime()) throw stale;
    const changed = RULE_FIELDS.filter((field) => !same(current[field], values[field]));
    if (changed.length === 0) return { row: current, changed };
    const { count } = await tx.classificationRule.updateMany({ where: { id, updatedAt: current.updatedAt }, data: { ...values, updatedAt: new Date() } });
    if (count === 0) throw stale;
    const row = await tx.classificationRule.findUniqueOrThrow({ where: { id } });
    await audit(tx, actor, "update", id, { ...summary(row), changed });
    return { row, changed };
  });
  if (result.changed.length > 0) invalidateRuleCache();
  return { rule: toRuleView(result.row), changed: [...result.changed] };
}

export async function deleteRule(id: string, actor: Actor): Promise<void> {
  await transaction(async (tx) => {
    const gone = await tx.classificationRule.findUnique({ where: { id } });
    const { count } = await tx.classificationRule.deleteMany({ where: { id } });
    if (!gone || count === 0) throw new SafeError("That rule no longer exists.", "not_found");
    await audit(tx, actor, "delete", id, { ...summary(gone), priority: gone.priority });
  });
  invalidateRuleCache();
}

/** Enables or disables a rule; enabling re-checks its regex, which may predate these checks. */
export async function setRuleEnabled(id: string, enabled: boolean, actor: Actor): Promise<{ changed: boolean }> {
  const rule = await getRule(id);
  if (!rule) throw new SafeError("That rule no longer exists.", "not_found");
  if (rule.enabled === enabled) return { changed: false };
  if (enabled) await assertSafeRule(rule);
  const changed = await transaction(async (tx) => {
    // Only the state changes; the rule's content (and so its edit version) stays as it is.
    const count = await tx.$executeRaw`UPDATE classification_rules SET enabled = ${enabled} WHERE id = ${id}::uuid AND enabled = ${!enabled}`;
    if (count === 0) return false;
    await audit(tx, actor, enabled ? "enable" : "disable", id, summary(rule));
    return true;
  });
  if (changed) invalidateRuleCache();
  return { changed };
}

/**
 * Moves a rule one place up (earlier) or down in the order and renumbers every rule 10, 20, 30, …
 * so priorities stay unique. A rule already first (or last) stays where it is.
 */
export async function moveRule(id: string, direction: "up" | "down", actor: Actor): Promise<{ moved: boolean; priority: number }> {
  const result = await transaction(async (tx) => {
    await lockOrder(tx);
    const rules = await tx.classificationRule.findMany({ orderBy: ORDER, select: { id: true, name: true, priority: true, action: true, level: true } });
    const index = rules.findIndex((r) => r.id === id);
    if (index < 0) throw new SafeError("That rule no longer exists.", "not_found");
    const target = direction === "up" ? index - 1 : index + 1;
    const moving = rules[index]!;
    if (target < 0 || target >= rules.length) return { moved: false, priority: moving.priority };
    const neighbour = rules[target]!;
    [rules[index], rules[target]] = [neighbour, moving];
    let renumbered = 0;
    for (const [i, rule] of rules.entries()) {
      const priority = (i + 1) * PRIORITY_STEP;
      if (rule.priority === priority) continue;
      // Raw SQL: the order is not the rule's content, so its edit version (updated_at) stays.
      await tx.$executeRaw`UPDATE classification_rules SET priority = ${priority} WHERE id = ${rule.id}::uuid`;
      renumbered++;
    }
    const priority = (target + 1) * PRIORITY_STEP;
    await audit(tx, actor, "reorder", id, { ...summary(moving), direction, from: moving.priority, to: priority, swappedWith: neighbour.id, renumbered });
    return { moved: true, priority };
  });
  if (result.moved) invalidateRuleCache();
  return result;
}

/** How long other server processes may keep applying the previous rules, in whole seconds. */
export function ruleCacheSeconds(): number {
  return Math.max(1, Math.ceil(env().CLEARLOG_RULES_CACHE_MS / 1000));
}
