// Which events a retention policy governs. A policy names a classification and, optionally, an event
// type; a typed policy takes precedence over the general one of its classification for that type,
// so each event is governed by exactly one policy (or none: kept until a policy exists).
export interface PolicyScope {
  id: string;
  classification: string;
  eventType: string | null;
  keepDays: number;
}

export interface ScopeSql {
  /** a WHERE fragment over system_logs columns; parameters start at `first` */
  where: string;
  params: unknown[];
}

/** The SQL condition for the events `policy` governs, given all enabled policies. */
export function scopeCondition(policy: PolicyScope, all: readonly PolicyScope[], first = 1): ScopeSql {
  if (policy.eventType) {
    return { where: `classification = $${first}::"Classification" AND type = $${first + 1}::"EventType"`, params: [policy.classification, policy.eventType] };
  }
  const overridden = all.filter((p) => p.classification === policy.classification && p.eventType).map((p) => p.eventType!);
  return {
    where: `classification = $${first}::"Classification" AND NOT (type::text = ANY($${first + 1}::text[]))`,
    params: [policy.classification, overridden],
  };
}

export function cutoffOf(policy: Pick<PolicyScope, "keepDays">, now: Date): Date {
  return new Date(now.getTime() - policy.keepDays * 86_400_000);
}
