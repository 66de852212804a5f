import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../auth/api-keys";
import { db } from "../db/client";
import { overrideEnv } from "../env";
import { pseudonymFor } from "../privacy/pseudonym";
import { startIngestServer, type IngestTestServer } from "@/test/support/api-server";
import { describeRequest, FUZZ_SECONDS, FUZZ_TIMEOUT_MS, fuzzParameters, hostileJson, hostileNumber, hostileString, RowCounter, send, uniqueId, wire, wrongType, type Counts } from "@/test/support/fuzz";

// Fuzz tier: the consent API (PUT and POST /api/v1/consent) and feedback (POST /api/v1/feedback) over
// real HTTP with hostile bodies. Every answer is below 500, and a refused request writes nothing: no
// subjects row, no consent, no history, no feedback.
const RUNS = 2000;
let server: IngestTestServer;
let counter: RowCounter;
let consentKey: string;
let feedbackKey: string;
let restore: () => void;

const PURPOSES = ["analytics", "marketing", "ai_training", "error_reporting", "essential", "personalization"];

const subject = fc.oneof({ weight: 3, arbitrary: fc.constant(null).map(() => uniqueId("fz-subject")) }, { weight: 3, arbitrary: hostileString }, { weight: 1, arbitrary: wrongType });

const consentUpdate = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        subject,
        purposes: fc.oneof(
          { weight: 4, arbitrary: fc.dictionary(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PURPOSES) }, { weight: 2, arbitrary: hostileString }), fc.oneof({ weight: 4, arbitrary: fc.boolean() }, { weight: 1, arbitrary: wrongType }), { maxKeys: 4 }) },
          { weight: 1, arbitrary: wrongType },
        ),
        extra: hostileJson,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: hostileJson },
);

const consentQuery = fc.oneof({ weight: 6, arbitrary: fc.record({ subject }, { requiredKeys: [] }) }, { weight: 1, arbitrary: hostileJson });

const feedback = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        id: fc.oneof(fc.constant(null).map(() => randomUUID()), hostileString, wrongType),
        model: fc.oneof({ weight: 4, arbitrary: fc.constant("fuzz-model") }, { weight: 1, arbitrary: hostileString }, { weight: 1, arbitrary: wrongType }),
        version: fc.oneof({ weight: 4, arbitrary: fc.constant("1.0.0") }, { weight: 1, arbitrary: hostileString }),
        alias: fc.oneof(fc.constant("production"), hostileString),
        modelVersionId: fc.oneof(fc.uuid(), hostileString, wrongType),
        eventId: fc.oneof(fc.constant("evt-1"), hostileString, wrongType),
        subject,
        rating: fc.oneof(fc.constantFrom("up", "down"), wrongType),
        score: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), hostileNumber, wrongType),
        label: fc.oneof(hostileString, wrongType),
        correction: fc.oneof(hostileString, wrongType),
        comment: fc.oneof(hostileString, wrongType),
        source: fc.oneof(fc.constantFrom("end_user", "annotator", "automated"), wrongType),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: hostileJson },
);

beforeAll(async () => {
  restore = overrideEnv({ CLEARLOG_INGEST_RATE_PER_SECOND: "0", CLEARLOG_API_IP_RATE_PER_SECOND: "0" });
  consentKey = (await createApiKey({ name: "consent fuzz", scopes: ["consent"] }, { type: "cli" })).secret;
  feedbackKey = (await createApiKey({ name: "feedback fuzz", scopes: ["feedback"] }, { type: "cli" })).secret;
  const model = await db().model.create({ data: { name: "fuzz-model", modelType: "llm" } });
  const version = await db().modelVersion.create({ data: { modelId: model.id, version: "1.0.0" } });
  await db().modelAlias.create({ data: { modelId: model.id, alias: "production", modelVersionId: version.id } });
  server = await startIngestServer();
  counter = new RowCounter(["subjects", "consent_settings", "consent_history", "model_feedback"]);
  await counter.open();
});

afterAll(async () => {
  await server?.stop();
  await counter?.close();
  restore?.();
});

/** Sends `runs` fuzzed requests; each must answer below 500, and a refusal must leave every count as it was. */
async function fuzz(method: string, path: string, body: fc.Arbitrary<unknown>, key: string, onAccepted: (before: Counts, after: Counts, json: unknown, what: string) => void) {
  let sent = 0;
  let before = await counter.counts();
  await fc.assert(
    fc.asyncProperty(wire(body), async (w) => {
      const answer = await send(`${server.url}${path}`, method, w, { authorization: `Bearer ${key}` });
      sent++;
      const after = await counter.counts();
      const what = describeRequest(method, path, w, answer);
      expect(answer.status, what).toBeLessThan(500);
      expect(answer.json, what).not.toBeNull();
      if (answer.status >= 400) expect(after, what).toEqual(before);
      else onAccepted(before, after, answer.json, what);
      before = after;
    }),
    fuzzParameters(RUNS, FUZZ_SECONDS),
  );
  expect(sent).toBe(RUNS);
}

describe("the consent API under fuzzing", () => {
  it(`PUT /api/v1/consent: ${RUNS} hostile updates below 500; a refusal writes nothing`, async () => {
    await fuzz("PUT", "/api/v1/consent", consentUpdate, consentKey, (before, after, _json, what) => {
      expect(after.subjects - before.subjects, what).toBeLessThanOrEqual(1);
    });
  }, FUZZ_TIMEOUT_MS);

  it(`POST /api/v1/consent: ${RUNS} hostile queries below 500; a query writes nothing`, async () => {
    await fuzz("POST", "/api/v1/consent", consentQuery, consentKey, (before, after, _json, what) => expect(after, what).toEqual(before));
  }, FUZZ_TIMEOUT_MS);

  it("still records a good update afterwards", async () => {
    const who = uniqueId("after-consent-fuzz");
    const answer = await send(`${server.url}/api/v1/consent`, "PUT", { body: Buffer.from(JSON.stringify({ subject: who, purposes: { analytics: false } })), contentType: "application/json" }, { authorization: `Bearer ${consentKey}` });
    expect(answer.status, answer.text).toBe(200);
    expect(await db().consentSetting.findMany({ where: { subjectPseudonym: pseudonymFor(who) }, select: { purpose: true, granted: true } })).toEqual([{ purpose: "analytics", granted: false }]);
  });
});

describe("the feedback API under fuzzing", () => {
  it(`POST /api/v1/feedback: ${RUNS} hostile bodies below 500; a refusal writes nothing`, async () => {
    await fuzz("POST", "/api/v1/feedback", feedback, feedbackKey, (before, after, json, what) => {
      const status = (json as { status?: string }).status;
      expect(after.model_feedback - before.model_feedback, what).toBe(status === "accepted" ? 1 : 0);
    });
  }, FUZZ_TIMEOUT_MS);
});
