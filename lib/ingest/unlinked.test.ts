import { describe, expect, it } from "vitest";
import { errorFingerprint } from "./fingerprint";
import type { StorableEvent } from "./normalize";
import { unlinkedEvent } from "./unlinked";

// What an event keeps when it is stored without its subject: nothing that names the person.
function event(overrides: Partial<StorableEvent> = {}): StorableEvent {
  return {
    eventId: "e-1",
    occurredAt: new Date("2026-12-01T10:00:00Z"),
    type: "user_action",
    severity: "info",
    name: "profile.update",
    message: null,
    component: null,
    subject: "u-4711",
    sessionId: "s-99",
    purpose: "analytics",
    userAgent: null,
    genAi: { provider: null, model: null, operation: null, conversationId: null, inputTokens: null, outputTokens: null, latencyMs: null, costUsd: null },
    http: { method: null, route: null, status: null, durationMs: null, requestSize: null, responseSize: null },
    errorType: null,
    errorFingerprint: null,
    payload: {},
    ...overrides,
  };
}

const list = (v: string | null) => (v ? [v] : []);
const ids = (e: StorableEvent) => ({ subjects: list(e.subject), sessionIds: list(e.sessionId), conversationIds: list(e.genAi.conversationId) });
const unlink = (e: StorableEvent) => unlinkedEvent(e, ids(e));

describe("unlinkedEvent", () => {
  it("clears the links and replaces the user id in every text column and payload string", () => {
    const e = event({
      name: "GET /users/u-4711",
      message: "synced u-4711 (session s-99)",
      component: "sync:u-4711",
      http: { method: "GET", route: "/users/u-4711/orders", status: 200, durationMs: 3, requestSize: null, responseSize: null },
      payload: { attributes: { who: "u-4711", note: ["owner=u-4711", { deep: "by u-4711." }], count: 3 } },
    });
    const out = unlink(e);
    expect(out).toMatchObject({ subject: null, sessionId: null, name: "GET /users/[SUBJECT]", message: "synced [SUBJECT] (session [SESSION])", component: "sync:[SUBJECT]" });
    expect(out.http.route).toBe("/users/[SUBJECT]/orders");
    expect(out.payload).toEqual({ attributes: { who: "[SUBJECT]", note: ["owner=[SUBJECT]", { deep: "by [SUBJECT]." }], count: 3 } });
    expect(JSON.stringify(out)).not.toContain("u-4711");
    // The input is not changed.
    expect(e.message).toBe("synced u-4711 (session s-99)");
  });

  it("replaces whole tokens only: the id inside a longer word stays", () => {
    const out = unlink(event({ subject: "ann", sessionId: null, message: "ann, annual report by joann; user ann_b and ann-marie", payload: { a: "Ann" } }));
    // `-` is not a word character, so `ann-marie` starts with the id as a token; `Ann` differs in case.
    expect(out.message).toBe("[SUBJECT], annual report by joann; user ann_b and [SUBJECT]-marie");
    expect(out.payload).toEqual({ a: "Ann" });
  });

  it("scrubs a one-character id wherever it is a token, and a JSON number equal to the id", () => {
    const out = unlink(event({ subject: "7", sessionId: null, message: "user 7 bought 17 items in 7 minutes", payload: { userId: 7, items: 17, list: [7, "7"] } }));
    expect(out.message).toBe("user [SUBJECT] bought 17 items in [SUBJECT] minutes");
    expect(out.payload).toEqual({ userId: "[SUBJECT]", items: 17, list: ["[SUBJECT]", "[SUBJECT]"] });
  });

  it("handles ids that begin or end with punctuation, and letters beyond ASCII as word characters", () => {
    expect(unlink(event({ subject: "@mia", message: "ping @mia and x@mia" })).message).toBe("ping [SUBJECT] and x[SUBJECT]");
    expect(unlink(event({ subject: "zoë", message: "zoë zoëlle éczoë" })).message).toBe("[SUBJECT] zoëlle éczoë");
  });

  it("renames object keys that are the id, without losing a key that already has the marker's name", () => {
    const out = unlink(event({ payload: { byUser: { "u-4711": { visits: 2 }, "[SUBJECT]": "kept" } } }));
    expect(out.payload).toEqual({ byUser: { "[SUBJECT]_2": { visits: 2 }, "[SUBJECT]": "kept" } });
  });

  it("drops the key part of every keyed hash token, whoever it belonged to", () => {
    const out = unlink(event({ message: "mail [EMAIL:3f2a9c0d1b4e] and [HASH:00ff00ff00ff]; keep [EMAIL] and [NOTE:xyz]", payload: { to: ["[PHONE:abcdefabcdef]"] } }));
    expect(out.message).toBe("mail [EMAIL] and [HASH]; keep [EMAIL] and [NOTE:xyz]");
    expect(out.payload).toEqual({ to: ["[PHONE]"] });
  });

  it("replaces a session id that contains the user id as a whole, and the conversation id", () => {
    const e = event({
      type: "ai_interaction",
      sessionId: "sess-u-4711",
      genAi: { provider: "openai", model: "gpt-4o", operation: "chat", conversationId: "conv-1", inputTokens: 1, outputTokens: 1, latencyMs: 1, costUsd: null },
      payload: { gen_ai: { prompt: "in sess-u-4711, conv-1, for u-4711" } },
    });
    const out = unlink(e);
    expect(out.genAi).toMatchObject({ conversationId: null, model: "gpt-4o", provider: "openai" });
    expect(out.payload).toEqual({ gen_ai: { prompt: "in [SESSION], [CONVERSATION], for [SUBJECT]" } });
  });

  it("computes the error fingerprint again from the scrubbed message", () => {
    const e = event({ type: "error", errorType: "LookupError", message: "no profile for u-4711", errorFingerprint: "stale" });
    const out = unlink(e);
    expect(out.message).toBe("no profile for [SUBJECT]");
    expect(out.errorFingerprint).toBe(errorFingerprint({ type: "LookupError", message: "no profile for [SUBJECT]", component: null }));
  });

  it("scrubs every session and conversation the person's events of the batch carried", () => {
    const out = unlinkedEvent(event({ message: "s-1 then s-2 in c-9" }), { subjects: ["u-4711"], sessionIds: ["s-1", "s-2"], conversationIds: ["c-9"] });
    expect(out.message).toBe("[SESSION] then [SESSION] in [CONVERSATION]");
  });

  it("with no id known, still drops hash tokens and leaves the rest alone", () => {
    const out = unlinkedEvent(event({ message: "u-4711 wrote [EMAIL:3f2a9c0d1b4e]" }), { subjects: [], sessionIds: [], conversationIds: [] });
    expect(out.message).toBe("u-4711 wrote [EMAIL]");
  });
});
