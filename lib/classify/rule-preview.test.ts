import { describe, expect, it } from "vitest";
import { compileRule, type RuleRow } from "./compiled-rule";
import { previewAgainst, PREVIEW_SAMPLES, type StoredEventRow } from "./rule-preview";

// A rule run alone over stored rows: how many it would match, where, and excerpts with the match
// replaced by its marker, whatever the rule's action.

const rule = (over: Partial<RuleRow>) =>
  compileRule({ id: "r", name: "Draft", priority: 0, matchEventType: null, matchFieldPath: null, matchRegex: null, matchDetector: null, level: "internal", categories: [], action: "redact", ...over });

let n = 0;
const row = (over: Partial<StoredEventRow> = {}): StoredEventRow => ({
  eventId: `evt-${n++}`, occurredAt: new Date("2026-11-27T10:00:00Z"), type: "user_action", severity: "info", name: "checkout", message: null, component: null,
  sessionId: null, purpose: "analytics", categories: [], genAiProviderName: null, genAiRequestModel: null, genAiOperationName: null, genAiConversationId: null,
  httpRoute: null, errorType: null, payload: {}, ...over,
});

describe("previewAgainst", () => {
  it("counts matching events by field path and shows the match as a marker, never the value", () => {
    const rows = [
      row({ message: "refund for ticket ZX-4411 approved" }),
      row({ payload: { attributes: { ref: "ZX-981", other: "x" } } }),
      row({ message: "nothing here" }),
      row({ message: "ZX-1 and ZX-2", payload: { attributes: { ref: "ZX-3" } } }),
    ];
    const result = previewAgainst(rule({ matchRegex: "ZX-\\d+", action: "drop_event" }), rows);
    expect(result).toMatchObject({ kind: "ok", scanned: 4, matched: 3, days: 7, alreadyClassified: null });
    if (result.kind !== "ok") return;
    expect(result.paths).toEqual([
      { path: "attributes.ref", count: 2 },
      { path: "message", count: 2 },
    ]);
    expect(result.samples.map((s) => [s.eventId, s.path, s.excerpt])).toEqual([
      [rows[0]!.eventId, "message", "refund for ticket [REDACTED] approved"],
      [rows[1]!.eventId, "attributes.ref", "[REDACTED]"],
      [rows[3]!.eventId, "message", "[REDACTED] and [REDACTED]"],
    ]);
    expect(JSON.stringify(result)).not.toMatch(/ZX-\d/);
  });

  it("keeps to the rule's field path and event type", () => {
    const rows = [row({ message: "ZX-1" }), row({ type: "system", payload: { attributes: { ref: "ZX-2" } } }), row({ payload: { attributes: { ref: "ZX-3" } } })];
    const result = previewAgainst(rule({ matchRegex: "ZX-\\d+", matchFieldPath: "attributes.*", matchEventType: "user_action" }), rows);
    expect(result).toMatchObject({ matched: 1, paths: [{ path: "attributes.ref", count: 1 }] });
  });

  it("cuts long texts to an excerpt around the match and limits the samples", () => {
    const long = `${"a".repeat(300)} ZX-77 ${"b".repeat(300)}`;
    const result = previewAgainst(rule({ matchRegex: "ZX-\\d+" }), Array.from({ length: 9 }, () => row({ message: long })));
    if (result.kind !== "ok") throw new Error("expected a preview");
    expect(result.matched).toBe(9);
    expect(result.samples).toHaveLength(PREVIEW_SAMPLES);
    const excerpt = result.samples[0]!.excerpt;
    expect(excerpt).toMatch(/^…a+ \[REDACTED\] b+…$/);
    expect(excerpt.length).toBeLessThan(170);
  });

  it("uses the detector's marker and counts events already carrying the detector's category", () => {
    const rows = [row({ message: "write to ada@example.com" }), row({ message: "mail [EMAIL:0123456789ab]", categories: ["user.contact.email"] }), row({ message: "none" })];
    const result = previewAgainst(rule({ matchDetector: "email", action: "hash" }), rows);
    expect(result).toMatchObject({ matched: 1, alreadyClassified: { category: "user.contact.email", count: 1 } });
    if (result.kind !== "ok") return;
    expect(result.samples[0]!.excerpt).toBe("write to [EMAIL]");
  });

  it("previews a sensitive-field rule on stored secret markers", () => {
    const result = previewAgainst(rule({ matchDetector: "sensitive_field", action: "drop_field" }), [row({ payload: { attributes: { password: "[SECRET]" } } })]);
    expect(result).toMatchObject({ matched: 1, paths: [{ path: "attributes.password", count: 1 }], alreadyClassified: { category: "system.credentials", count: 0 } });
  });
});
