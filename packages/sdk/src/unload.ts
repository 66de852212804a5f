// Page hide / unload in browsers. When the page is hidden (`visibilitychange` to "hidden": tab
// switch, app switch on mobile, often the last event a page gets) or unloaded (`pagehide`), the SDK
// sends what is queued with `fetch(…, { keepalive: true })`, a request the browser finishes after
// the page is gone.
//
// Why not `navigator.sendBeacon`: it cannot set headers, and /api/v1/events authenticates with
// `Authorization: Bearer <apiKey>` only (no key in the body or URL), so a beacon would get a 401.
// keepalive requests share a 64 KiB budget for bodies in flight (per page, in Chromium and
// Firefox), so only the oldest events that fit in one such body go; the rest stay queued and go by
// normal flushes if the page lives on (ids make the overlap harmless: the server stores each once).
// Cross-origin endpoints need CORS to allow the Authorization and Content-Type headers (the
// browser sends a preflight first).
import type { QueuedEvent } from "./queue";
import { EMPTY_BODY_BYTES } from "./transport";

/** The keepalive body budget, kept a little under 64 KiB. */
export const KEEPALIVE_MAX_BYTES = 63 * 1024;

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export interface UnloadEnvironment {
  document?: EventTargetLike & { visibilityState?: string };
  window?: EventTargetLike;
}

/** `document` and `window` when running in a browser (checked at call time), else undefined. */
export function browserEnvironment(): UnloadEnvironment | undefined {
  const { document, window } = globalThis as UnloadEnvironment;
  const env: UnloadEnvironment = {};
  if (typeof document?.addEventListener === "function") env.document = document;
  if (typeof window?.addEventListener === "function") env.window = window;
  return env.document || env.window ? env : undefined;
}

/** Calls `onHide` on `visibilitychange` to hidden and on `pagehide`; returns the function that removes the listeners. */
export function installPageHideHandlers(env: UnloadEnvironment, onHide: () => void): () => void {
  const { document: doc, window: win } = env;
  const onVisibility = () => {
    if (doc?.visibilityState === "hidden") onHide();
  };
  doc?.addEventListener("visibilitychange", onVisibility);
  win?.addEventListener("pagehide", onHide);
  return () => {
    doc?.removeEventListener("visibilitychange", onVisibility);
    win?.removeEventListener("pagehide", onHide);
  };
}

/** The oldest events whose batch body fits in `maxBytes`; an event too large on its own is skipped. */
export function keepaliveChunk(events: Iterable<QueuedEvent>, maxBytes = KEEPALIVE_MAX_BYTES, maxEvents = Infinity): QueuedEvent[] {
  const chunk: QueuedEvent[] = [];
  let size = EMPTY_BODY_BYTES;
  for (const e of events) {
    if (chunk.length >= maxEvents) break;
    if (EMPTY_BODY_BYTES + e.bytes + 1 > maxBytes) continue;
    if (size + e.bytes + 1 > maxBytes) break;
    chunk.push(e);
    size += e.bytes + 1;
  }
  return chunk;
}
