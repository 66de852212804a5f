import "server-only";
import type { Prisma } from "../db/generated/client";
import type { ConsentMethod } from "../db/generated/enums";
import { writeAudit, type Actor } from "../audit/audit";
import { db } from "../db/client";
import { lockFor, transaction, type Tx } from "../db/transaction";
import { noticeConsentChanged } from "../notifications/notices";
import { SafeError } from "../errors";
import { linkSubjects, pseudonymFor } from "../privacy/pseudonym";
import { forgetConsent } from "./consent-cache";
import { withdrawFromTraining } from "../training/withdrawal";

// A subject's consent per purpose: consent_settings holds the current choice, consent_history every
// change (proof of consent). A purpose nobody chose for yet takes its default (opt-out purposes are
// granted until withdrawn, opt-in ones are not).
export interface ConsentState {
  purpose: string;
  name: string;
  description: string;
  legalBasis: string;
  isSaleOrSharing: boolean;
  granted: boolean;
  /** how the current state came about; `default` when the person never chose */
  method: ConsentMethod;
  noticeVersion: string;
  updatedAt: Date | null;
}

export interface ConsentContext {
  method: Exclude<ConsentMethod, "default">;
  userAgent?: string | null;
  ipPrefix?: string | null;
  /** who made the change, for the audit row written in the change's transaction (the system when absent) */
  actor?: Actor | null;
  /** why the organisation changed it (method `admin`), shown to the person in their history */
  reason?: string | null;
  /** the audit row's action, when not the method's default (`consent.update`, `consent.gpc`) */
  auditAction?: string;
}

/** Whose consent changes: a pseudonym, or an application's user id whose link is written with the change. */
export type ConsentSubject = string | { externalId: string };

type Reader = Pick<Prisma.TransactionClient, "consentPurpose" | "consentSetting">;

export async function consentFor(pseudonym: string, client: Reader = db()): Promise<ConsentState[]> {
  const purposes = await client.consentPurpose.findMany({ orderBy: { sortOrder: "asc" } });
  const settings = await client.consentSetting.findMany({ where: { subjectPseudonym: pseudonym } });
  return purposes.map((p) => {
    const s = settings.find((x) => x.purpose === p.key);
    return {
      purpose: p.key,
      name: p.name,
      description: p.description,
      legalBasis: p.legalBasis,
      isSaleOrSharing: p.isSaleOrSharing,
      granted: s ? s.granted : p.defaultGranted,
      method: s ? s.method : "default",
      noticeVersion: s ? s.noticeVersion : p.noticeVersion,
      updatedAt: s?.updatedAt ?? null,
    };
  });
}

type Change = { purpose: string; granted: boolean };

/**
 * In one transaction, under the subject's consent lock: decides the changes from the current state,
 * writes each one that differs with its history row, reaches the training data on an ai_training
 * withdrawal, and writes the audit row. Returns the changes recorded.
 */
async function changeConsent(subject: ConsentSubject, decide: (current: ConsentState[]) => Change[], ctx: ConsentContext, audit: "always" | "when_changed"): Promise<{ pseudonym: string; changed: Change[] }> {
  const pseudonym = typeof subject === "string" ? subject : pseudonymFor(subject.externalId);
  const changed = await transaction((tx) => changeConsentIn(tx, subject, pseudonym, decide, ctx, audit));
  if (changed.length > 0) forgetConsent(pseudonym);
  return { pseudonym, changed };
}

async function changeConsentIn(
  tx: Tx,
  subject: ConsentSubject,
  pseudonym: string,
  decide: (current: ConsentState[]) => Change[],
  ctx: ConsentContext,
  audit: "always" | "when_changed" | "never",
): Promise<Change[]> {
  // One writer per person at a time, so two simultaneous changes cannot both be recorded as changes.
  await lockFor(tx, "consent", pseudonym);
  const current = await consentFor(pseudonym, tx);
  const requested = decide(current);
  const changed = requested.filter((c) => {
    const state = current.find((s) => s.purpose === c.purpose);
    if (!state) throw new SafeError(`Unknown purpose "${c.purpose}"`, "invalid");
    if (c.purpose === "essential" && !c.granted) throw new SafeError("Essential processing cannot be withdrawn; ask for erasure or restriction instead.", "invalid");
    return state.granted !== c.granted || state.method === "default";
  });
  // Only an accepted change links the application's id to its pseudonym.
  if (typeof subject !== "string") await linkSubjects(tx, [{ externalId: subject.externalId, pseudonym }]);
  for (const c of changed) {
    const noticeVersion = current.find((s) => s.purpose === c.purpose)!.noticeVersion;
    const method = ctx.method === "explicit" && !c.granted ? "withdrawal" : ctx.method;
    await tx.consentSetting.upsert({
      where: { subjectPseudonym_purpose: { subjectPseudonym: pseudonym, purpose: c.purpose } },
      create: { subjectPseudonym: pseudonym, purpose: c.purpose, granted: c.granted, method, noticeVersion },
      update: { granted: c.granted, method, noticeVersion, updatedAt: new Date() },
    });
    await tx.consentHistory.create({
      data: { subjectPseudonym: pseudonym, purpose: c.purpose, granted: c.granted, method, noticeVersion, userAgent: ctx.userAgent?.slice(0, 300) ?? null, ipPrefix: ctx.ipPrefix ?? null, reason: ctx.reason ?? null },
    });
  }
  // Withdrawing training consent reaches the data already extracted and the models trained on it.
  if (changed.some((c) => c.purpose === "ai_training" && !c.granted)) await withdrawFromTraining(tx, pseudonym, ctx.method === "objection" ? "objected" : "withdrawn");
  await noticeConsentChanged(tx, pseudonym, changed, ctx.method);
  if (audit === "always" || (audit === "when_changed" && changed.length > 0)) {
    await writeAudit(
      {
        actor: ctx.actor ?? null,
        action: ctx.auditAction ?? (ctx.method === "gpc" ? "consent.gpc" : "consent.update"),
        resourceType: "consent",
        outcome: "success",
        metadata: { method: ctx.method, purposes: requested.map((c) => c.purpose), changed: changed.map((c) => c.purpose) },
      },
      tx,
    );
  }
  return changed;
}

/**
 * The same inside the caller's transaction (an objection carried out, an admin's change); returns
 * how many purposes changed. The caller forgets the cached consent after commit (`forgetConsent`).
 */
export async function recordConsentIn(tx: Tx, pseudonym: string, changes: Change[], ctx: ConsentContext): Promise<number> {
  return (await changeConsentIn(tx, pseudonym, pseudonym, () => changes, ctx, ctx.actor ? "when_changed" : "never")).length;
}

/**
 * Records the changes that differ from the current state, each with a history row, and the audit
 * row, in one transaction. `essential` cannot be withdrawn: it is what keeps the service running.
 */
export async function recordConsent(subject: ConsentSubject, changes: Change[], ctx: ConsentContext): Promise<ConsentState[]> {
  const { pseudonym } = await changeConsent(subject, () => changes, ctx, "always");
  return consentFor(pseudonym);
}

/** The purposes Global Privacy Control opts out of: every sale or sharing purpose, and marketing. */
export function gpcPurposes(states: readonly ConsentState[]): ConsentState[] {
  return states.filter((s) => s.isSaleOrSharing || s.purpose === "marketing");
}

/** Whether the signal still has something to record: a target granted, or never chosen. */
export function gpcPending(states: readonly ConsentState[]): boolean {
  return gpcPurposes(states).some((s) => s.granted || s.method === "default");
}

/**
 * Global Privacy Control: opts out of every purpose it covers that is granted or never chosen (an
 * existing withdrawal already holds), audited in the same transaction; returns the purposes covered.
 * Idempotent: the signal comes with every request and records nothing once applied.
 */
export async function applyGlobalPrivacyControl(pseudonym: string, ctx: Omit<ConsentContext, "method">): Promise<string[]> {
  let covered: string[] = [];
  await changeConsent(
    pseudonym,
    (current) => {
      const targets = gpcPurposes(current);
      covered = targets.map((s) => s.purpose);
      return targets.filter((s) => s.granted || s.method === "default").map((s) => ({ purpose: s.purpose, granted: false }));
    },
    { ...ctx, method: "gpc" },
    "when_changed",
  );
  return covered;
}

export async function consentHistory(pseudonym: string, take = 50) {
  return db().consentHistory.findMany({ where: { subjectPseudonym: pseudonym }, orderBy: [{ recordedAt: "desc" }, { id: "desc" }], take });
}
