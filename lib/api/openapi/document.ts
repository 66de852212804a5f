import "server-only";
import { z } from "zod";
import { INGEST_OPERATIONS } from "./ingest";
import { PRIVACY_OPERATIONS } from "./privacy";
import { openApiDocument, type Operation } from "./registry";
import { TRAINING_OPERATIONS } from "./training";
import { webhooksDocument } from "./webhooks";

/** Every domain's operations, plus this document's own. Add a domain's list here. */
export const OPERATIONS: Operation[] = [
  { method: "get", path: "/api/v1/openapi.json", summary: "This document", scope: "public", responses: { 200: { description: "OpenAPI 3.1", schema: z.looseObject({ openapi: z.literal("3.1.0"), info: z.looseObject({ title: z.string() }), paths: z.record(z.string(), z.looseObject({})) }) } } },
  ...INGEST_OPERATIONS,
  ...TRAINING_OPERATIONS,
  ...PRIVACY_OPERATIONS,
];

let built: ReturnType<typeof openApiDocument> | undefined;
export function apiDocument() {
  return (built ??= openApiDocument(OPERATIONS, webhooksDocument()));
}
