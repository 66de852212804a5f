import "server-only";
import type { Prisma } from "../db/generated/client";
import type { ConsentMethod } from "../db/generated/enums";
import { writeAudit, type Actor } from "../audit/audit";
import { db } from "../db/client";
import { SafeError } from "../errors";
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
  /** why the organisation changed it (method `admin`), shown to the person in their history */
  reason?: string | null;
  /** writes the audit row inside the change's transaction (never the reason: it may be personal) */
  audit?: { actor: Actor; action: string; resourceId?: string | null };
}

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

/**
 * Records the changes that differ from the current state, each with a history row, in one
 * transaction. `essential` cannot be withdrawn: it is what keeps the service running.
 */
export async function recordConsent(pseudonym: string, changes: ConsentChange[], ctx: ConsentContext): Promise<ConsentState[]> {
  const recorded = await db().$transaction((tx) => recordConsentIn(tx, pseudonym, changes, ctx));
  if (recorded > 0) forgetConsent(pseudonym);
  return consentFor(pseudonym);
}

export interface ConsentChange {
  purpose: string;
  granted: boolean;
}

/**
 * The same inside the caller's transaction (an objection carried out, an admin's change); returns
 * how many purposes changed. The caller forgets the cached consent after commit (`forgetConsent`).
 * With `ctx.audit`, the audit row is written here, in the same transaction.
 */
export async function recordConsentIn(tx: Prisma.TransactionClient, pseudonym: string, changes: ConsentChange[], ctx: ConsentContext): Promise<number> {
  // One writer per person at a time, so two simultaneous changes cannot both be recorded as changes.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`consent:${pseudonym}`}))`;
  const current = await consentFor(pseudonym, tx);
  const changed = changes.filter((c) => {
    const state = current.find((s) => s.purpose === c.purpose);
    if (!state) throw new SafeError(`Unknown purpose "${c.purpose}"`, "invalid", { field: "purpose" });
    if (c.purpose === "essential" && !c.granted) throw new SafeError("Essential processing cannot be withdrawn; ask for erasure or restriction instead.", "invalid", { field: "purpose" });
    return state.granted !== c.granted || state.method === "default";
  });
  for (const c of changed) {
    const noticeVersion = current.find((s) => s.purpose === c.purpose)!.noticeVersion;
    const method = ctx.method === "explicit" && !c.granted ? "withdrawal" : ctx.method;
    await tx.consentSetting.upsert({
      where: { subjectPseudonym_purpose: { subjectPseudonym: pseudonym, purpose: c.purpose } },
      create: { subjectPseudonym: pseudonym, purpose: c.purpose, granted: c.granted, method, noticeVersion },
      update: { granted: c.granted, method, noticeVersion, updatedAt: new Date() },
    });
    await tx.consentHistory.create({
      data: {
        subjectPseudonym: pseudonym,
        purpose: c.purpose,
        granted: c.granted,
        method,
        noticeVersion,
        userAgent: ctx.userAgent?.slice(0, 300) ?? null,
        ipPrefix: ctx.ipPrefix ?? null,
        reason: ctx.reason ?? null,
      },
    });
  }
  // Withdrawing training consent (or objecting to it) reaches the data already extracted and the
  // models trained on it.
  if (changed.some((c) => c.purpose === "ai_training" && !c.granted)) await withdrawFromTraining(tx, pseudonym, ctx.method === "objection" ? "objected" : "withdrawn");
  if (ctx.audit) {
    await writeAudit(
      { actor: ctx.audit.actor, action: ctx.audit.action, resourceType: "consent", resourceId: ctx.audit.resourceId ?? null, outcome: "success", metadata: { purposes: changed.map((c) => c.purpose), granted: changed.map((c) => String(c.granted)), method: ctx.method } },
      tx,
    );
  }
  return changed.length;
}

/** Global Privacy Control: opt out of every purpose that is sale or sharing (marketing included); returns them. */
export async function applyGlobalPrivacyControl(pseudonym: string, ctx: Omit<ConsentContext, "method">): Promise<string[]> {
  const current = await consentFor(pseudonym);
  const targets = current.filter((s) => s.isSaleOrSharing || s.purpose === "marketing");
  // Only what is granted (or never chosen) needs a record; an existing withdrawal already holds.
  const toChange = targets.filter((s) => s.granted || s.method === "default");
  if (toChange.length > 0) await recordConsent(pseudonym, toChange.map((s) => ({ purpose: s.purpose, granted: false })), { ...ctx, method: "gpc" });
  return targets.map((s) => s.purpose);
}

export async function consentHistory(pseudonym: string, take = 50) {
  return db().consentHistory.findMany({ where: { subjectPseudonym: pseudonym }, orderBy: [{ recordedAt: "desc" }, { id: "desc" }], take });
}
