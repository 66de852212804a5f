"use server";

import { z } from "zod";
import { defineAction } from "../auth/define-action";
import { deletePolicy, savePolicy } from "./policies";
import { policyIdSchema, policySchema } from "./policy-schema";
import { startRetentionRun } from "./runs";

export const savePolicyAction = defineAction(
  { name: "retention_policy.save", permission: "retention.manage", schema: policySchema, resourceType: "retention_policy" },
  async (input, { actor }) => (await savePolicy(input, actor)).id,
);

export const deletePolicyAction = defineAction(
  { name: "retention_policy.delete", permission: "retention.manage", schema: policyIdSchema, resourceType: "retention_policy" },
  async ({ id }, { actor }) => {
    await deletePolicy(id, actor);
    return id;
  },
);

export const runRetentionNowAction = defineAction(
  { name: "retention.run_now", permission: "retention.manage", schema: z.object({}), resourceType: "retention_policy" },
  async (_input, { actor }) => (await startRetentionRun(actor)).id,
);
