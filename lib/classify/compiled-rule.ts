import type { Classification, EventType, RuleAction } from "../db/generated/enums";
import { compileRuleRegex, RuleRegexError, type RuleRegex } from "./rule-regex";

// A classification rule ready to run: its field-path glob (JavaScript RegExp, built by us) and its
// admin-written regex (RE2, lib/classify/rule-regex.ts) compiled once.
export interface CompiledRule {
  id: string;
  name: string;
  priority: number;
  eventType: EventType | null;
  /** `*` in a field path matches any run of characters, dots included */
  path: RegExp | null;
  regex: RuleRegex | null;
  /** a detector name, `secret` (every secret detector) or `sensitive_field` (by field name) */
  detector: string | null;
  level: Classification;
  categories: string[];
  action: RuleAction;
}

export interface RuleRow {
  id: string;
  name: string;
  priority: number;
  matchEventType: EventType | null;
  matchFieldPath: string | null;
  matchRegex: string | null;
  matchDetector: string | null;
  level: Classification;
  categories: string[];
  action: RuleAction;
}

export function globToRegExp(glob: string): RegExp {
  const escaped = glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`);
}

/** Throws a message naming the problem when the rule's regex does not compile. */
export function compileRule(row: RuleRow): CompiledRule {
  let regex: RuleRegex | null = null;
  if (row.matchRegex) {
    try {
      regex = compileRuleRegex(row.matchRegex);
    } catch (error) {
      if (!(error instanceof RuleRegexError)) throw error;
      throw new Error(`regex of rule "${row.name}" does not compile: it ${error.message}`);
    }
  }
  return {
    id: row.id,
    name: row.name,
    priority: row.priority,
    eventType: row.matchEventType,
    path: row.matchFieldPath ? globToRegExp(row.matchFieldPath) : null,
    regex,
    detector: row.matchDetector,
    level: row.level,
    categories: row.categories,
    action: row.action,
  };
}
