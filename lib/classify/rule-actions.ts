"use server";

import { defineAction } from "../auth/define-action";
import { previewRule } from "./rule-preview";
import { draftRuleSchema, moveRuleSchema, ruleIdSchema, ruleInputSchema, setEnabledSchema, testEventSchema, updateRuleSchema } from "./rule-schema";
import { testSampleEvent } from "./rule-tester";
import { createRule, deleteRule, moveRule, setRuleEnabled, updateRule } from "./rules";

// The classification-rule server actions: admins only, each input validated by its schema in
// rule-schema.ts (shared with the forms). Mutations audit themselves in lib/classify/rules.ts;
// the tester and the preview only read and never store anything.
const base = { permission: "rules.manage", resourceType: "classification_rule" } as const;

export const createRuleAction = defineAction({ ...base, name: "classification_rule.create", schema: ruleInputSchema }, (input, { actor }) => createRule(input, actor));

export const updateRuleAction = defineAction({ ...base, name: "classification_rule.update", schema: updateRuleSchema }, (input, { actor }) => updateRule(input, actor));

export const deleteRuleAction = defineAction({ ...base, name: "classification_rule.delete", schema: ruleIdSchema }, async ({ id }, { actor }) => {
  await deleteRule(id, actor);
  return { id };
});

export const setRuleEnabledAction = defineAction({ ...base, name: "classification_rule.set_enabled", schema: setEnabledSchema }, ({ id, enabled }, { actor }) =>
  setRuleEnabled(id, enabled, actor),
);

export const moveRuleAction = defineAction({ ...base, name: "classification_rule.reorder", schema: moveRuleSchema }, ({ id, direction }, { actor }) => moveRule(id, direction, actor));

export const testEventAction = defineAction({ ...base, name: "classification_rule.test", schema: testEventSchema }, (input) => testSampleEvent(input));

export const previewRuleAction = defineAction({ ...base, name: "classification_rule.preview", schema: draftRuleSchema }, (input) => previewRule(input));
