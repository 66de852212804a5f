"use server";

import { defineAction } from "../auth/define-action";
import { deleteFeatureSet, rebuildFeatureSet, startExtraction } from "./extract";
import { extractionSchema, featureSetIdSchema } from "./extract-schema";
import { registerModelVersion, removeAlias, setAlias } from "./registry";
import { registerModelSchema, removeAliasSchema, setAliasSchema } from "./registry-schema";

const permission = "training.use";

export const startExtractionAction = defineAction(
  { name: "feature_set.extract", permission, schema: extractionSchema, resourceType: "feature_set" },
  async (input, { actor }) => startExtraction(input, actor),
);

export const rebuildFeatureSetAction = defineAction(
  { name: "feature_set.rebuild", permission, schema: featureSetIdSchema, resourceType: "feature_set" },
  async ({ id }, { actor }) => rebuildFeatureSet(id, actor),
);

export const deleteFeatureSetAction = defineAction(
  { name: "feature_set.delete", permission, schema: featureSetIdSchema, resourceType: "feature_set" },
  async ({ id }, { actor }) => {
    await deleteFeatureSet(id, actor);
    return id;
  },
);

export const registerModelAction = defineAction(
  { name: "model.register", permission, schema: registerModelSchema, resourceType: "model_version" },
  async (input, { actor }) => registerModelVersion(input, actor),
);

export const setAliasAction = defineAction(
  { name: "model.alias_set", permission, schema: setAliasSchema, resourceType: "model" },
  async (input, { actor }) => {
    await setAlias(input, actor);
    return input.alias;
  },
);

export const removeAliasAction = defineAction(
  { name: "model.alias_removed", permission, schema: removeAliasSchema, resourceType: "model" },
  async (input, { actor }) => {
    await removeAlias(input, actor);
    return input.alias;
  },
);
