import { z } from "zod";
import type { Operation } from "./registry";

// Operations of the ingestion, consent, feedback and key routes (their bodies are parsed by their
// own modules; the document names their shapes loosely until each domain registers its schemas).
const anyObject = z.looseObject({});

export const INGEST_OPERATIONS: Operation[] = [
  { method: "post", path: "/api/v1/events", summary: "Send a batch of events", scope: "ingest", body: anyObject, responses: { 200: { description: "Per-event results", schema: anyObject }, 207: { description: "Some events rejected", schema: anyObject } } },
  { method: "post", path: "/api/v1/otlp/v1/logs", summary: "OpenTelemetry logs (OTLP/HTTP, JSON or protobuf)", scope: "ingest", body: anyObject, responses: { 200: { description: "Accepted", schema: anyObject } } },
  { method: "post", path: "/api/v1/otlp/v1/traces", summary: "OpenTelemetry traces (OTLP/HTTP, JSON or protobuf)", scope: "ingest", body: anyObject, responses: { 200: { description: "Accepted", schema: anyObject } } },
  { method: "post", path: "/api/v1/consent", summary: "Read a person's consent", scope: "consent", body: z.object({ subject: z.string() }), responses: { 200: { description: "Consent by purpose", schema: z.looseObject({ purposes: z.record(z.string(), anyObject) }) } } },
  { method: "put", path: "/api/v1/consent", summary: "Change a person's consent", scope: "consent", body: z.object({ subject: z.string(), purposes: z.record(z.string(), z.boolean()) }), responses: { 200: { description: "Consent by purpose", schema: z.looseObject({ purposes: z.record(z.string(), anyObject) }) } } },
  { method: "post", path: "/api/v1/feedback", summary: "One feedback on a model version", scope: "feedback", body: anyObject, responses: { 201: { description: "Accepted", schema: z.looseObject({ status: z.string() }) }, 200: { description: "Already stored", schema: z.looseObject({ status: z.string() }) } } },
  { method: "get", path: "/api/v1/whoami", summary: "The presented key's prefix and scopes", scope: null, responses: { 200: { description: "The key", schema: z.looseObject({ key: z.string(), scopes: z.array(z.string()) }) } } },
];
