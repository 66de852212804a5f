import type { AiFields } from "@clearlog/sdk";
import { aiSdkFields, aiSdkSpan, stripAiSdkOuter } from "./otlp-ai-sdk";
import { genAiFields, isGenAiSpan, type SpanEvent } from "./otlp-genai";
import { isOpenInferenceAi, openInferenceFields } from "./otlp-openinference";
import { str, take, type Obj } from "./otlp-values";

// Which LLM instrumentation wrote a span, and its AI fields. Checked in this order, since the AI SDK's
// inner span also carries gen_ai.* attributes and OpenLLMetry writes gen_ai.* too:
//   1. Vercel AI SDK (`ai.operationId`): the inner `…doGenerate` / `…doStream` / `…doEmbed` span is the AI
//      interaction; the outer `ai.generateText` … span is stored as a system event without its content.
//   2. OpenInference (`openinference.span.kind` LLM or EMBEDDING).
//   3. OpenTelemetry GenAI conventions, current and legacy, as OpenLLMetry and others send them.
export type AiSpan = { kind: "ai"; ai: AiFields; user?: string } | { kind: "outer" } | undefined;

export function aiOfSpan(attrs: Obj, events: SpanEvent[], latencyMs: number | undefined, used: Set<SpanEvent>): AiSpan {
  const sdk = aiSdkSpan(attrs);
  if (sdk === "outer") {
    stripAiSdkOuter(attrs);
    return { kind: "outer" };
  }
  if (sdk === "call") {
    const ai = aiSdkFields(attrs, latencyMs);
    if (ai) return { kind: "ai", ai };
  }
  if (isOpenInferenceAi(attrs)) {
    const found = openInferenceFields(attrs, latencyMs);
    if (found) return { kind: "ai", ...found };
  }
  if (isGenAiSpan(attrs, events)) {
    const ai = genAiFields(attrs, events, latencyMs, used);
    if (ai) return { kind: "ai", ai };
  }
  return undefined;
}

/** Where instrumentations put the application's user id besides user.id / enduser.id. */
const USER_KEYS = [
  "ai.telemetry.metadata.userId",
  "ai.telemetry.metadata.userID",
  "ai.telemetry.metadata.user_id",
  "traceloop.association.properties.user_id",
  "traceloop.association.properties.userId",
  "llm.user", // OpenLLMetry: OpenAI's `user` parameter
  "gen_ai.openai.request.user",
  "langfuse.user.id",
];
const SESSION_KEYS = [
  "ai.telemetry.metadata.sessionId",
  "ai.telemetry.metadata.session_id",
  "traceloop.association.properties.session_id",
  "traceloop.association.properties.sessionId",
  "langfuse.session.id",
];

/** The user and session ids an instrumentation names in its own attributes; all of them are removed. */
export function subjectHints(attrs: Obj): { subject?: string; sessionId?: string } {
  return { subject: str(take(attrs, ...USER_KEYS)), sessionId: str(take(attrs, ...SESSION_KEYS)) };
}
