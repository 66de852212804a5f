"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/form-error";
import { Table } from "@/components/ui/table";
import { useActionRunner } from "@/components/ui/use-action-runner";
import { deleteRuleAction, moveRuleAction, setRuleEnabledAction } from "@/lib/classify/rule-actions";
import type { RuleView } from "@/lib/classify/rule-schema";
import { ACTION_LABELS, matcherSummary } from "./rule-labels";
import { CLASSIFICATION_TONES } from "@/components/logs/event-badges";

/** The rules in the order ingestion applies them, with their switches and row actions. */
export function RulesTable({ rules, highlight }: { rules: RuleView[]; highlight?: string | null }) {
  const { pending, error, run } = useActionRunner();

  if (rules.length === 0) {
    return (
      <EmptyState title="No classification rules">
        Events are still scanned for credentials, which are never stored. Create a rule to redact, hash or drop personal data, or to set a level and categories.
      </EmptyState>
    );
  }

  function remove(rule: RuleView) {
    if (!window.confirm(`Delete the rule "${rule.name}"? Ingestion stops applying it within seconds. Events already stored are not changed.`)) return;
    run(() => deleteRuleAction({ id: rule.id }));
  }

  return (
    <div className="space-y-3">
      <FormError message={error} />
      <Table
        testId="rules-table"
        columns={["Priority", "Rule", "Matches", "Level", "Categories", "Action", "Enabled", <span key="actions" className="sr-only">Actions</span>]}
      >
        {rules.map((rule, index) => (
          <tr key={rule.id} data-testid={`rule-${rule.id}`} className={cx(rule.enabled ? "text-slate-800" : "text-slate-400", rule.id === highlight && "bg-brand-50")}>
            <td className="py-3 pr-4 tabular-nums">
              <div className="flex items-center gap-1">
                <span className="w-8">{rule.priority}</span>
                <Button variant="ghost" className="px-1.5 py-0.5" disabled={pending || index === 0} onClick={() => run(() => moveRuleAction({ id: rule.id, direction: "up" }))} aria-label={`Move ${rule.name} up`}>
                  ↑
                </Button>
                <Button
                  variant="ghost"
                  className="px-1.5 py-0.5"
                  disabled={pending || index === rules.length - 1}
                  onClick={() => run(() => moveRuleAction({ id: rule.id, direction: "down" }))}
                  aria-label={`Move ${rule.name} down`}
                >
                  ↓
                </Button>
              </div>
            </td>
            <td className="min-w-44 max-w-64 py-3 pr-4">
              <Link href={`/admin/rules/${rule.id}`} className="font-medium hover:text-brand-700 hover:underline">
                {rule.name}
              </Link>
              {rule.description && <span className="block text-xs text-slate-500">{rule.description}</span>}
            </td>
            <td className="max-w-52 break-words py-3 pr-4 font-mono text-xs">{matcherSummary(rule)}</td>
            <td className="py-3 pr-4">
              <Badge tone={rule.enabled ? (CLASSIFICATION_TONES[rule.level] ?? "neutral") : "neutral"}>{rule.level}</Badge>
            </td>
            <td className="max-w-44 break-all py-3 pr-4 font-mono text-xs">{rule.categories.join(", ") || "—"}</td>
            <td className="whitespace-nowrap py-3 pr-4">{ACTION_LABELS[rule.action] ?? rule.action}</td>
            <td className="py-3 pr-4">
              <button
                type="button"
                role="switch"
                aria-checked={rule.enabled}
                aria-label={`${rule.name} enabled`}
                disabled={pending}
                onClick={() => run(() => setRuleEnabledAction({ id: rule.id, enabled: !rule.enabled }))}
                className={cx(
                  "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors disabled:cursor-not-allowed disabled:opacity-60",
                  rule.enabled ? "bg-brand-600" : "bg-slate-300",
                )}
              >
                <span className={cx("inline-block h-5 w-5 transform rounded-full bg-white shadow transition-transform", rule.enabled ? "translate-x-5" : "translate-x-0.5")} />
              </button>
            </td>
            <td className="whitespace-nowrap py-3 text-right">
              <Link
                href={`/admin/rules/${rule.id}`}
                className="mr-2 inline-flex rounded-md px-2.5 py-1 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
                aria-label={`Edit ${rule.name}`}
              >
                Edit
              </Link>
              <Button variant="danger" className="px-2.5 py-1" disabled={pending} onClick={() => remove(rule)} aria-label={`Delete ${rule.name}`}>
                Delete
              </Button>
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
