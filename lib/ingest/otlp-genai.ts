import type { AiFields } from "@clearlog/sdk";
import { int, isObj, str, take, type Obj } from "./otlp-values";
import { deeperThan, MAX_DEPTH } from "./sanitize";

// OpenTelemetry GenAI spans → the `ai` part of a Clearlog event. Reads the current semantic
// conventions (gen_ai.provider.name, gen_ai.input.messages / gen_ai.output.messages with `parts`,
// gen_ai.system_instructions) and the older forms still sent by many instrumentations
// (gen_ai.system, prompt_tokens / completion_tokens, span events gen_ai.user.message … gen_ai.choice,
// gen_ai.content.prompt / gen_ai.content.completion, gen_ai.prompt / gen_ai.completion attributes,
// flat or indexed as gen_ai.prompt.0.content), and OpenLLMetry's llm.request.type and llm.usage.total_tokens.
export interface SpanEvent {
  name: string;
  time: bigint | undefined;
  attrs: Obj;
}

type Message = { role: string; content: string };

const MAX_MESSAGES = 500;

/** OpenLLMetry's `llm.request.type` → gen_ai.operation.name, when the span has no operation name. */
const REQUEST_TYPES = new Map([["chat", "chat"], ["completion", "text_completion"], ["embedding", "embeddings"], ["rerank", "rerank"]]);

function parseJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (!t.startsWith("[") && !t.startsWith("{")) return v;
  try {
    const parsed = JSON.parse(t) as unknown;
    return deeperThan(parsed, MAX_DEPTH) ? v : parsed; // over-deep JSON stays text (the pipeline refuses nothing here)
  } catch {
    return v;
  }
}

/** Text of a message's content: a string, a list of parts (text parts joined; others as JSON), or JSON. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (content === undefined || content === null) return "";
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === "string" ? part : isObj(part) && part.type === "text" && typeof part.content === "string" ? part.content : isObj(part) && typeof part.text === "string" ? part.text : JSON.stringify(part)))
      .join("\n");
  }
  return JSON.stringify(content);
}

/** A message list in any of the shapes in use, as { role, content } pairs. */
export function parseMessages(value: unknown, defaultRole: string): Message[] {
  const parsed = parseJson(value);
  if (parsed === undefined || parsed === null || parsed === "") return [];
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const out: Message[] = [];
  for (const item of list) {
    if (typeof item === "string") out.push({ role: defaultRole, content: item });
    else if (isObj(item)) {
      // current: { role, parts: [{ type: "text", content }] }; system instructions: { type: "text", content }
      // older: { role, content }; a choice: { message: { role, content }, finish_reason }
      const inner = isObj(item.message) ? item.message : item;
      const role = str(inner.role) ?? defaultRole;
      const content = inner.parts !== undefined ? textOf(inner.parts) : item.type === "text" ? textOf(item.content) : textOf(inner.content);
      out.push({ role: role.slice(0, 50), content });
    }
  }
  return out;
}

/** OpenLLMetry's indexed attributes: gen_ai.prompt.0.role / gen_ai.prompt.0.content, … */
function indexed(attrs: Obj, prefix: string, defaultRole: string): Message[] {
  const byIndex = new Map<number, Obj>();
  for (const key of Object.keys(attrs)) {
    const m = new RegExp(`^${prefix.replace(/\./g, "\\.")}\\.(\\d+)\\.(.+)$`).exec(key);
    if (!m) continue;
    const entry = byIndex.get(Number(m[1])) ?? {};
    entry[m[2]!] = take(attrs, key);
    byIndex.set(Number(m[1]), entry);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, e]) => ({ role: (str(e.role) ?? defaultRole).slice(0, 50), content: textOf(e.content) }));
}

// A Map, not an object: event names come from clients, and `constructor` must not find Object's.
const EVENT_ROLES = new Map<string, string>([
  ["gen_ai.system.message", "system"],
  ["gen_ai.user.message", "user"],
  ["gen_ai.assistant.message", "assistant"],
  ["gen_ai.tool.message", "tool"],
]);

/** Messages carried by span events (event-based conventions); consumed events are marked in `used`. */
function fromEvents(events: SpanEvent[], used: Set<SpanEvent>): { input: Message[]; output: Message[] } {
  const input: Message[] = [];
  const output: Message[] = [];
  for (const event of events) {
    const content = parseJson(event.attrs["gen_ai.event.content"]); // the event body, as some SDKs put it on span events
    const body = isObj(content) ? content : event.attrs;
    const role = EVENT_ROLES.get(event.name);
    if (role) input.push(...parseMessages({ ...body, role: str(body.role) ?? role }, role));
    else if (event.name === "gen_ai.choice") output.push(...parseMessages(body, "assistant"));
    else if (event.name === "gen_ai.content.prompt") input.push(...parseMessages(event.attrs["gen_ai.prompt"], "user"));
    else if (event.name === "gen_ai.content.completion") output.push(...parseMessages(event.attrs["gen_ai.completion"], "assistant"));
    else continue;
    used.add(event);
  }
  return { input, output };
}

/** True when the span follows the GenAI conventions (any gen_ai.* attribute or event). */
export function isGenAiSpan(attrs: Obj, events: SpanEvent[]): boolean {
  return Object.keys(attrs).some((k) => k.startsWith("gen_ai.")) || events.some((e) => e.name.startsWith("gen_ai."));
}

/**
 * The `ai` fields of a GenAI span, removing what it uses from `attrs` (the rest stays as attributes).
 * Returns undefined (and leaves `attrs` alone) when the span names no model: tool executions and
 * agent steps without a model are stored as system events instead.
 */
export function genAiFields(attrs: Obj, events: SpanEvent[], latencyMs: number | undefined, used: Set<SpanEvent>): AiFields | undefined {
  const model = str(attrs["gen_ai.request.model"]) ?? str(attrs["gen_ai.response.model"]);
  if (!model) return undefined;
  take(attrs, "gen_ai.request.model");
  if (attrs["gen_ai.response.model"] === model) take(attrs, "gen_ai.response.model"); // kept when it differs (the served version)

  const system = parseMessages(take(attrs, "gen_ai.system_instructions"), "system").map((m) => ({ ...m, role: "system" }));
  let input = parseMessages(take(attrs, "gen_ai.input.messages"), "user");
  let output = parseMessages(take(attrs, "gen_ai.output.messages"), "assistant");
  if (input.length === 0 && output.length === 0) ({ input, output } = fromEvents(events, used));
  if (input.length === 0) input = [...parseMessages(take(attrs, "gen_ai.prompt"), "user"), ...indexed(attrs, "gen_ai.prompt", "user")];
  if (output.length === 0) output = [...parseMessages(take(attrs, "gen_ai.completion"), "assistant"), ...indexed(attrs, "gen_ai.completion", "assistant")];
  input = [...system, ...input];

  const lastUser = [...input].reverse().find((m) => m.role === "user") ?? input[input.length - 1];
  const ai: AiFields = {
    provider: str(take(attrs, "gen_ai.provider.name", "gen_ai.system"))?.slice(0, 100),
    model,
    operation: (str(take(attrs, "gen_ai.operation.name")) ?? REQUEST_TYPES.get(str(attrs["llm.request.type"]) ?? ""))?.slice(0, 100),
    prompt: lastUser?.content,
    response: output.length > 0 ? output.map((m) => m.content).join("\n") : undefined,
    // the whole input conversation, when there is more to it than the prompt
    messages: input.length > 1 ? input.slice(-MAX_MESSAGES) : undefined,
    inputTokens: int(take(attrs, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens")),
    outputTokens: int(take(attrs, "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens")),
    latencyMs,
    conversationId: str(take(attrs, "gen_ai.conversation.id")),
  };
  // OpenLLMetry also sends a total; it only says more than the split when there is no split
  const total = int(take(attrs, "gen_ai.usage.total_tokens", "llm.usage.total_tokens"));
  if (ai.inputTokens === undefined && ai.outputTokens === undefined) ai.tokens = total;
  return Object.fromEntries(Object.entries(ai).filter(([, v]) => v !== undefined)) as unknown as AiFields;
}
