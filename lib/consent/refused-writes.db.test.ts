import { beforeAll, describe, expect, it } from "vitest";
import { database, db } from "../db/client";
import { SafeError } from "../errors";
import { ingestEvents } from "../ingest/ingest";
import { pseudonymFor } from "../privacy/pseudonym";
import { recordFeedback } from "../training/feedback";
import { readConsent, updateConsent } from "./api";

// A refused write writes nothing: for every refusal of the consent API, feedback and event ingestion,
// the row counts of every table they write are the same before and after, and the application's user
// id is nowhere in the database.
const TABLES = ["subjects", "consent_settings", "consent_history", "model_feedback", "system_logs", "audit_log"] as const;

async function counts(): Promise<Record<(typeof TABLES)[number], number>> {
  const { rows } = await database().pool.query(`SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(", ")}`);
  return rows[0] as Record<(typeof TABLES)[number], number>;
}

async function subjectRows(externalId: string) {
  // A NUL cannot even be searched for (PostgreSQL refuses it in a query too): look for its pseudonym.
  const byId = externalId.includes("\u0000") ? [] : [{ externalId }];
  return db().subject.count({ where: { OR: [...byId, { pseudonym: pseudonymFor(externalId) }] } });
}

/** Runs `refused`, which must throw; nothing may be written. */
async function expectNothingWritten(label: string, refused: () => Promise<unknown>, subject?: string) {
  const before = await counts();
  const error = await refused().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, label).not.toBeNull();
  expect(await counts(), label).toEqual(before);
  if (subject !== undefined) expect(await subjectRows(subject), label).toBe(0);
  return error;
}

const apiCtx = { keyId: "00000000-0000-4000-8000-000000000000", userAgent: "vitest", network: "203.0.113.0/24" };

beforeAll(async () => {
  const model = await db().model.create({ data: { name: "refusal-model", modelType: "llm" } });
  await db().modelVersion.create({ data: { modelId: model.id, version: "1.0.0" } });
});

describe("consent API refusals write nothing", () => {
  it.each([
    ["an unknown purpose", { subject: "app-user-unknown-purpose", purposes: { analytics: true, no_such_purpose: true } }],
    ["withdrawing essential processing", { subject: "app-user-essential", purposes: { essential: false } }],
    ["a purpose key that is not one", { subject: "app-user-bad-key", purposes: { "Bad Key": true } }],
    ["a granted value that is not a boolean", { subject: "app-user-bad-value", purposes: { analytics: "yes" } }],
    ["a NUL in the subject", { subject: "app-user\u0000nul", purposes: { analytics: true } }],
    ["half an emoji in the subject", { subject: "app-user-\uD83D", purposes: { analytics: true } }],
    ["no subject", { purposes: { analytics: true } }],
  ])("PUT with %s: 400, no subjects row, no consent, no history, no audit row", async (label, body: { subject?: string; purposes: unknown }) => {
    const subject = body.subject;
    const error = await expectNothingWritten(label, () => updateConsent(body, apiCtx), subject);
    expect(error, label).toBeInstanceOf(SafeError);
    expect((error as SafeError).code, label).toBe("invalid");
  });

  it("a query with a NUL in the subject is a 400 and writes nothing", async () => {
    const error = await expectNothingWritten("query", () => readConsent({ subject: "x\u0000" }));
    expect((error as SafeError).code).toBe("invalid");
    expect((error as SafeError).message).toMatch(/^subject: must not contain a NUL character/);
  });

  it("an accepted update writes the subject link and the consent (the refusals above were not vacuous)", async () => {
    const before = await counts();
    await updateConsent({ subject: "app-user-accepted", purposes: { analytics: false } }, apiCtx);
    const after = await counts();
    expect(after.subjects - before.subjects).toBe(1);
    expect(after.consent_history - before.consent_history).toBe(1);
    expect(await subjectRows("app-user-accepted")).toBe(1);
  });
});

describe("feedback refusals write nothing", () => {
  const base = { model: "refusal-model", version: "1.0.0" };
  it.each([
    ["an unknown model", { model: "no-such-model", version: "1.0.0", subject: "fb-user-1", rating: "up" }],
    ["an unknown version", { ...base, version: "9.9.9", subject: "fb-user-2", rating: "up" }],
    ["a NUL in the subject", { ...base, subject: "fb\u0000user", rating: "up" }],
    ["a NUL in the comment", { ...base, subject: "fb-user-3", comment: "ok\u0000" }],
    ["half an emoji in the label", { ...base, subject: "fb-user-4", label: "cut \uD83D" }],
    ["a score out of range", { ...base, subject: "fb-user-5", score: 1e308 }],
    ["an unknown field", { ...base, subject: "fb-user-6", rating: "up", extra: 1 }],
  ])("%s: refused, no subjects row, no feedback", async (label, body) => {
    await expectNothingWritten(label, () => recordFeedback(body), body.subject);
  });
});

describe("event batches rejected in full write nothing", () => {
  it("every event rejected (bad type, NUL id, over-deep, older than the age limit): no event, no subject", async () => {
    const at = new Date().toISOString();
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    const before = await counts();
    const result = await ingestEvents(
      [
        { id: "r-1", type: "nope", timestamp: at, subject: "ev-user-1", name: "x" },
        { id: "r\u00002", type: "system", timestamp: at, subject: "ev-user-2", name: "x" },
        { id: "r-3", type: "system", timestamp: at, subject: "ev-user-3", name: "x", attributes: { deep } },
        { id: "r-4", type: "system", timestamp: new Date(Date.now() - 400 * 86_400_000).toISOString(), subject: "ev-user-4", name: "x" },
      ],
      { apiKeyId: null, ip: null, userAgent: null },
    );
    expect(result).toMatchObject({ accepted: 0, rejected: 4 });
    expect(await counts()).toEqual(before);
    for (const s of ["ev-user-1", "ev-user-2", "ev-user-3", "ev-user-4"]) expect(await subjectRows(s)).toBe(0);
  });
});
