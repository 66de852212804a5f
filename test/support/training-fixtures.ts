import { randomUUID } from "node:crypto";
import { recordConsent } from "@/lib/consent/consent";
import { database, db } from "@/lib/db/client";
import { ensureLogPartitions } from "@/lib/db/partitions";

// A small population for the training tests, on 2020-06-01 … 2020-06-07 (UTC), one person per
// situation an extraction must tell apart. Pseudonyms are fixed strings; only their subject rows,
// consent and events matter here.
export const RANGE = { startDate: new Date("2020-06-01T00:00:00.000Z"), endDate: new Date("2020-06-08T00:00:00.000Z") };

export const PEOPLE = {
  /** consents; events of every type */
  ada: "a".repeat(64),
  /** consents; a second contributor */
  bob: "b".repeat(64),
  /** never chose */
  cyd: "c".repeat(64),
  /** granted, then withdrew */
  dee: "d".repeat(64),
  /** consents but is restricted */
  eve: "e".repeat(64),
  /** has events but no subject link (erased) */
  fay: "f".repeat(64),
  /** consents now, but every event arrived while they had not: marked excluded */
  gus: "9".repeat(64),
} as const;

export interface FixtureEvent {
  type: "user_action" | "ai_interaction" | "api_request" | "error" | "system";
  at: string;
  subject: string | null;
  name?: string;
  session?: string;
  excluded?: boolean;
  model?: string;
  tokens?: [number, number];
  latencyMs?: number;
  costUsd?: number;
  fingerprint?: string;
  errorType?: string;
  component?: string;
}

export async function insertEvents(events: FixtureEvent[]): Promise<void> {
  const { pool } = database();
  for (const e of events) {
    const at = new Date(e.at);
    await ensureLogPartitions(pool, at, at);
    await pool.query(
      `INSERT INTO system_logs (event_id, occurred_at, type, name, component, subject_pseudonym, session_id, training_excluded,
         gen_ai_request_model, gen_ai_usage_input_tokens, gen_ai_usage_output_tokens, gen_ai_latency_ms, gen_ai_cost_usd, error_type, error_fingerprint)
       VALUES ($1, $2, $3::"EventType", $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        randomUUID(), at, e.type, e.name ?? e.type, e.component ?? "web", e.subject, e.session ?? null, e.excluded ?? false,
        e.model ?? null, e.tokens?.[0] ?? null, e.tokens?.[1] ?? null, e.latencyMs ?? null, e.costUsd ?? null, e.errorType ?? null, e.fingerprint ?? null,
      ],
    );
  }
}

/** Subjects, consent and a week of events for PEOPLE; returns nothing, the tests know the numbers. */
export async function seedPopulation(): Promise<void> {
  const linked = Object.entries(PEOPLE).filter(([name]) => name !== "fay");
  await db().subject.createMany({ data: linked.map(([name, pseudonym]) => ({ externalId: `fixture-${name}`, pseudonym })) });
  for (const p of [PEOPLE.ada, PEOPLE.bob, PEOPLE.dee, PEOPLE.eve, PEOPLE.gus]) {
    await recordConsent(p, [{ purpose: "ai_training", granted: true }], { method: "explicit" });
  }
  await recordConsent(PEOPLE.dee, [{ purpose: "ai_training", granted: false }], { method: "explicit" });
  await db().subject.update({ where: { pseudonym: PEOPLE.eve }, data: { restrictedAt: new Date() } });

  const everyone = [PEOPLE.cyd, PEOPLE.dee, PEOPLE.eve, PEOPLE.fay];
  await insertEvents([
    // ada: 2 sessions on 2 days, 3 user actions, an AI interaction, an error
    { type: "user_action", at: "2020-06-01T10:00:00Z", subject: PEOPLE.ada, name: "search", session: "s-ada-1" },
    { type: "user_action", at: "2020-06-01T10:01:00Z", subject: PEOPLE.ada, name: "search", session: "s-ada-1" },
    { type: "ai_interaction", at: "2020-06-01T10:02:00Z", subject: PEOPLE.ada, session: "s-ada-1", model: "gpt-4o", tokens: [100, 50], latencyMs: 800, costUsd: 0.0125 },
    { type: "user_action", at: "2020-06-03T09:00:00Z", subject: PEOPLE.ada, name: "export", session: "s-ada-2" },
    { type: "error", at: "2020-06-03T09:00:30Z", subject: PEOPLE.ada, session: "s-ada-2", fingerprint: "fp-render", errorType: "TypeError" },
    // outside the range: never counted
    { type: "user_action", at: "2020-06-08T00:00:00Z", subject: PEOPLE.ada, name: "search", session: "s-ada-3" },
    { type: "user_action", at: "2020-05-31T23:59:59Z", subject: PEOPLE.ada, name: "search", session: "s-ada-0" },
    // bob: AI interactions with two models, an error late in the range
    { type: "ai_interaction", at: "2020-06-02T12:00:00Z", subject: PEOPLE.bob, model: "claude-sonnet-4", tokens: [10, 20], latencyMs: 400, costUsd: 0.001 },
    { type: "ai_interaction", at: "2020-06-06T12:00:00Z", subject: PEOPLE.bob, model: "gpt-4o", tokens: [30, 40], latencyMs: 1200, costUsd: 0.002 },
    { type: "error", at: "2020-06-07T12:00:00Z", subject: PEOPLE.bob, fingerprint: "fp-render", errorType: "TypeError", component: "api" },
    // gus: only events marked excluded at ingest
    { type: "ai_interaction", at: "2020-06-02T08:00:00Z", subject: PEOPLE.gus, model: "gpt-4o", tokens: [5, 5], excluded: true },
    { type: "user_action", at: "2020-06-02T08:00:00Z", subject: PEOPLE.gus, name: "search", excluded: true },
    // nobody's system errors: they count in error patterns
    { type: "error", at: "2020-06-06T01:00:00Z", subject: null, fingerprint: "fp-timeout", errorType: "TimeoutError", component: "worker" },
    { type: "error", at: "2020-06-07T01:00:00Z", subject: null, fingerprint: "fp-timeout", errorType: "TimeoutError", component: "worker" },
    // everyone who may not contribute has one of each kind
    ...everyone.flatMap((subject) => [
      { type: "user_action" as const, at: "2020-06-04T10:00:00Z", subject, name: "search", session: `s-${subject.slice(0, 4)}` },
      { type: "ai_interaction" as const, at: "2020-06-04T10:00:01Z", subject, model: "gpt-4o", tokens: [1, 1] as [number, number] },
      { type: "error" as const, at: "2020-06-04T10:00:02Z", subject, fingerprint: "fp-render", errorType: "RangeError" },
    ]),
  ]);
}
