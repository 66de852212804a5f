import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { invalidateRuleCache } from "../classify/rule-cache";
import { recordConsent } from "../consent/consent";
import { forgetConsent } from "../consent/consent-cache";
import { database, db } from "../db/client";
import { hashToken } from "../privacy/anonymize";
import { pseudonymFor } from "../privacy/pseudonym";
import { errorFingerprint } from "./fingerprint";
import type { WireEvent } from "@clearlog/sdk";
import { ingestEvents } from "./ingest";
import { flushSessions } from "./session-tracker";

// Ingest honours what the person decided (lib/ingest/consent-policy.ts): events of a purpose the
// subject did not consent to are stored without any link to them, or dropped when the purpose says
// so; a restricted subject keeps only essential processing; AI interactions are excluded from
// training unless the subject opted in.

const ctx = { apiKeyId: null, ip: "203.0.113.9", userAgent: "consent-test/1.0" };
let seq = 0;
const id = () => `cevt-${Date.now().toString(36)}-${seq++}`;
const now = () => new Date().toISOString();
/** A distinctive raw user id per test, easy to look for in a row's text. */
const newSubject = () => `consent-subject-${Date.now().toString(36)}-${seq++}`;

async function row(eventId: string) {
  const { rows } = await database().pool.query("SELECT * FROM system_logs WHERE event_id = $1", [eventId]);
  return rows[0];
}

async function rowText(eventId: string): Promise<string> {
  const { rows } = await database().pool.query<{ t: string }>("SELECT s::text AS t FROM system_logs s WHERE event_id = $1", [eventId]);
  expect(rows).toHaveLength(1);
  return rows[0]!.t;
}

async function expectUnlinked(eventId: string, subject: string, sessionKey?: string) {
  const stored = await row(eventId);
  expect(stored).toBeDefined();
  expect(stored.subject_pseudonym).toBeNull();
  expect(stored.session_id).toBeNull();
  const text = await rowText(eventId);
  expect(text).not.toContain(subject);
  expect(text).not.toContain(pseudonymFor(subject));
  if (sessionKey) expect(text).not.toContain(sessionKey);
}

const action = (subject: string | undefined, sessionId?: string, extra: Partial<WireEvent> = {}): WireEvent => ({
  id: id(),
  type: "user_action",
  timestamp: now(),
  ...(subject ? { subject } : {}),
  ...(sessionId ? { sessionId } : {}),
  action: "open_report",
  component: "reports",
  ...extra,
});

const aiEvent = (subject: string | undefined, extra: Partial<WireEvent> = {}): WireEvent => ({
  id: id(),
  type: "ai_interaction",
  timestamp: now(),
  ...(subject ? { subject } : {}),
  ai: { provider: "openai", model: "gpt-4o-mini", prompt: "Summarise", response: "Done", tokens: 12, conversationId: `conv-${seq++}` },
  ...extra,
});

beforeEach(() => invalidateRuleCache());

describe("ingest honours consent", () => {
  it("stores an analytics event of a subject without consent with no link at all, links it once granted, unlinks it after withdrawal", async () => {
    const subject = newSubject();
    const pseudonym = pseudonymFor(subject);

    const session1 = `sess-${id()}`;
    const first = action(subject, session1);
    expect((await ingestEvents([first], ctx)).results[0]).toEqual({ id: first.id, status: "accepted" });
    await expectUnlinked(first.id, subject, session1);
    expect((await row(first.id)).purpose).toBe("analytics");
    // Not even the subjects table nor a session learns of the person.
    expect(await db().subject.findUnique({ where: { pseudonym } })).toBeNull();
    await flushSessions();
    expect(await db().loggingSession.findUnique({ where: { sessionKey: session1 } })).toBeNull();

    // Granting reaches ingestion at once: the process that records the change drops its cache.
    await recordConsent(pseudonym, [{ purpose: "analytics", granted: true }], { method: "explicit" });
    const session2 = `sess-${id()}`;
    const second = action(subject, session2);
    expect((await ingestEvents([second], ctx)).accepted).toBe(1);
    const linked = await row(second.id);
    expect(linked.subject_pseudonym).toBe(pseudonym);
    expect(linked.session_id).toBe(session2);
    expect(await rowText(second.id)).not.toContain(subject);
    expect((await db().subject.findUnique({ where: { pseudonym } }))?.externalId).toBe(subject);

    // And so does a withdrawal, well within the cache time.
    await recordConsent(pseudonym, [{ purpose: "analytics", granted: false }], { method: "explicit" });
    const session3 = `sess-${id()}`;
    const third = action(subject, session3);
    expect((await ingestEvents([third], ctx)).accepted).toBe(1);
    await expectUnlinked(third.id, subject, session3);
  });

  it("drops the subject's AI conversation id too when unlinking", async () => {
    const subject = newSubject();
    const e = aiEvent(subject, { purpose: "personalization", sessionId: `sess-${id()}` });
    expect((await ingestEvents([e], ctx)).accepted).toBe(1);
    await expectUnlinked(e.id, subject);
    const stored = await row(e.id);
    expect(stored.gen_ai_conversation_id).toBeNull();
    expect(stored.training_excluded).toBe(true);
  });

  it("keeps opt-out purposes linked by default", async () => {
    const subject = newSubject();
    const e: WireEvent = { id: id(), type: "error", timestamp: now(), subject, error: { name: "TypeError", message: "boom" } };
    expect((await ingestEvents([e], ctx)).accepted).toBe(1);
    expect(await row(e.id)).toMatchObject({ purpose: "error_reporting", subject_pseudonym: pseudonymFor(subject) });
  });

  it("drops marketing events without consent, saying which purpose, and stores nothing of them", async () => {
    const subject = newSubject();
    const pseudonym = pseudonymFor(subject);
    const session = `sess-${id()}`;
    const kept = action(subject, session, { purpose: "essential", action: "login" });
    const marketing = action(subject, session, { purpose: "marketing", action: "ad_click" });
    const result = await ingestEvents([kept, marketing], ctx);
    expect(result).toMatchObject({ accepted: 1, dropped: 1, rejected: 0 });
    expect(result.results[1]).toMatchObject({ id: marketing.id, status: "dropped" });
    const dropped = result.results[1]!;
    expect(dropped.status === "dropped" && dropped.reason).toContain("marketing");
    expect(await row(marketing.id)).toBeUndefined();
    expect((await row(kept.id)).subject_pseudonym).toBe(pseudonym);

    // Once granted they are stored, linked.
    await recordConsent(pseudonym, [{ purpose: "marketing", granted: true }], { method: "explicit" });
    const later = action(subject, session, { purpose: "marketing", action: "ad_click" });
    expect((await ingestEvents([later], ctx)).accepted).toBe(1);
    expect((await row(later.id)).subject_pseudonym).toBe(pseudonym);
  });

  it("keeps only essential events of a subject who restricted processing, whatever they consented to", async () => {
    const subject = newSubject();
    const pseudonym = pseudonymFor(subject);
    await recordConsent(
      pseudonym,
      [
        { purpose: "analytics", granted: true },
        { purpose: "marketing", granted: true },
        { purpose: "ai_training", granted: true },
      ],
      { method: "explicit" },
    );
    const before = action(subject);
    expect((await ingestEvents([before], ctx)).accepted).toBe(1); // also records the subject
    expect((await row(before.id)).subject_pseudonym).toBe(pseudonym);

    await db().subject.update({ where: { pseudonym }, data: { restrictedAt: new Date() } });
    forgetConsent(pseudonym);

    const essential: WireEvent = { id: id(), type: "system", timestamp: now(), subject, name: "account.locked" };
    const analytics = action(subject);
    const errorReport: WireEvent = { id: id(), type: "error", timestamp: now(), subject, error: { message: "boom" } };
    const marketing = action(subject, undefined, { purpose: "marketing" });
    const ai = aiEvent(subject); // ai_interaction serves essential by default
    const result = await ingestEvents([essential, analytics, errorReport, marketing, ai], ctx);
    expect(result).toMatchObject({ accepted: 2, dropped: 3, rejected: 0 });
    expect(result.results.map((r) => r.status)).toEqual(["accepted", "dropped", "dropped", "dropped", "accepted"]);
    for (const r of result.results.slice(1, 4)) expect(r.status === "dropped" && r.reason).toMatch(/restricted/);
    for (const e of [analytics, errorReport, marketing]) expect(await row(e.id)).toBeUndefined();
    expect(await row(essential.id)).toMatchObject({ purpose: "essential", subject_pseudonym: pseudonym });
    expect(await row(ai.id)).toMatchObject({ purpose: "essential", subject_pseudonym: pseudonym });
  });

  it("marks AI interactions training_excluded unless the subject granted ai_training, and always without a subject", async () => {
    const subject = newSubject();
    const pseudonym = pseudonymFor(subject);

    const noConsent = aiEvent(subject);
    const anonymous = aiEvent(undefined);
    await ingestEvents([noConsent, anonymous], ctx);
    expect(await row(noConsent.id)).toMatchObject({ subject_pseudonym: pseudonym, training_excluded: true });
    expect(await row(anonymous.id)).toMatchObject({ subject_pseudonym: null, training_excluded: true });

    await recordConsent(pseudonym, [{ purpose: "ai_training", granted: true }], { method: "explicit" });
    const consented = aiEvent(subject);
    const stillAnonymous = aiEvent(undefined);
    await ingestEvents([consented, stillAnonymous], ctx);
    expect(await row(consented.id)).toMatchObject({ subject_pseudonym: pseudonym, training_excluded: false });
    expect(await row(stillAnonymous.id)).toMatchObject({ subject_pseudonym: null, training_excluded: true });

    // Other event types are never marked.
    const other = action(subject, undefined, { purpose: "essential" });
    await ingestEvents([other], ctx);
    expect((await row(other.id)).training_excluded).toBe(false);

    await recordConsent(pseudonym, [{ purpose: "ai_training", granted: false }], { method: "explicit" });
    const withdrawn = aiEvent(subject);
    await ingestEvents([withdrawn], ctx);
    expect(await row(withdrawn.id)).toMatchObject({ subject_pseudonym: pseudonym, training_excluded: true });
  });

  it("rejects an event whose purpose is not configured, naming events[i].purpose, and stores the rest", async () => {
    const good = action(undefined, undefined, { purpose: "essential" });
    const unknown = action(newSubject(), undefined, { purpose: "telepathy" });
    const alsoUnknown: WireEvent = { id: id(), type: "system", timestamp: now(), name: "x", purpose: "astrology" };
    const result = await ingestEvents([good, unknown, alsoUnknown], ctx);
    expect(result).toMatchObject({ accepted: 1, rejected: 2 });
    expect(result.results[1]).toMatchObject({ id: unknown.id, status: "rejected", field: "events[1].purpose" });
    expect(result.results[2]).toMatchObject({ id: alsoUnknown.id, status: "rejected", field: "events[2].purpose" });
    const rejected = result.results[1]!;
    expect(rejected.status === "rejected" && rejected.reason).toContain("analytics");
    expect(await row(unknown.id)).toBeUndefined();
    expect(await row(alsoUnknown.id)).toBeUndefined();
    expect(await row(good.id)).toBeDefined();
  });
});

describe("an event stored without its subject names no one (lib/ingest/unlinked.ts)", () => {
  it("keeps neither the user id (in any field, as a whole token), nor the session or conversation, nor the e-mail's keyed token", async () => {
    const subject = newSubject();
    const email = `${subject}@example.com`;
    const session = `sess-${id()}`;
    const conversation = `conv-${id()}`;
    // Consent to analytics only; `personalization` events are stored unlinked.
    await recordConsent(pseudonymFor(subject), [{ purpose: "analytics", granted: true }], { method: "explicit" });
    forgetConsent(pseudonymFor(subject));
    const linked = action(subject, session, { attributes: { email }, message: `opened by ${subject}` });
    const events: WireEvent[] = [
      linked,
      action(subject, session, { purpose: "personalization", name: `recommend.${subject}`, message: `for ${subject}: mail ${email}`, attributes: { [subject]: { seen: session }, to: email, n: 3 } }),
      aiEvent(subject, { purpose: "personalization", ai: { provider: "openai", model: "gpt-4o", prompt: `${subject} asked in ${conversation}`, response: "ok", conversationId: conversation } }),
      { id: id(), type: "error", timestamp: now(), subject, sessionId: session, purpose: "personalization", error: { name: "LookupError", message: `no profile for ${subject}` } },
      { id: id(), type: "api_request", timestamp: now(), subject, purpose: "personalization", http: { method: "GET", route: `/users/${subject}/orders`, status: 200 } },
    ];
    const result = await ingestEvents(events, ctx);
    expect(result).toMatchObject({ accepted: 5, rejected: 0 });
    const token = hashToken()(email);
    // The linked event keeps its text and the e-mail's keyed token (erasure deletes it with the person).
    expect(await rowText(linked.id)).toContain(token);
    for (const e of events.slice(1)) {
      await expectUnlinked(e.id, subject, session);
      const text = await rowText(e.id);
      expect(text).not.toContain(token);
      expect(text).not.toContain(conversation);
      expect(text).not.toContain(email);
    }
    const [unlinkedAction, , error, request] = await Promise.all(events.slice(1).map((e) => row(e.id)));
    expect(unlinkedAction).toMatchObject({ name: "recommend.[SUBJECT]", message: "for [SUBJECT]: mail [EMAIL]" });
    expect(unlinkedAction.payload.attributes).toEqual({ "[SUBJECT]": { seen: "[SESSION]" }, to: "[EMAIL]", n: 3 });
    expect(request).toMatchObject({ http_route: "/users/[SUBJECT]/orders", name: "GET /users/[SUBJECT]/orders" });
    // The fingerprint is the scrubbed message's, so it cannot be recomputed from a guessed id either.
    expect(error).toMatchObject({ message: "no profile for [SUBJECT]", error_fingerprint: errorFingerprint({ type: "LookupError", message: "no profile for [SUBJECT]", component: null }) });
  });

  it("scrubs a span that took its subject from its trace, with the user id another span of the batch carried", async () => {
    const subject = newSubject();
    const trace = randomUUID().replace(/-/g, "");
    await recordConsent(pseudonymFor(subject), [{ purpose: "analytics", granted: true }], { method: "explicit" });
    forgetConsent(pseudonymFor(subject));
    const carrier = action(subject, undefined, { attributes: { trace_id: trace } });
    const follower = action(undefined, undefined, { purpose: "personalization", message: `cart of ${subject}`, attributes: { trace_id: trace } });
    expect(await ingestEvents([carrier, follower], ctx)).toMatchObject({ accepted: 2 });
    expect(await row(carrier.id)).toMatchObject({ subject_pseudonym: pseudonymFor(subject) });
    await expectUnlinked(follower.id, subject);
    expect(await row(follower.id)).toMatchObject({ message: "cart of [SUBJECT]" });
  });

  it("does not touch events stored with their subject", async () => {
    const subject = newSubject();
    await recordConsent(pseudonymFor(subject), [{ purpose: "analytics", granted: true }], { method: "explicit" });
    forgetConsent(pseudonymFor(subject));
    const e = action(subject, undefined, { message: `opened by ${subject} [EMAIL:3f2a9c0d1b4e]` });
    await ingestEvents([e], ctx);
    expect(await row(e.id)).toMatchObject({ subject_pseudonym: pseudonymFor(subject), message: `opened by ${subject} [EMAIL:3f2a9c0d1b4e]` });
  });
});
