"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { Panel } from "@/components/ui/panel";
import { createRuleAction, updateRuleAction } from "@/lib/classify/rule-actions";
import { ruleInputSchema, type RuleView } from "@/lib/classify/rule-schema";
import { asInput, EMPTY_RULE, formStateOf, type RuleFormState } from "./rule-labels";
import { RuleForm } from "./rule-form";
import { RulePreviewPanel } from "./rule-preview-panel";
import { RuleTesterPanel } from "./rule-tester-panel";

/**
 * Creates or edits a rule. The form's values are shared with the preview and the tester, so an admin
 * can see what the rule would do before saving it. Validation runs in the browser with the same
 * schema as the server (the regex compiled by the RE2 engine that ingestion runs), then on the server again.
 */
export function RuleEditor({ rule, cacheSeconds }: { rule?: RuleView; cacheSeconds: number }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [values, setValues] = useState<RuleFormState>(rule ? formStateOf(rule) : EMPTY_RULE);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The edit version: the rule's updatedAt as loaded, then as saved.
  const version = useRef(rule?.updatedAt);

  const draft = () => ({ ...asInput(values), ...(rule ? { id: rule.id } : {}) });

  function change(patch: Partial<RuleFormState>) {
    setValues((old) => ({ ...old, ...patch }));
    setNotice(null);
  }

  function save() {
    setError(null);
    setNotice(null);
    const parsed = ruleInputSchema.safeParse(asInput(values));
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
      setFieldErrors(errors);
      setError("Check the highlighted fields.");
      return;
    }
    setFieldErrors({});
    startTransition(async () => {
      if (!rule) {
        const result = await createRuleAction(asInput(values));
        if (!result.ok) {
          setFieldErrors(result.fieldErrors ?? {});
          return setError(result.error);
        }
        router.push(`/admin/rules?created=${result.data.id}`);
        return;
      }
      const result = await updateRuleAction({ ...asInput(values), id: rule.id, version: version.current });
      if (!result.ok) {
        setFieldErrors(result.fieldErrors ?? {});
        return setError(result.error);
      }
      version.current = result.data.rule.updatedAt;
      setNotice(result.data.changed.length === 0 ? "Nothing changed." : `Saved. Ingestion applies the change within ${cacheSeconds} seconds.`);
      router.refresh();
    });
  }

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <Panel title={rule ? "Rule" : "New rule"}>
        <RuleForm
          values={values}
          onChange={change}
          onSubmit={save}
          fieldErrors={fieldErrors}
          error={error}
          notice={notice}
          pending={pending}
          submitLabel={rule ? "Save changes" : "Create rule"}
        />
      </Panel>
      <div className="space-y-6">
        <Panel title="Preview against stored events">
          <RulePreviewPanel draft={draft} />
        </Panel>
        <Panel title="Test an event">
          <RuleTesterPanel draft={draft} />
        </Panel>
      </div>
    </div>
  );
}
