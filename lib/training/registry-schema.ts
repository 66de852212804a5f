import { z } from "zod";

// Semantic Versioning 2.0.0, as semver.org gives it.
export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

/** The documented registerModel input (snake_case, as in the product documentation). */
export const registerModelSchema = z.object({
  model_name: z
    .string({ error: "model_name is required." })
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, "model_name: up to 80 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit."),
  model_type: z.string({ error: "model_type is required." }).trim().min(1, "model_type is required.").max(60, "model_type: at most 60 characters."),
  model_version: z.string({ error: "model_version is required." }).trim().regex(SEMVER, "model_version must be a semantic version such as 1.2.0."),
  model_description: z.string().trim().max(2000, "model_description: at most 2,000 characters.").optional(),
  feature_sets: z
    .array(z.uuid({ error: "feature_sets must hold feature set ids." }), { error: "feature_sets must be a list of feature set ids." })
    .min(1, "feature_sets: name at least one feature set the version was trained on.")
    .max(20, "feature_sets: at most 20."),
  is_active: z.boolean({ error: "is_active must be true or false." }).default(false),
  metrics: z.record(z.string().min(1).max(60), z.number({ error: "metrics values must be numbers." }).finite()).default({}),
  parameters: z.record(z.string().min(1).max(60), z.json()).default({}),
  tags: z.array(z.string().trim().min(1).max(40, "tags: at most 40 characters each.")).max(20, "tags: at most 20.").default([]),
  artifact_uri: z
    .string()
    .trim()
    .max(500, "artifact_uri: at most 500 characters.")
    .regex(/^[a-z][a-z0-9+.-]*:\/\/\S+$/i, "artifact_uri must be a URI such as s3://models/name/1.0.0.")
    .optional(),
});
export type RegisterModelInput = z.input<typeof registerModelSchema>;

export const ALIAS = /^[a-z][a-z0-9-]{0,29}$/;

export const setAliasSchema = z.object({
  modelId: z.uuid({ error: "That is not a model id." }),
  alias: z.string().trim().regex(ALIAS, "alias: up to 30 lowercase letters, digits or dashes, starting with a letter (e.g. production)."),
  versionId: z.uuid({ error: "Choose a version." }),
});

export const removeAliasSchema = setAliasSchema.pick({ modelId: true, alias: true });
