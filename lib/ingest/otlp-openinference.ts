import type { AiFields } from "@clearlog/sdk";
import { parseMessages } from "./otlp-genai";
import { int, isObj, str, take, type Obj } from "./otlp-values";

// OpenInference (Arize Phoenix's conventions: `openinference.span.kind`, `llm.*`, `input.value`,
// `output.value`) → the `ai` part of an event. LLM and EMBEDDING spans are AI interactions; chains,
// tools, agents and retrievers stay system events. `input.value` / `output.value` repeat the request
// and the response (the request with OpenAI's `user` parameter in it): on an AI span they become the
// prompt and the response when no message list is there, and are never kept as attributes.
type Message = { role: string; content: string };

export function isOpenInferenceAi(attrs: Obj): boolean {
  const kind = str(attrs["openinference.span.kind"])?.toUpperCase();
  return kind === "LLM" || kind === "EMBEDDING";
}

/** `llm.input_messages.0.message.role` … and `….message.contents.1.message_content.text`. */
function indexedMessages(attrs: Obj, prefix: string, defaultRole: string): Message[] {
  const byIndex = new Map<number, { role?: string; parts: Map<number, string>; content?: string }>();
  const head = `${prefix}.`;
  for (const key of Object.keys(attrs)) {
    if (!key.startsWith(head)) continue;
    const m = /^(\d+)\.message\.(.+)$/.exec(key.slice(head.length));
    if (!m) continue;
    const value = take(attrs, key);
    const entry = byIndex.get(Number(m[1])) ?? { parts: new Map<number, string>() };
    byIndex.set(Number(m[1]), entry);
    const field = m[2]!;
    if (field === "role") entry.role = str(value);
    else if (field === "content") entry.content = str(value) ?? "";
    else {
      const part = /^contents\.(\d+)\.message_content\.text$/.exec(field);
      if (part) entry.parts.set(Number(part[1]), str(value) ?? "");
    }
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, e]) => ({
      role: (e.role ?? defaultRole).slice(0, 50),
      content: e.content ?? [...e.parts.entries()].sort(([a], [b]) => a - b).map(([, t]) => t).join("\n"),
    }));
}

function parse(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** The prompt messages of a raw request body (`{ messages }` or the Responses API's `{ input }`). */
function requestMessages(value: string | undefined): Message[] {
  const body = parse(value);
  if (typeof body === "string") return [{ role: "user", content: body }];
  if (!isObj(body)) return [];
  if (body.messages !== undefined) return parseMessages(body.messages, "user");
  if (body.input !== undefined) return parseMessages(body.input, "user");
  return [];
}

/** The response text of a raw response body (chat `choices`, Responses `output_text`), or the text itself. */
function responseText(value: string | undefined): string | undefined {
  const body = parse(value);
  if (typeof body === "string") return body;
  if (!isObj(body)) return undefined;
  if (typeof body.output_text === "string") return body.output_text;
  if (Array.isArray(body.choices)) return parseMessages(body.choices, "assistant").map((m) => m.content).join("\n");
  return undefined;
}

/** OpenAI's end-user parameters in the recorded invocation parameters: taken out, the rest kept. */
function invocationUser(attrs: Obj): string | undefined {
  const raw = str(attrs["llm.invocation_parameters"]);
  const params = parse(raw);
  if (!isObj(params)) return undefined;
  const user = str(params.user) ?? str(params.safety_identifier);
  delete params.user;
  delete params.safety_identifier;
  attrs["llm.invocation_parameters"] = JSON.stringify(params);
  return user;
}

/** AI fields of an OpenInference LLM/EMBEDDING span, and the end user named in its request. */
export function openInferenceFields(attrs: Obj, latencyMs: number | undefined): { ai: AiFields; user?: string } | undefined {
  const model = str(attrs["llm.model_name"]) ?? str(attrs["embedding.model_name"]);
  if (!model) return undefined;
  const kind = str(take(attrs, "openinference.span.kind"))!.toUpperCase();
  take(attrs, "llm.model_name", "embedding.model_name");
  const user = invocationUser(attrs);
  const inputValue = str(take(attrs, "input.value"));
  const outputValue = str(take(attrs, "output.value"));
  take(attrs, "input.mime_type", "output.mime_type");

  let input = indexedMessages(attrs, "llm.input_messages", "user");
  if (input.length === 0) input = requestMessages(inputValue);
  const output = indexedMessages(attrs, "llm.output_messages", "assistant");
  const response = output.length > 0 ? output.map((m) => m.content).join("\n") : responseText(outputValue);
  const lastUser = [...input].reverse().find((m) => m.role === "user") ?? input[input.length - 1];
  const inputTokens = int(take(attrs, "llm.token_count.prompt"));
  const outputTokens = int(take(attrs, "llm.token_count.completion"));
  const total = int(take(attrs, "llm.token_count.total"));
  const ai: AiFields = {
    provider: str(take(attrs, "llm.provider", "llm.system")),
    model,
    operation: kind === "EMBEDDING" ? "embeddings" : "chat",
    prompt: lastUser?.content,
    response,
    messages: input.length > 1 ? input : undefined,
    inputTokens,
    outputTokens,
    tokens: inputTokens === undefined && outputTokens === undefined ? total : undefined,
    latencyMs,
  };
  return { ai: Object.fromEntries(Object.entries(ai).filter(([, v]) => v !== undefined)) as unknown as AiFields, user };
}
