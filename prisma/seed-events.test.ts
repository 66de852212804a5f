import { describe, expect, it } from "vitest";
import { demoEvents, prng, type DemoSubject } from "./seed-events";

const subjects: DemoSubject[] = Array.from({ length: 12 }, (_, i) => ({
  externalId: `user-${1001 + i}`,
  pseudonym: (i + 1).toString(16).padStart(2, "0").repeat(32),
}));
const now = new Date("2026-11-20T12:00:00.000Z");
const TYPES = ["user_action", "ai_interaction", "api_request", "error", "system"];

describe("prng", () => {
  it("is deterministic per seed, differs between seeds and stays in [0, 1)", () => {
    const a = prng(7);
    const b = prng(7);
    const c = prng(8);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
  });
});

describe("demoEvents", () => {
  it("is deterministic for the same seed and differs for another", () => {
    const first = demoEvents(subjects, 400, now);
    const second = demoEvents(subjects, 400, now);
    expect(second).toEqual(first);
    expect(demoEvents(subjects, 400, now, prng(42))).toEqual(first);
    expect(demoEvents(subjects, 400, now, prng(43)).events).not.toEqual(first.events);
  });

  it("produces the requested count with unique ids, covering every type within the last week", () => {
    const { events } = demoEvents(subjects, 500, now);
    expect(events).toHaveLength(500);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(500);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(TYPES));
    for (const e of events) {
      const at = new Date(e.occurredAt as Date).getTime();
      expect(at).toBeLessThanOrEqual(now.getTime());
      expect(at).toBeGreaterThan(now.getTime() - 7 * 86_400_000);
    }
  });

  it("keeps subject ids out of the events: pseudonyms only, system events have none", () => {
    const { events, sessions } = demoEvents(subjects, 500, now);
    const pseudonyms = new Set(subjects.map((s) => s.pseudonym));
    for (const e of events) {
      if (e.type === "system") {
        expect(e.subjectPseudonym).toBeNull();
        expect(e.sessionId).toBeNull();
      } else {
        expect(pseudonyms.has(e.subjectPseudonym!)).toBe(true);
      }
    }
    // Which fields carry an application user id (session keys and conversation ids included).
    const leaks = [...events, ...sessions].flatMap((row) =>
      Object.entries(row)
        .filter(([, value]) => /user-1\d{3}/.test(JSON.stringify(value ?? null)))
        .map(([field]) => field),
    );
    expect([...new Set(leaks)]).toEqual([]);
  });

  it("builds sessions whose counts and time spans match the events that have a session", () => {
    const { events, sessions } = demoEvents(subjects, 600, now);
    const withSession = events.filter((e) => e.sessionId);
    expect(withSession.length).toBeGreaterThan(0);
    expect(withSession.length).toBeLessThan(events.length); // system events are session-less
    expect(sessions.reduce((sum, s) => sum + s.eventCount, 0)).toBe(withSession.length);
    expect(new Set(sessions.map((s) => s.sessionKey)).size).toBe(sessions.length);
    expect(new Set(withSession.map((e) => e.sessionId))).toEqual(new Set(sessions.map((s) => s.sessionKey)));
    for (const session of sessions) {
      const own = withSession.filter((e) => e.sessionId === session.sessionKey);
      expect(own).toHaveLength(session.eventCount);
      expect(new Set(own.map((e) => e.subjectPseudonym))).toEqual(new Set([session.subjectPseudonym]));
      const times = own.map((e) => new Date(e.occurredAt as Date).getTime());
      expect(session.firstSeenAt.getTime()).toBe(Math.min(...times));
      expect(session.lastSeenAt.getTime()).toBe(Math.max(...times));
    }
  });

  it("shapes each type as ingest stores it", () => {
    const { events } = demoEvents(subjects, 500, now);
    const ai = events.filter((e) => e.type === "ai_interaction");
    expect(ai.every((e) => e.genAiRequestModel && (e.genAiUsageInputTokens ?? 0) > 0 && Number(e.genAiCostUsd) > 0)).toBe(true);
    const api = events.filter((e) => e.type === "api_request");
    expect(api.every((e) => e.httpRequestMethod && e.httpRoute && e.severity === (e.httpResponseStatusCode! >= 500 ? "error" : e.httpResponseStatusCode! >= 400 ? "warn" : "info"))).toBe(true);
    const errors = events.filter((e) => e.type === "error");
    expect(errors.every((e) => e.severity === "error" && /^[0-9a-f]{16}$/.test(e.errorFingerprint!))).toBe(true);
    // Payloads arrive already redacted: placeholders, never raw contact details.
    expect(JSON.stringify(events)).not.toMatch(/[\w.+-]+@[\w-]+\.[a-z]{2,}/i);
  });
});
