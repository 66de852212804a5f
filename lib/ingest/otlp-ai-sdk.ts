import type { AiFields } from "@clearlog/sdk";
import { parseMessages } from "./otlp-genai";
import { int, str, take, type Obj } from "./otlp-values";

// Vercel AI SDK telemetry (`experimental_telemetry: { isEnabled: true }`) → the `ai` part of an event.
// Each call gives an outer span (`ai.generateText`, `ai.streamText`, `ai.generateObject`, …: the whole
// call with its retries and tool steps) and one inner span per request to the provider
// (`ai.generateText.doGenerate`, `ai.streamText.doStream`, `ai.embed.doEmbed`, …). Only the inner span is an
// AI interaction; the outer one becomes a system event without the prompt and the response, so a call
// is stored once with its text (see docs/ingestion.md).
const CALL = /^ai\.[A-Za-z]+\.do(Generate|Stream|Embed)$/;
const OUTER = /^ai\.(generateText|streamText|generateObject|streamObject|embed|embedMany)$/;

/** Attributes carrying prompt or response text, removed from the outer span (the inner one has them). */
const CONTENT = ["ai.prompt", "ai.prompt.messages", "ai.prompt.tools", "ai.prompt.toolChoice", "ai.response.text", "ai.response.object", "ai.response.toolCalls", "ai.response.reasoning", "ai.response.files", "ai.value", "ai.values", "ai.embedding", "ai.embeddings"];

export type AiSdkSpan = "call" | "outer" | undefined;

export function aiSdkSpan(attrs: Obj): AiSdkSpan {
  const op = str(attrs["ai.operationId"]);
  if (!op) return undefined;
  if (CALL.test(op)) return "call";
  return OUTER.test(op) ? "outer" : undefined;
}

/** The outer span: its content goes (the inner span holds it), the rest stays as attributes. */
export function stripAiSdkOuter(attrs: Obj): void {
  take(attrs, ...CONTENT);
}

/** The inner span (one request to the provider) as AI fields; removes what it uses from `attrs`. */
export function aiSdkFields(attrs: Obj, latencyMs: number | undefined): AiFields | undefined {
  const model = str(attrs["ai.model.id"]) ?? str(attrs["gen_ai.request.model"]);
  if (!model) return undefined;
  const op = str(take(attrs, "ai.operationId"))!;
  take(attrs, "operation.name", "ai.model.id", "gen_ai.request.model");
  if (str(attrs["ai.response.model"]) === model) take(attrs, "ai.response.model");
  if (str(attrs["gen_ai.response.model"]) === model) take(attrs, "gen_ai.response.model");

  const input = parseMessages(take(attrs, "ai.prompt.messages"), "user");
  const text = str(take(attrs, "ai.response.text"));
  const object = str(take(attrs, "ai.response.object"));
  const toolCalls = str(attrs["ai.response.toolCalls"]);
  const lastUser = [...input].reverse().find((m) => m.role === "user") ?? input[input.length - 1];
  const inputTokens = int(take(attrs, "ai.usage.inputTokens", "ai.usage.promptTokens", "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"));
  const outputTokens = int(take(attrs, "ai.usage.outputTokens", "ai.usage.completionTokens", "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"));
  const tokens = int(take(attrs, "ai.usage.totalTokens", "ai.usage.tokens"));
  const ai: AiFields = {
    provider: str(take(attrs, "ai.model.provider", "gen_ai.system", "gen_ai.provider.name")),
    model,
    operation: op.endsWith(".doEmbed") ? "embeddings" : "chat",
    prompt: lastUser?.content,
    response: text ?? object ?? toolCalls,
    messages: input.length > 1 ? input : undefined,
    inputTokens,
    outputTokens,
    tokens: inputTokens === undefined && outputTokens === undefined ? tokens : undefined,
    latencyMs,
  };
  return Object.fromEntries(Object.entries(ai).filter(([, v]) => v !== undefined)) as unknown as AiFields;
}
