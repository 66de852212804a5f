import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { SafeError } from "../errors";
import { pseudonymFor } from "../privacy/pseudonym";
import { applyGlobalPrivacyControl, consentFor, consentHistory, recordConsent } from "./consent";
import { DEFAULT_PURPOSES } from "./purposes";

let seq = 0;
/** A fresh subject per test, so no test sees another's choices. */
const subject = () => pseudonymFor(`consent-user-${Date.now().toString(36)}-${seq++}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function settings(pseudonym: string) {
  return db().consentSetting.findMany({ where: { subjectPseudonym: pseudonym }, orderBy: { purpose: "asc" } });
}

async function historyCount(pseudonym: string) {
  return db().consentHistory.count({ where: { subjectPseudonym: pseudonym } });
}

function stateOf(states: Awaited<ReturnType<typeof consentFor>>, purpose: string) {
  const s = states.find((x) => x.purpose === purpose);
  if (!s) throw new Error(`no state for ${purpose}`);
  return s;
}

describe("consentFor", () => {
  it("gives a new subject the defaults: opt-out purposes granted, opt-in ones not, method default", async () => {
    const p = subject();
    const states = await consentFor(p);
    expect(states.map((s) => s.purpose).sort()).toEqual(DEFAULT_PURPOSES.map((d) => d.key).sort());
    for (const d of DEFAULT_PURPOSES) {
      expect(stateOf(states, d.key)).toMatchObject({ granted: d.defaultGranted, method: "default", updatedAt: null, isSaleOrSharing: d.isSaleOrSharing });
    }
    expect(stateOf(states, "essential").granted).toBe(true);
    expect(stateOf(states, "error_reporting").granted).toBe(true);
    for (const optIn of ["analytics", "ai_training", "personalization", "marketing"]) expect(stateOf(states, optIn).granted).toBe(false);
    expect(await settings(p)).toEqual([]);
    expect(await historyCount(p)).toBe(0);
  });
});

describe("recordConsent", () => {
  it("writes the setting and one history row per actual change, none when nothing changes", async () => {
    const p = subject();
    const ctx = { method: "explicit" as const, userAgent: "Mozilla/5.0 test", ipPrefix: "198.51.100.0/24" };

    const after = await recordConsent(p, [{ purpose: "analytics", granted: true }], ctx);
    expect(stateOf(after, "analytics")).toMatchObject({ granted: true, method: "explicit" });
    expect(stateOf(after, "analytics").updatedAt).toBeInstanceOf(Date);
    expect(await settings(p)).toMatchObject([{ purpose: "analytics", granted: true, method: "explicit" }]);
    const history = await db().consentHistory.findMany({ where: { subjectPseudonym: p } });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ purpose: "analytics", granted: true, method: "explicit", userAgent: "Mozilla/5.0 test", ipPrefix: "198.51.100.0/24" });
    expect(history[0]!.noticeVersion).toBe(stateOf(after, "analytics").noticeVersion);

    // The same choice again changes nothing and records nothing.
    await recordConsent(p, [{ purpose: "analytics", granted: true }], ctx);
    expect(await historyCount(p)).toBe(1);

    // Two purposes in one call, only one of which differs: one row.
    await recordConsent(
      p,
      [
        { purpose: "analytics", granted: true },
        { purpose: "personalization", granted: true },
      ],
      ctx,
    );
    expect(await historyCount(p)).toBe(2);
    expect((await settings(p)).map((s) => [s.purpose, s.granted])).toEqual([
      ["analytics", true],
      ["personalization", true],
    ]);
  });

  it("records a withdrawal made through `explicit` as method withdrawal, keeping user agent and ip prefix", async () => {
    const p = subject();
    await recordConsent(p, [{ purpose: "ai_training", granted: true }], { method: "explicit" });
    const after = await recordConsent(p, [{ purpose: "ai_training", granted: false }], { method: "explicit", userAgent: "agent/2", ipPrefix: "2001:db8::/48" });
    expect(stateOf(after, "ai_training")).toMatchObject({ granted: false, method: "withdrawal" });
    expect(await settings(p)).toMatchObject([{ purpose: "ai_training", granted: false, method: "withdrawal" }]);
    const [latest] = await consentHistory(p, 1);
    expect(latest).toMatchObject({ purpose: "ai_training", granted: false, method: "withdrawal", userAgent: "agent/2", ipPrefix: "2001:db8::/48" });
    expect(await historyCount(p)).toBe(2);

    // Other methods keep their own name for a withdrawal.
    await recordConsent(p, [{ purpose: "ai_training", granted: true }], { method: "api" });
    await recordConsent(p, [{ purpose: "ai_training", granted: false }], { method: "api" });
    expect(stateOf(await consentFor(p), "ai_training")).toMatchObject({ granted: false, method: "api" });
  });

  it("rejects an unknown purpose and writes nothing, not even the valid changes of the same call", async () => {
    const p = subject();
    const call = recordConsent(
      p,
      [
        { purpose: "analytics", granted: true },
        { purpose: "no_such_purpose", granted: true },
      ],
      { method: "explicit" },
    );
    await expect(call).rejects.toBeInstanceOf(SafeError);
    await expect(
      recordConsent(p, [{ purpose: "no_such_purpose", granted: true }], { method: "explicit" }),
    ).rejects.toThrow(/Unknown purpose "no_such_purpose"/);
    expect(await settings(p)).toEqual([]);
    expect(await historyCount(p)).toBe(0);
  });

  it("refuses to withdraw essential and writes nothing", async () => {
    const p = subject();
    const call = recordConsent(
      p,
      [
        { purpose: "marketing", granted: true },
        { purpose: "essential", granted: false },
      ],
      { method: "explicit" },
    );
    await expect(call).rejects.toBeInstanceOf(SafeError);
    await expect(recordConsent(p, [{ purpose: "essential", granted: false }], { method: "admin" })).rejects.toMatchObject({ name: "SafeError", code: "invalid" });
    expect(await settings(p)).toEqual([]);
    expect(await historyCount(p)).toBe(0);
    expect(stateOf(await consentFor(p), "essential")).toMatchObject({ granted: true, method: "default" });
  });
});

describe("applyGlobalPrivacyControl", () => {
  it("opts out of marketing with method gpc, returns the purposes, and leaves the others alone", async () => {
    const p = subject();
    await recordConsent(
      p,
      [
        { purpose: "marketing", granted: true },
        { purpose: "analytics", granted: true },
      ],
      { method: "explicit" },
    );
    const before = await consentFor(p);

    const purposes = await applyGlobalPrivacyControl(p, { userAgent: "gpc-browser/1", ipPrefix: "192.0.2.0/24" });
    expect(purposes).toEqual(["marketing"]);

    const after = await consentFor(p);
    expect(stateOf(after, "marketing")).toMatchObject({ granted: false, method: "gpc" });
    for (const s of after.filter((x) => x.purpose !== "marketing")) {
      const was = stateOf(before, s.purpose);
      expect({ purpose: s.purpose, granted: s.granted, method: s.method }).toEqual({ purpose: was.purpose, granted: was.granted, method: was.method });
    }
    const [latest] = await consentHistory(p, 1);
    expect(latest).toMatchObject({ purpose: "marketing", granted: false, method: "gpc", userAgent: "gpc-browser/1", ipPrefix: "192.0.2.0/24" });
    expect(await historyCount(p)).toBe(3);

    // Audited once, with the change, naming the purposes and never the subject.
    const tester = randomUUID();
    const audits = () => db().auditLog.findMany({ where: { action: "consent.gpc", actorId: tester } });
    expect(await audits()).toHaveLength(0);

    // Idempotent: the signal is sent with every request, and must not grow the history.
    await applyGlobalPrivacyControl(p, { userAgent: "gpc-browser/1", ipPrefix: "192.0.2.0/24", actor: { type: "user", id: tester, role: "end_user" } });
    expect(await historyCount(p)).toBe(3);
    expect(await audits()).toHaveLength(0);
    expect(stateOf(await consentFor(p), "marketing")).toMatchObject({ granted: false, method: "gpc" });
  });

  it("records the opt-out for a subject who never chose (default state), with its audit row", async () => {
    const p = subject();
    const actor = { type: "user" as const, id: randomUUID(), role: "end_user" as const };
    expect(await applyGlobalPrivacyControl(p, { actor })).toEqual(["marketing"]);
    const [audit] = await db().auditLog.findMany({ where: { action: "consent.gpc", actorId: actor.id } });
    expect(audit).toMatchObject({ outcome: "success", resourceType: "consent", metadata: { method: "gpc", purposes: ["marketing"], changed: ["marketing"] } });
    expect(JSON.stringify({ ...audit, id: String(audit!.id) })).not.toContain(p);
    expect(await settings(p)).toMatchObject([{ purpose: "marketing", granted: false, method: "gpc" }]);
    expect(await historyCount(p)).toBe(1);
    await applyGlobalPrivacyControl(p, { actor });
    expect(await historyCount(p)).toBe(1);
    expect(await db().auditLog.count({ where: { action: "consent.gpc", actorId: actor.id } })).toBe(1);
    // Nothing else was written for the subject: the other purposes keep their defaults.
    for (const s of (await consentFor(p)).filter((x) => x.purpose !== "marketing")) expect(s.method).toBe("default");
  });
});

describe("consentHistory", () => {
  it("lists the changes newest first, limited by take", async () => {
    const p = subject();
    await recordConsent(p, [{ purpose: "analytics", granted: true }], { method: "explicit" });
    await sleep(5);
    await recordConsent(p, [{ purpose: "personalization", granted: true }], { method: "explicit" });
    await sleep(5);
    await recordConsent(p, [{ purpose: "analytics", granted: false }], { method: "explicit" });

    const all = await consentHistory(p);
    expect(all.map((h) => [h.purpose, h.granted, h.method])).toEqual([
      ["analytics", false, "withdrawal"],
      ["personalization", true, "explicit"],
      ["analytics", true, "explicit"],
    ]);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.recordedAt.getTime()).toBeGreaterThanOrEqual(all[i]!.recordedAt.getTime());
    expect((await consentHistory(p, 2)).map((h) => h.purpose)).toEqual(["analytics", "personalization"]);
    expect(await consentHistory(subject())).toEqual([]);
  });
});

describe("simultaneous changes", () => {
  it("record one change once, even when sent twice at the same moment", async () => {
    const p = subject();
    await Promise.all([1, 2, 3].map(() => recordConsent(p, [{ purpose: "analytics", granted: true }], { method: "api" })));
    const rows = await db().consentHistory.findMany({ where: { subjectPseudonym: p, purpose: "analytics" } });
    expect(rows).toHaveLength(1);
  });
});
