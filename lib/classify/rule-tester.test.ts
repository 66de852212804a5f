import { describe, expect, it } from "vitest";
import { compileRule, type CompiledRule } from "./compiled-rule";
import { DEFAULT_RULES } from "./default-rules";
import type { DraftRule } from "./rule-schema";
import { DRAFT_SUFFIX, runTester, withDraft, type TesterResult } from "./rule-tester";

// The tester's pure core: a pasted sample goes through the ingest schema, normalisation and the
// engine with the given rules; the answer lists rule and detector hits and the row as it would be stored.

const DEFAULTS: CompiledRule[] = [...DEFAULT_RULES]
  .sort((a, b) => a.priority - b.priority)
  .map((r, i) =>
    compileRule({
      id: `default-${i}`, name: r.name, priority: r.priority, matchEventType: r.matchEventType ?? null, matchFieldPath: r.matchFieldPath ?? null,
      matchRegex: r.matchRegex ?? null, matchDetector: r.matchDetector ?? null, level: r.level, categories: r.categories, action: r.action,
    }),
  );

const NOW = new Date("2026-11-27T12:00:00Z");
const options = { now: NOW, hash: (v: string) => `h${v.length.toString().padStart(11, "0")}`, maxAgeDays: 30 };
const test = (sample: unknown, rules = DEFAULTS) => runTester(typeof sample === "string" ? sample : JSON.stringify(sample), rules, options);

function ok(result: TesterResult) {
  if (result.kind === "invalid") throw new Error(`expected a result, got: ${result.error}`);
  return result;
}

const draft = (over: Partial<DraftRule> = {}): DraftRule => ({
  name: "Ticket ids", description: null, matchEventType: null, matchFieldPath: null, matchRegex: "ZX-\\d+", matchDetector: null,
  level: "internal", categories: ["business.ticket"], action: "redact", ...over,
});

describe("runTester", () => {
  it("shows the event as stored: emails hashed, phones redacted, sensitive fields dropped, nothing raw", () => {
    const result = ok(
      test({
        id: "evt-1", type: "user_action", timestamp: "2026-11-27T11:00:00Z", action: "update_profile", subject: "user-42",
        message: "mail ada@example.com or call +44 20 7946 0958", attributes: { password: "hunter2hunter2", plan: "pro" },
      }),
    );
    expect(result.kind).toBe("stored");
    expect(result.classification).toBe("restricted");
    expect(result.categories).toEqual(["system.credentials", "user.contact.email", "user.contact.phone"]);
    expect(result.rules).toEqual([
      { rule: "Email addresses", path: "message", action: "hash" },
      { rule: "Phone numbers", path: "message", action: "redact" },
      { rule: "Sensitive field names", path: "attributes.password", action: "drop_field" },
    ]);
    expect(result.detectors).toEqual([
      { detector: "email", marker: "[EMAIL]", path: "message", count: 1 },
      { detector: "phone", marker: "[PHONE]", path: "message", count: 1 },
      { detector: "sensitive_field", marker: "[SECRET]", path: "attributes.password", count: 1 },
    ]);
    expect(result.stored).toMatchObject({
      event_id: "evt-1", type: "user_action", name: "update_profile", purpose: "analytics", classification: "restricted",
      message: "mail [EMAIL:h00000000015] or call [PHONE]", subject_pseudonym: "(the subject's pseudonym)", payload: { attributes: { plan: "pro" } },
    });
    expect(result.stored).not.toHaveProperty("component");
    const text = JSON.stringify(result);
    for (const raw of ["ada@example.com", "7946 0958", "hunter2hunter2", "user-42"]) expect(text).not.toContain(raw);
    expect(result.notes).toEqual([expect.stringContaining("Consent is not applied here")]);
  });

  it("says which rule dropped an event and stores nothing", () => {
    const result = ok(test({ type: "api_request", http: { method: "GET", route: "/healthz", status: 200 } }));
    expect(result).toMatchObject({ kind: "dropped", droppedBy: "Health checks", stored: null, rules: [{ rule: "Health checks", path: "http.route", action: "drop_event" }] });
  });

  it("fills a missing id and timestamp, and says so", () => {
    const result = ok(test({ type: "system", name: "deploy" }));
    expect(result.stored?.event_id).toMatch(/^test-[0-9a-f-]{36}$/);
    expect(result.stored?.occurred_at).toBe(NOW.toISOString());
    expect(result.notes).toEqual(["The sample has no id; the tester gave it one.", "The sample has no timestamp; the tester used the current time."]);
  });

  it("reports credentials found by the mandatory pass, including in keys, by marker only", () => {
    const key = "AKIAZ7QW3ERT5YUI2OPL";
    const result = ok(test({ type: "system", name: "cfg", message: `key ${key}`, sessionId: "s-1", attributes: { [key]: { region: "eu" } } }));
    expect(result.detectors).toEqual([
      { detector: "provider_api_key", marker: "[API_KEY]", path: "message", count: 1 },
      { detector: "provider_api_key", marker: "[API_KEY]", path: "attributes.[REDACTED_KEY]", count: 1 },
    ]);
    expect(result.stored).toMatchObject({ message: "key [API_KEY]", payload: { attributes: { "[REDACTED_KEY]": { region: "eu" } } } });
    expect(JSON.stringify(result)).not.toContain(key);
  });

  it("refuses invalid JSON with the parser's reason", () => {
    expect(test('{"type": "system",')).toEqual({ kind: "invalid", error: expect.stringMatching(/^The sample is not valid JSON: .+\.$/) });
  });

  it("refuses anything but one event", () => {
    for (const sample of ["[]", "[1, 2]", "42", "null", '"event"']) expect(test(sample), sample).toMatchObject({ kind: "invalid", error: expect.stringContaining("must be one event") });
    expect(ok(test([{ type: "system", name: "one" }])).kind).toBe("stored");
  });

  it("names the invalid field as ingestion would", () => {
    expect(test({ type: "api_request", http: { method: "GET", route: "/", status: "200" } })).toEqual({ kind: "invalid", error: "The event's http.status: Invalid input: expected number, received string." });
    expect(test({ type: "api_request", http: { method: "GET", route: "/", status: 200.5 } })).toEqual({ kind: "invalid", error: "The event's http.status must be a whole number." });
    expect(test({ type: "telemetry", name: "x" })).toEqual({ kind: "invalid", error: expect.stringMatching(/^The event's type must be one of user_action, /) });
    expect(test({ type: "ai_interaction", ai: { model: "m", messages: [{ role: "", content: "hi" }] } })).toEqual({ kind: "invalid", error: "The event's ai.messages[0].role must not be empty." });
    expect(test({ type: "system" })).toEqual({ kind: "invalid", error: "The event's name is required for system events (or send action)." });
  });

  it("notes what ingestion would do with an old or future timestamp", () => {
    expect(ok(test({ type: "system", name: "old", timestamp: "2026-09-01T00:00:00Z" })).notes).toContain("Ingestion would refuse this event: its timestamp is more than 30 days old.");
    expect(ok(test({ type: "system", name: "late", timestamp: "2026-11-28T00:00:00Z" })).notes).toContain(
      "Its timestamp is more than 5 minutes ahead: ingestion would store the event at the time it is received and keep the time sent in payload.intake.",
    );
  });
});

describe("withDraft", () => {
  it("adds a new rule last and marks it unsaved", () => {
    const rules = withDraft(DEFAULTS, draft(), null);
    expect(rules.map((r) => r.name).at(-1)).toBe(`Ticket ids${DRAFT_SUFFIX}`);
    expect(rules.at(-1)?.priority).toBe(110);
    const result = ok(test({ type: "system", name: "note", message: "ticket ZX-99812" }, rules));
    expect(result.stored?.message).toBe("ticket [REDACTED]");
    expect(result.rules).toEqual([{ rule: `Ticket ids${DRAFT_SUFFIX}`, path: "message", action: "redact" }]);
    expect(result.categories).toEqual(["business.ticket"]);
  });

  it("replaces the saved version at its place in the order", () => {
    const emails = DEFAULTS.find((r) => r.name === "Email addresses")!;
    const rules = withDraft(DEFAULTS, draft({ id: emails.id, name: "Email addresses", matchRegex: null, matchDetector: "email", action: "drop_event", level: "confidential" }), emails.priority);
    expect(rules).toHaveLength(DEFAULTS.length);
    expect(rules.map((r) => r.name).indexOf(`Email addresses${DRAFT_SUFFIX}`)).toBe(DEFAULTS.indexOf(emails));
    const result = ok(test({ type: "system", name: "invite", message: "sent to bob@example.org" }, rules));
    expect(result).toMatchObject({ kind: "dropped", droppedBy: `Email addresses${DRAFT_SUFFIX}` });
  });
});
