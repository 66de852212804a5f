import type { StorableEvent } from "../ingest/normalize";
import { isSensitiveFieldName } from "./detectors";

// Every piece of an event that can carry text, addressed by the field path rules match on:
// `name`, `message`, `component`, `http.route`, `gen_ai.prompt`, `gen_ai.messages.0.content`,
// `error.stack`, `attributes.user.email`, … Ids and model names are covered by the secret pass only.
export interface Slot {
  path: string;
  /** the value sits under a key named like a secret (password, token, cookie, …) */
  sensitive: boolean;
  /** rules apply to it (typed id columns only get the mandatory secret pass) */
  ruled: boolean;
  /** an identifier (session, conversation id): random by design, so not scanned for unlabelled secrets */
  id?: boolean;
  get(): unknown;
  set(value: unknown): void;
  remove(): void;
}

type Container = Record<string, unknown> | unknown[];

function walk(container: Container, key: string | number, path: string, out: Slot[], underAttributes: boolean) {
  const read = () => (container as Record<string | number, unknown>)[key];
  const value = read();
  const sensitive = underAttributes && typeof key === "string" && isSensitiveFieldName(key);
  if (!sensitive && value !== null && typeof value === "object") {
    const child = value as Container;
    const keys = Array.isArray(child) ? child.map((_, i) => i) : Object.keys(child);
    for (const k of keys) walk(child, k, `${path}.${k}`, out, underAttributes);
    return;
  }
  if (!sensitive && typeof value !== "string" && !(typeof value === "number" && Math.abs(value) >= 1e12)) return;
  out.push({
    path,
    sensitive,
    ruled: true,
    get: read,
    set: (v) => {
      (container as Record<string | number, unknown>)[key] = v;
    },
    remove: () => {
      if (Array.isArray(container)) container[key as number] = null;
      else delete (container as Record<string, unknown>)[key as string];
    },
  });
}

type Column = { get(): string | null; set(v: string | null): void };

export function collectSlots(event: StorableEvent): Slot[] {
  const slots: Slot[] = [];
  const column = (path: string, ruled: boolean, c: Column, nullable = true, id = false) =>
    slots.push({
      path,
      sensitive: false,
      ruled,
      id,
      get: c.get,
      set: (v) => c.set(typeof v === "string" ? v : v === null || v === undefined ? null : JSON.stringify(v)),
      remove: () => c.set(nullable ? null : "[REMOVED]"),
    });
  column("name", true, { get: () => event.name, set: (v) => (event.name = v ?? "[REMOVED]") }, false);
  column("message", true, { get: () => event.message, set: (v) => (event.message = v) });
  column("component", true, { get: () => event.component, set: (v) => (event.component = v) });
  column("http.route", true, { get: () => event.http.route, set: (v) => (event.http.route = v) });
  for (const [key, value] of Object.entries(event.payload)) {
    if (value === undefined) continue;
    walk(event.payload, key, key, slots, key === "attributes");
  }
  column("session_id", false, { get: () => event.sessionId, set: (v) => (event.sessionId = v) }, true, true);
  column("gen_ai.conversation.id", false, { get: () => event.genAi.conversationId, set: (v) => (event.genAi.conversationId = v) }, true, true);
  column("gen_ai.request.model", false, { get: () => event.genAi.model, set: (v) => (event.genAi.model = v) });
  column("gen_ai.provider.name", false, { get: () => event.genAi.provider, set: (v) => (event.genAi.provider = v) });
  column("gen_ai.operation.name", false, { get: () => event.genAi.operation, set: (v) => (event.genAi.operation = v) });
  column("error.type", false, { get: () => event.errorType, set: (v) => (event.errorType = v) });
  column("user_agent", false, { get: () => event.userAgent, set: (v) => (event.userAgent = v) });
  return slots;
}
