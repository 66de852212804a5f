"use client";

import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { inputClass } from "@/components/ui/text-field";
import { MAX_REGEX_LENGTH } from "@/lib/classify/rule-regex";
import { RULE_ACTIONS, RULE_DETECTORS, RULE_EVENT_TYPES, RULE_LEVELS } from "@/lib/classify/rule-schema";
import { EVENT_TYPE_LABELS } from "@/lib/dashboard/event-types";
import { ACTION_HELP, ACTION_LABELS, DETECTOR_LABELS, type RuleFormState } from "./rule-labels";

type Field = keyof RuleFormState;

/** Fields whose row shows a hint under the input. */
const HINTED: ReadonlySet<Field> = new Set(["matchFieldPath", "matchRegex", "action", "categories"]);
const describedBy = (field: Field, error: string | undefined) => (error ? `rule-${field}-error` : HINTED.has(field) ? `rule-${field}-hint` : undefined);

function Row({ id, label, hint, error, children }: { id: string; label: string; hint?: ReactNode; error?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** The fields of a rule, controlled by the editor (which shares them with the preview and the tester). */
export function RuleForm({
  values,
  onChange,
  onSubmit,
  fieldErrors,
  error,
  notice,
  pending,
  submitLabel,
}: {
  values: RuleFormState;
  onChange: (patch: Partial<RuleFormState>) => void;
  onSubmit: () => void;
  fieldErrors: Partial<Record<string, string>>;
  error: string | null;
  notice: string | null;
  pending: boolean;
  submitLabel: string;
}) {
  const input = (field: Field, extra: { placeholder?: string; maxLength?: number; mono?: boolean } = {}) => (
    <input
      id={`rule-${field}`}
      name={field}
      value={values[field]}
      onChange={(e) => onChange({ [field]: e.target.value })}
      placeholder={extra.placeholder}
      maxLength={extra.maxLength}
      aria-invalid={Boolean(fieldErrors[field])}
      aria-describedby={describedBy(field, fieldErrors[field])}
      className={`${inputClass}${extra.mono ? " font-mono" : ""}`}
      spellCheck={extra.mono ? false : undefined}
    />
  );
  const select = (field: Field, options: readonly string[], labels: Record<string, string>, empty?: string) => (
    <select
      id={`rule-${field}`}
      name={field}
      value={values[field]}
      onChange={(e) => onChange({ [field]: e.target.value })}
      aria-invalid={Boolean(fieldErrors[field])}
      aria-describedby={describedBy(field, fieldErrors[field])}
      className={inputClass}
    >
      {empty !== undefined && <option value="">{empty}</option>}
      {options.map((o) => (
        <option key={o} value={o}>
          {labels[o] ?? o}
        </option>
      ))}
    </select>
  );

  return (
    <form
      aria-label="Rule"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <FormError message={error} />
      {notice && (
        <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {notice}
        </p>
      )}
      <Row id="rule-name" label="Name" error={fieldErrors.name}>
        {input("name", { maxLength: 100, placeholder: "e.g. Support ticket numbers" })}
      </Row>
      <Row id="rule-description" label="Description (optional)" error={fieldErrors.description}>
        {input("description", { maxLength: 500 })}
      </Row>
      <fieldset className="space-y-4 rounded-md border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold text-slate-800">Matches (at least one)</legend>
        <Row id="rule-matchEventType" label="Event type" error={fieldErrors.matchEventType}>
          {select("matchEventType", RULE_EVENT_TYPES, EVENT_TYPE_LABELS, "Any type")}
        </Row>
        <Row
          id="rule-matchFieldPath"
          label="Field path"
          hint={<>message, name, http.route, gen_ai.prompt, attributes.user.email … — * matches anything, dots included</>}
          error={fieldErrors.matchFieldPath}
        >
          {input("matchFieldPath", { maxLength: 200, placeholder: "any field", mono: true })}
        </Row>
        <Row
          id="rule-matchRegex"
          label="Regex"
          hint={`RE2 syntax (linear-time: no lookaround or backreferences; (?i) for any case), at most ${MAX_REGEX_LENGTH} characters. Only the matching text is acted on.`}
          error={fieldErrors.matchRegex}
        >
          {input("matchRegex", { maxLength: MAX_REGEX_LENGTH, placeholder: "e.g. ZX-\\d{4,8}", mono: true })}
        </Row>
        <Row id="rule-matchDetector" label="Detector" error={fieldErrors.matchDetector}>
          {select("matchDetector", RULE_DETECTORS, DETECTOR_LABELS, "No detector")}
        </Row>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <Row id="rule-level" label="Level" error={fieldErrors.level}>
          {select("level", RULE_LEVELS, {})}
        </Row>
        <Row id="rule-action" label="Action" hint={ACTION_HELP[values.action]} error={fieldErrors.action}>
          {select("action", RULE_ACTIONS, ACTION_LABELS)}
        </Row>
      </div>
      <Row id="rule-categories" label="Categories" hint="Comma-separated taxonomy paths, such as user.contact.email, business.ticket" error={fieldErrors.categories}>
        {input("categories", { placeholder: "user.contact.email", mono: true })}
      </Row>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}
