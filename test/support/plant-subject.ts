import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { Actor } from "../../lib/audit/audit";
import { recordConsent } from "../../lib/consent/consent";
import { db } from "../../lib/db/client";
import { flushSessions } from "../../lib/ingest/session-tracker";
import { runJob } from "../../lib/jobs/worker";
import { hashToken } from "../../lib/privacy/anonymize";
import { pseudonymFor } from "../../lib/privacy/pseudonym";
import { createRequest, startSelfServiceExport } from "../../lib/privacy/requests";
import { recordFeedback } from "../../lib/training/feedback";
import type { WireEvent } from "@clearlog/sdk";

// One person planted through every interface that takes their data, for the erasure scan
// (lib/privacy/erasure-scan.db.test.ts): events of every type and OTLP over the real HTTP routes,
// consent, feedback by subject and by event id, sessions, a portal session, requests, an export.

export interface Planted {
  ext: string;
  pseudonym: string;
  email: string;
  /** everything that must be gone after the erasure, whatever column, table or schema held it */
  needles: string[];
  /** text of the events stored without a link (no consent for their purpose): they stay, scrubbed */
  unlinkedCanary: string;
  userId: string;
  erasureRequestId: string;
  /** the AI interaction that feedback points at by event id only */
  aiEventId: string;
}

/** Where to plant: the API test server and a key with the ingest, feedback, consent and privacy scopes. */
export interface PlantingTarget {
  url: string;
  apiKey: string;
}

function apiOf(target: PlantingTarget) {
  return (path: string, body: unknown, method = "POST"): Promise<Response> =>
    fetch(`${target.url}${path}`, { method, headers: { Authorization: `Bearer ${target.apiKey}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** One subject's data through every interface that takes it; the export runs last so its archive holds all of it. */
export async function plant(target: PlantingTarget, modelName: string): Promise<Planted> {
  const api = apiOf(target);
  const uuid = randomUUID();
  const hex = uuid.replace(/-/g, "");
  const ext = `planted-${uuid}`;
  const pseudonym = pseudonymFor(ext);
  const email = `planted.${uuid}@erasure.example`;
  const marker = `marker-${uuid}`;
  const session = `sess-${uuid}`;
  const otlpSession = `otlp-sess-${uuid}`;
  const conversation = `conv-${uuid}`;
  const unlinkedCanary = `unlinked-${uuid}`;
  // The portal account stays after erasure (subject-data.ts), so its login email is not a needle.
  const user = await db().user.create({ data: { email: `${randomUUID()}@example.test`, displayName: "Planted", role: "end_user", subjectPseudonym: pseudonym } });
  const actor: Actor = { type: "user", id: user.id, role: "end_user" };
  const requester = { pseudonym, userId: user.id };

  // Consent in the privacy center (4 opt-ins, 1 withdrawal) and over the API (1 more opt-in).
  const consentCtx = { userAgent: `Planter/1.0 (${email})`, ipPrefix: "198.51.100.0/24" };
  await recordConsent(pseudonym, ["analytics", "ai_training", "personalization"].map((purpose) => ({ purpose, granted: true })), { method: "explicit", ...consentCtx });
  await recordConsent(pseudonym, [{ purpose: "personalization", granted: false }], { method: "explicit", ...consentCtx });
  expect((await api("/api/v1/consent", { subject: ext, purposes: { error_reporting: true } }, "PUT")).status).toBe(200);

  // Events of every type over the events API: linked (consented purposes), and the same again for
  // `personalization`, which they withdrew: stored without a link, their ids and e-mail token scrubbed.
  const at = new Date();
  const base = { timestamp: at.toISOString(), subject: ext, sessionId: session, userAgent: `Mozilla/5.0 (${email})` };
  const aiEventId = `${uuid}-2`;
  // Every type, saying `text` wherever an event can: linked, the marker; unlinked, the canary.
  const ofEveryType = (id: (n: number) => string, text: string, extra: Partial<WireEvent>): WireEvent[] => [
    { ...base, ...extra, id: id(1), type: "user_action", action: "update_profile", message: `profile of ${text}`, attributes: { email, account: ext, note: text, ...extra.attributes } },
    { ...base, ...extra, id: id(2), type: "ai_interaction", ai: { provider: "openai", model: "gpt-4o-mini", prompt: `Summarise the account ${ext} (${text}), mail ${email}`, response: `Done ${text}`, tokens: 10, conversationId: conversation } },
    { ...base, ...extra, id: id(3), type: "api_request", http: { method: "GET", route: `/api/profile/${ext}`, status: 200, requestBody: text } },
    { ...base, ...extra, id: id(4), type: "error", error: { name: "LookupError", message: `no profile for ${ext} ${text}`, stack: `LookupError: ${text}\n    at run (/srv/app.js:1:1)` } },
    { ...base, ...extra, id: id(5), type: "system", name: "profile.synced", message: `synced ${ext} ${text}` },
  ];
  const linked = ofEveryType((n) => `${uuid}-${n}`, marker, {});
  const unlinked = ofEveryType((n) => `${uuid}-u${n}`, `${unlinkedCanary} in ${session}, ${conversation}, mail ${email}`, {
    purpose: "personalization",
    attributes: { [ext]: { email, session }, user: ext, text: `by ${ext}.` },
  });
  const sent = await api("/api/v1/events", { events: [...linked, ...unlinked] });
  expect(await sent.json()).toMatchObject({ accepted: 10, duplicates: 0, dropped: 0, rejected: 0 });

  // OTLP over HTTP: a span that names the person (linked) and a log record for a purpose they withdrew.
  const now = BigInt(Date.now()) * 1_000_000n;
  const traces = {
    resourceSpans: [{
      resource: { attributes: [attr("service.name", "profile-service")] },
      scopeSpans: [{ scope: { name: "erasure-scan" }, spans: [{
        traceId: hex, spanId: hex.slice(0, 16), name: "GET /api/profile", kind: 2, startTimeUnixNano: now.toString(), endTimeUnixNano: (now + 5_000_000n).toString(), status: {},
        attributes: [attr("enduser.id", ext), attr("session.id", otlpSession), attr("http.request.method", "GET"), attr("http.route", "/api/profile"), { key: "http.response.status_code", value: { intValue: "200" } }, attr("note", `${marker} ${email}`)],
      }] }],
    }],
  };
  expect((await api("/api/v1/otlp/v1/traces", traces)).status).toBe(200);
  const logs = {
    resourceLogs: [{
      resource: { attributes: [attr("service.name", "profile-service")] },
      scopeLogs: [{ scope: { name: "erasure-scan" }, logRecords: [{
        timeUnixNano: now.toString(), severityNumber: 9, body: { stringValue: `${unlinkedCanary}: ${ext} opened ${otlpSession}, mail ${email}` },
        attributes: [attr("user.id", ext), attr("session.id", otlpSession), attr("clearlog.purpose", "personalization")],
      }] }],
    }],
  };
  expect((await api("/api/v1/otlp/v1/logs", logs)).status).toBe(200);
  await flushSessions();

  // Straight into the tables with the raw email: erasure must delete them whatever ingest would have redacted.
  for (const n of [6, 7]) {
    await db().systemLog.create({
      data: { eventId: `${uuid}-${n}`, occurredAt: at, type: "user_action", name: "direct", message: `contact ${email} about ${ext}`, subjectPseudonym: pseudonym, payload: { email, user: ext, nested: [email] } },
    });
  }
  await db().loggingSession.create({ data: { sessionKey: `direct-${uuid}`, subjectPseudonym: pseudonym, firstSeenAt: at, lastSeenAt: at, eventCount: 2, userAgent: `Direct (${email})` } });

  // Feedback over the API: by subject, and about their AI interaction by event id only (quoting it).
  for (const rating of ["up", "down"]) {
    const r = await api("/api/v1/feedback", { model: modelName, version: "1.0.0", eventId: aiEventId, subject: ext, rating, comment: `reach me at ${email}`, correction: `account ${ext} ${marker}` });
    expect(r.status).toBe(201);
  }
  expect((await recordFeedback({ model: modelName, version: "1.0.0", eventId: aiEventId, rating: "down", comment: `the answer "Done ${marker}" was wrong`, source: "annotator" })).status).toBe("accepted");

  await db().traceSubject.create({ data: { traceId: randomUUID().replace(/-/g, ""), subjectPseudonym: pseudonym, expiresAt: new Date(Date.now() + 600_000) } });
  // A portal session the application issued for them (the link, unopened, carries their return URL).
  await db().portalSession.create({
    data: { linkTokenHash: randomUUID(), subjectPseudonym: pseudonym, returnUrl: `https://app.example/${ext}`, linkExpiresAt: at, expiresAt: at },
  });
  // Requests: an erasure from the privacy center, a rectification the application files over the API.
  const erasure = await createRequest(requester, { type: "erasure", details: `Erase everything about ${ext}; write to ${email} (${marker})` }, actor);
  const rectification = await api("/api/v1/privacy-requests", { subject: ext, type: "rectification", details: `Fix ${marker}`, requesterContact: email });
  expect(rectification.status).toBe(201);
  return {
    ext,
    pseudonym,
    email,
    // The e-mail's keyed token is what the `hash` rule leaves of it in events and feedback.
    needles: [ext, pseudonym, email, hashToken()(email), marker, session, otlpSession, conversation],
    unlinkedCanary,
    userId: user.id,
    erasureRequestId: erasure.id,
    aiEventId,
  };
}

/** The export job: last, so its archive holds everything planted. */
export async function exportFor(s: Planted) {
  const job = await startSelfServiceExport({ pseudonym: s.pseudonym, userId: s.userId }, { type: "user", id: s.userId, role: "end_user" });
  expect((await runJob(job.id)).status).toBe("succeeded");
}

