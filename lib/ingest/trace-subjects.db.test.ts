import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { recordConsent } from "../consent/consent";
import { forgetConsent } from "../consent/consent-cache";
import { database } from "../db/client";
import { pseudonymFor } from "../privacy/pseudonym";
import type { WireEvent } from "@clearlog/sdk";
import { ingestEvents } from "./ingest";
import { deleteExpiredTraceSubjects } from "./trace-subjects";

// Subjects follow the trace across separate ingest batches (lib/ingest/trace-subjects.ts), under the
// subject's consent, within the window.
const ctx = { apiKeyId: null, ip: null, userAgent: null };
let seq = 0;
const trace = () => randomBytes(16).toString("hex");
const subject = () => `trace-subject-${Date.now().toString(36)}-${seq++}`;
const span = (traceId: string, extra: Partial<WireEvent> = {}): WireEvent => ({
  id: `tspan-${Date.now().toString(36)}-${seq++}`, type: "system", name: "step", timestamp: new Date(Date.now() - 1000 + seq).toISOString(),
  attributes: { trace_id: traceId }, ...extra,
});

async function stored(events: WireEvent[]) {
  const { rows } = await database().pool.query<{ event_id: string; subject_pseudonym: string | null; session_id: string | null; training_excluded: boolean }>(
    "SELECT event_id, subject_pseudonym, session_id, training_excluded FROM system_logs WHERE event_id = ANY($1)",
    [events.map((e) => e.id)],
  );
  return events.map((e) => rows.find((r) => r.event_id === e.id)!);
}

async function send(...events: WireEvent[]) {
  const result = await ingestEvents(events, ctx);
  expect(result.results.map((r) => r.status)).toEqual(events.map(() => "accepted"));
}

describe("subjects follow the trace", () => {
  it("links spans stored before the subject arrived, and gives it to spans that come after", async () => {
    const t = trace();
    const user = subject();
    const early = [span(t), span(t, { type: "ai_interaction", name: "chat", ai: { model: "gpt-4o", inputTokens: 1, outputTokens: 1 } })];
    await send(...early);
    expect((await stored(early)).map((r) => r.subject_pseudonym)).toEqual([null, null]);

    const carrier = span(t, { subject: user, sessionId: "trace-session" });
    await send(carrier);
    const late = span(t);
    await send(late);
    const rows = await stored([...early, carrier, late]);
    expect(rows.map((r) => r.subject_pseudonym)).toEqual(Array(4).fill(pseudonymFor(user)));
    expect(rows.map((r) => r.session_id)).toEqual(Array(4).fill("trace-session"));
    expect(rows[1]!.training_excluded).toBe(true); // no ai_training consent by default
    const other = span(trace());
    await send(other);
    expect((await stored([other]))[0]!.subject_pseudonym).toBeNull();
  });

  it("links earlier spans only for the purposes the subject consented to, and applies consent to later ones", async () => {
    const t = trace();
    const user = subject();
    const p = pseudonymFor(user);
    await recordConsent(p, [{ purpose: "analytics", granted: false }], { method: "explicit" });
    forgetConsent(p);
    const analytics = span(t, { type: "user_action", action: "click", name: undefined, purpose: "analytics" });
    const essential = span(t);
    await send(analytics, essential);
    await send(span(t, { subject: user }));
    const laterAnalytics = span(t, { type: "user_action", action: "scroll", name: undefined, purpose: "analytics" });
    await send(laterAnalytics);
    expect((await stored([analytics, essential, laterAnalytics])).map((r) => r.subject_pseudonym)).toEqual([null, p, null]);
  });

  it("links a trace whose spans arrive in overlapping exports, whichever commits first", async () => {
    // An SDK's SimpleSpanProcessor exports the LLM span and, a moment later, its parent carrying the
    // user id, each in its own request: the two ingest transactions overlap.
    const rounds = Array.from({ length: 12 }, () => ({ t: trace(), user: subject() }));
    const children = rounds.map(({ t }) => span(t, { type: "ai_interaction", name: "chat", ai: { model: "gpt-4o", inputTokens: 1, outputTokens: 1 } }));
    const parents = rounds.map(({ t, user }) => span(t, { subject: user }));
    await Promise.all(rounds.flatMap((_, i) => (i % 2 ? [send(children[i]!), send(parents[i]!)] : [send(parents[i]!), send(children[i]!)])));
    const rows = await stored(children);
    expect(rows.map((r) => r.subject_pseudonym)).toEqual(rounds.map(({ user }) => pseudonymFor(user)));
    const { rows: pending } = await database().pool.query("SELECT 1 FROM trace_subjects WHERE trace_id = ANY($1) AND unlinked_from IS NOT NULL", [rounds.map((r) => r.t)]);
    expect(pending).toHaveLength(0);
  });

  it("forgets a trace after its window", async () => {
    const t = trace();
    const user = subject();
    await send(span(t, { subject: user }));
    await database().pool.query("UPDATE trace_subjects SET expires_at = now() - interval '1 second' WHERE trace_id = $1", [t]);
    const late = [span(t), span(t)];
    await send(late[0]!);
    await send(late[1]!);
    expect((await stored(late)).map((r) => r.subject_pseudonym)).toEqual([null, null]);

    const gone = trace();
    await send(span(gone, { subject: user }));
    await database().pool.query("UPDATE trace_subjects SET expires_at = now() - interval '1 second' WHERE trace_id = $1", [gone]);
    expect(await deleteExpiredTraceSubjects()).toBeGreaterThanOrEqual(1);
    expect((await database().pool.query("SELECT 1 FROM trace_subjects WHERE trace_id = $1", [gone])).rows).toHaveLength(0);
  });
});
