import "server-only";
import type { Classification, EventType } from "../db/enums";
import { sql, type Sql } from "../db/sql";

// Which events a retention policy governs. A policy names a classification and, optionally, an event
// type; a typed policy takes precedence over the general one of its classification for that type,
// so each event is governed by exactly one policy (or none: kept until a policy exists).
export interface PolicyScope {
  id: string;
  classification: Classification;
  eventType: EventType | null;
  keepDays: number;
}

/** The event types of `policy`'s classification that a typed policy governs instead (none for a typed policy). */
export function overriddenTypes(policy: PolicyScope, all: readonly PolicyScope[]): EventType[] {
  if (policy.eventType) return [];
  return all.filter((p) => p.classification === policy.classification && p.eventType).map((p) => p.eventType!);
}

/** The SQL condition (over system_logs columns) for the events `policy` governs, given all enabled policies. */
export function scopeCondition(policy: PolicyScope, all: readonly PolicyScope[]): Sql {
  if (policy.eventType) return sql`classification = ${policy.classification}::"Classification" AND type = ${policy.eventType}::"EventType"`;
  return sql`classification = ${policy.classification}::"Classification" AND NOT (type::text = ANY(${overriddenTypes(policy, all)}::text[]))`;
}

export function cutoffOf(policy: Pick<PolicyScope, "keepDays">, now: Date): Date {
  return new Date(now.getTime() - policy.keepDays * 86_400_000);
}
