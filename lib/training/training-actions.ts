"use server";

import { defineAction } from "../auth/define-action";
import { sectionRoles } from "../auth/roles";
import { deleteFeatureSet, rebuildFeatureSet, startExtraction } from "./extract";
import { extractionSchema, featureSetIdSchema } from "./extract-schema";
import { registerModelVersion, removeAlias, setAlias } from "./registry";
import { registerModelSchema, removeAliasSchema, setAliasSchema } from "./registry-schema";

const roles = sectionRoles("/admin/training");

export const startExtractionAction = defineAction(
  { name: "feature_set.extract", roles, schema: extractionSchema, resourceType: "feature_set" },
  async (input, { actor }) => startExtraction(input, actor),
);

export const rebuildFeatureSetAction = defineAction(
  { name: "feature_set.rebuild", roles, schema: featureSetIdSchema, resourceType: "feature_set" },
  async ({ id }, { actor }) => rebuildFeatureSet(id, actor),
);

export const deleteFeatureSetAction = defineAction(
  { name: "feature_set.delete", roles, schema: featureSetIdSchema, resourceType: "feature_set" },
  async ({ id }, { actor }) => {
    await deleteFeatureSet(id, actor);
    return id;
  },
);

export const registerModelAction = defineAction(
  { name: "model.register", roles, schema: registerModelSchema, resourceType: "model_version" },
  async (input, { actor }) => registerModelVersion(input, actor),
);

export const setAliasAction = defineAction(
  { name: "model.alias_set", roles, schema: setAliasSchema, resourceType: "model" },
  async (input, { actor }) => {
    await setAlias(input, actor);
    return input.alias;
  },
);

export const removeAliasAction = defineAction(
  { name: "model.alias_removed", roles, schema: removeAliasSchema, resourceType: "model" },
  async (input, { actor }) => {
    await removeAlias(input, actor);
    return input.alias;
  },
);
