import { z } from "zod";
import { API_KEY_SCOPES } from "../../auth/api-key-scopes";
import { consentQuerySchema, consentUpdateSchema } from "../../consent/api";
import { ConsentMethod, enumValues } from "../../db/enums";
import { wireEventSchema } from "../../ingest/event-schema";
import { feedbackSchema } from "../../training/feedback-schema";
import type { Operation } from "./registry";

// Operations of the ingestion, consent, feedback and key routes. Bodies are the routes' own zod
// schemas; answers are described exactly (no unknown fields), so the contract test notices any change.

const eventResult = z.union([
  z.object({ id: z.string(), status: z.enum(["accepted", "duplicate"]) }),
  z.object({ id: z.string(), status: z.literal("dropped"), reason: z.string() }),
  z.object({ id: z.string().nullable(), status: z.literal("rejected"), field: z.string(), reason: z.string() }),
]);
/** BatchResponse of packages/sdk/src/wire.ts */
const batch = z.object({ accepted: z.number().int(), duplicates: z.number().int(), dropped: z.number().int(), rejected: z.number().int(), results: z.array(eventResult) });

/** OTLP/HTTP JSON answer: `{}`, or `partialSuccess` with the signal's counter. */
const otlpAnswer = (counter: "rejectedLogRecords" | "rejectedSpans") =>
  z.object({ partialSuccess: z.object({ [counter]: z.number().int(), errorMessage: z.string() }).optional() });
// OTLP/JSON (ExportLogsServiceRequest / ExportTraceServiceRequest); the full message is in lib/otlp/proto.
const otlpLogs = z.looseObject({ resourceLogs: z.optional(z.array(z.looseObject({ scopeLogs: z.array(z.looseObject({ logRecords: z.array(z.looseObject({})) })).optional() }))) });
const otlpTraces = z.looseObject({ resourceSpans: z.optional(z.array(z.looseObject({ scopeSpans: z.array(z.looseObject({ spans: z.array(z.looseObject({})) })).optional() }))) });

const consentState = z.object({ granted: z.boolean(), method: z.enum(enumValues(ConsentMethod)), updatedAt: z.string().nullable() });
const consent = z.object({ purposes: z.record(z.string(), consentState) });

const feedbackAnswer = z.object({ id: z.string(), status: z.enum(["accepted", "duplicate"]), trainingEligible: z.boolean() });

const whoami = z.object({
  key: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  intake: z.object({
    since: z.string(),
    refusedRecords: z.number().int(),
    refusedRequests: z.number().int(),
    byReason: z.array(z.object({ reason: z.string(), description: z.string(), records: z.number().int(), requests: z.number().int(), lastAt: z.string() })),
  }),
});

export const INGEST_OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/api/v1/events",
    summary: "Send a batch of events",
    scope: "ingest",
    body: z.object({ events: z.array(wireEventSchema) }),
    responses: {
      200: { description: "Every event stored (or a duplicate, or dropped by a rule)", schema: batch },
      207: { description: "Some events rejected, each with its field and reason", schema: batch },
      400: { description: "Every event rejected (a batch answer), or a malformed body (a problem)", schema: batch },
    },
  },
  {
    method: "post",
    path: "/api/v1/otlp/v1/logs",
    summary: "OpenTelemetry logs (OTLP/HTTP, JSON or protobuf)",
    scope: "ingest",
    body: otlpLogs,
    responses: { 200: { description: "Accepted; partialSuccess counts rejected records", schema: otlpAnswer("rejectedLogRecords") } },
  },
  {
    method: "post",
    path: "/api/v1/otlp/v1/traces",
    summary: "OpenTelemetry traces (OTLP/HTTP, JSON or protobuf)",
    scope: "ingest",
    body: otlpTraces,
    responses: { 200: { description: "Accepted; partialSuccess counts rejected spans", schema: otlpAnswer("rejectedSpans") } },
  },
  { method: "post", path: "/api/v1/consent", summary: "Read a person's consent", scope: "consent", body: consentQuerySchema, responses: { 200: { description: "Consent by purpose", schema: consent } } },
  { method: "put", path: "/api/v1/consent", summary: "Change a person's consent", scope: "consent", body: consentUpdateSchema, responses: { 200: { description: "Consent by purpose", schema: consent } } },
  {
    method: "post",
    path: "/api/v1/feedback",
    summary: "One feedback on a model version",
    scope: "feedback",
    body: feedbackSchema,
    responses: { 201: { description: "Accepted", schema: feedbackAnswer }, 200: { description: "Already stored (same id)", schema: feedbackAnswer } },
  },
  { method: "get", path: "/api/v1/whoami", summary: "The presented key's prefix, scopes and what was refused in the last day", scope: null, responses: { 200: { description: "The key", schema: whoami } } },
];
