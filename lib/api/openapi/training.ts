import { z } from "zod";
import { FEATURE_TYPES } from "@/lib/training/definitions";
import { extractionSchema } from "@/lib/training/extract-schema";
import { registerModelSchema } from "@/lib/training/registry-schema";
import { aliasBodySchema, dataQuerySchema, featureIdsQuerySchema, listQuerySchema, retrainQuerySchema } from "@/lib/training/api-schemas";
import type { Operation } from "./registry";

// The training API's operations (app/api/v1/feature-sets, models, retrain-needed) and answer shapes.
const id = z.string();
const when = z.string().nullable();
const featureType = z.enum(FEATURE_TYPES);

const started = z.object({ id, job: id, rebuiltFrom: id.optional() });
const status = z.looseObject({
  id,
  featureType,
  status: z.enum(["building", "failed", "ready", "stale"]),
  job: z.looseObject({ id, status: z.string(), stage: z.string().nullable(), processed: z.number(), total: z.number().nullable() }).nullable(),
  rows: z.number(),
  subjects: z.number(),
  digest: z.string().nullable(),
  staleSince: when,
  rebuiltFrom: id.nullable(),
  rebuiltAs: z.array(id),
});
const list = z.object({
  featureSets: z.array(z.looseObject({ id, featureType, status: z.string(), rows: z.number(), subjects: z.number(), withdrawnSubjects: z.number() })),
});
const manifest = z.looseObject({
  format: z.literal("clearlog.feature-set-manifest/1"),
  featureSetId: id,
  rows: z.number(),
  columns: z.array(z.object({ name: z.string(), type: z.string(), description: z.string() })),
  subjects: z.looseObject({ included: z.number(), pseudonyms: z.array(z.string()), excluded: z.record(z.string(), z.number()) }),
  digest: z.object({ algorithm: z.literal("sha256"), value: z.string().nullable() }),
});
const models = z.object({
  models: z.array(z.looseObject({ id, name: z.string(), modelType: z.string(), versions: z.array(z.looseObject({ id, version: z.string(), isActive: z.boolean(), aliases: z.array(z.string()) })) })),
});
const lineage = z.looseObject({
  version: z.looseObject({ id, version: z.string(), isActive: z.boolean(), aliases: z.array(z.string()) }),
  taint: z.object({ tainted: z.boolean(), subjects: z.number(), withdrawnSubjects: z.number(), staleSets: z.number() }),
  featureSets: z.array(z.looseObject({ id, stale: z.boolean(), rebuiltAs: id.nullable() })),
});
const retrain = z.object({
  versions: z.array(
    z.looseObject({
      modelName: z.string(),
      version: z.string(),
      aliases: z.array(z.string()),
      withdrawnSubjects: z.number(),
      staleFeatureSets: z.array(z.looseObject({ id, rebuiltSet: z.object({ id, ready: z.boolean() }).nullable() })),
    }),
  ),
});

export const TRAINING_OPERATIONS: Operation[] = [
  { method: "get", path: "/api/v1/feature-sets", summary: "The newest feature sets", scope: "training:read", query: listQuerySchema, responses: { 200: { description: "Feature sets", schema: list } } },
  { method: "post", path: "/api/v1/feature-sets", summary: "Start an extraction (a job)", scope: "training:write", body: extractionSchema, responses: { 202: { description: "Started; poll the set", schema: started } } },
  { method: "get", path: "/api/v1/feature-sets/{id}", summary: "A set's status with its job's progress", scope: "training:read", responses: { 200: { description: "Status", schema: status } } },
  { method: "delete", path: "/api/v1/feature-sets/{id}", summary: "Delete a set no model was trained on", scope: "training:write", responses: { 204: { description: "Deleted" } } },
  { method: "get", path: "/api/v1/feature-sets/{id}/manifest", summary: "A set's manifest: columns, subjects, exclusions, digest", scope: "training:read", responses: { 200: { description: "Manifest", schema: manifest } } },
  {
    method: "get",
    path: "/api/v1/feature-sets/{id}/data",
    summary: "A set's rows, streamed (409 with the rebuilt set when stale)",
    scope: "training:read",
    query: dataQuerySchema,
    responses: { 200: { description: "CSV, JSON Lines or Parquet", contentType: "application/vnd.apache.parquet" } },
  },
  {
    method: "get",
    path: "/api/v1/feature-sets/{id}/feature-ids",
    summary: "A set's feature ids (its rows' ids), a page at a time (409 with the rebuilt set when stale)",
    scope: "training:read",
    query: featureIdsQuerySchema,
    responses: { 200: { description: "A page of ids and the cursor of the next (null at the end)", schema: z.object({ ids: z.array(id), next: id.nullable() }) } },
  },
  { method: "post", path: "/api/v1/feature-sets/{id}/rebuild", summary: "Extract the same definition and range again", scope: "training:write", responses: { 202: { description: "Started", schema: started } } },
  { method: "get", path: "/api/v1/models", summary: "Models with their versions and aliases", scope: "training:read", responses: { 200: { description: "Models", schema: models } } },
  { method: "post", path: "/api/v1/models", summary: "Register a model version", scope: "registry:write", body: registerModelSchema, responses: { 201: { description: "Registered", schema: z.object({ modelId: id, versionId: id }) } } },
  { method: "put", path: "/api/v1/models/{model}/aliases/{alias}", summary: "Point an alias at a version", scope: "registry:write", body: aliasBodySchema, responses: { 204: { description: "Moved" } } },
  { method: "delete", path: "/api/v1/models/{model}/aliases/{alias}", summary: "Remove an alias", scope: "registry:write", responses: { 204: { description: "Removed" } } },
  { method: "get", path: "/api/v1/models/{model}/versions/{version}", summary: "A version's lineage and taint", scope: "training:read", responses: { 200: { description: "Lineage", schema: lineage } } },
  { method: "get", path: "/api/v1/retrain-needed", summary: "Versions behind an alias whose data lost consent", scope: "training:read", query: retrainQuerySchema, responses: { 200: { description: "Versions", schema: retrain } } },
];
