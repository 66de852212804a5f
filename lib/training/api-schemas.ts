import "server-only";
import { z } from "zod";
import { DATASET_FORMATS, FEATURE_IDS_PAGE_MAX } from "./dataset-export";

// Request shapes of the training API that are not the library's own (those are reused as they are).

export const featureSetParamsSchema = z.object({ id: z.uuid({ error: "That is not a feature set id." }) });

export const dataQuerySchema = z.object({
  format: z.enum(DATASET_FORMATS, { error: `format must be one of ${DATASET_FORMATS.join(", ")}.` }).default("parquet"),
});

export const listQuerySchema = z.object({
  limit: z.coerce.number({ error: "limit must be a number." }).int("limit must be a whole number.").min(1, "limit must be at least 1.").max(200, "limit must be at most 200.").default(50),
});

export const aliasBodySchema = z.object({
  version: z.string({ error: "version is required (the semantic version the alias should point at)." }).trim().min(1, "version is required.").max(100, "version: at most 100 characters."),
});

export const retrainQuerySchema = z.object({
  alias: z.string().trim().max(200).optional(),
});

export const featureIdsQuerySchema = z.object({
  after: z.uuid({ error: "after must be a feature id (the `next` of the previous page)." }).optional(),
  limit: z.coerce
    .number({ error: "limit must be a number." })
    .int("limit must be a whole number.")
    .min(1, "limit must be at least 1.")
    .max(FEATURE_IDS_PAGE_MAX, `limit must be at most ${FEATURE_IDS_PAGE_MAX}.`)
    .default(FEATURE_IDS_PAGE_MAX),
});
