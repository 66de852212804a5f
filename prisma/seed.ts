import { generateApiKey } from "../lib/auth/api-keys";
import { hashPassword, verifyPassword } from "../lib/auth/password";
import { sha256Hex } from "../lib/auth/tokens";
import { writeAudit } from "../lib/audit/audit";
import { database } from "../lib/db/client";
import { ensureLogPartitions } from "../lib/db/partitions";
import { DEFAULT_PURPOSES, NOTICE_VERSION } from "../lib/consent/purposes";
import { pseudonymFor } from "../lib/privacy/pseudonym";
import { extractFeatures } from "../lib/training/extract";
import { demoEvents, prng, type DemoSubject } from "./seed-events";

// The demo workspace `npm start` creates once: a user per role, an API key, a week of events,
// consent, privacy requests and a registered model. (Purposes, classification rules and retention
// policies every workspace has come from the workspace_defaults migration.) Demo passwords are public: change them
// (npm run cli -- user:create …) before exposing an instance.
export const DEMO_ACCOUNTS = [
  { email: "admin@clearlog.demo", password: "demo-admin-pass", role: "admin", displayName: "Ada Admin" },
  { email: "scientist@clearlog.demo", password: "demo-scientist-pass", role: "data_scientist", displayName: "Sam Scientist" },
  { email: "user@clearlog.demo", password: "demo-user-pass", role: "end_user", displayName: "Uma User", subject: "user-1001" },
  { email: "eli@clearlog.demo", password: "demo-eli-pass", role: "end_user", displayName: "Eli Example", subject: "user-1002" },
  { email: "noor@clearlog.demo", password: "demo-noor-pass", role: "end_user", displayName: "Noor Example", subject: "user-1003" },
] as const;

/** The application user id of the first demo end user, so their portal shows their own events. */
export const DEMO_END_USER_SUBJECT = "user-1001";

export interface SeedResult {
  seeded: boolean;
  apiKey?: string;
  events?: number;
}

export async function isSeeded(): Promise<boolean> {
  return (await database().prisma.user.count()) > 0;
}

/** Which demo accounts still have their published password (those are worth printing). */
export async function demoAccountsInUse() {
  const users = await database().prisma.user.findMany({ where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } } });
  const usable = [];
  for (const account of DEMO_ACCOUNTS) {
    const user = users.find((u) => u.email === account.email);
    if (user?.passwordHash && (await verifyPassword(account.password, user.passwordHash))) usable.push(account);
  }
  return usable;
}

export async function seedDemoWorkspace(options: { events?: number; now?: Date } = {}): Promise<SeedResult> {
  if (await isSeeded()) return { seeded: false };
  const { prisma, pool } = database();
  const now = options.now ?? new Date();
  const rand = prng(7);
  const day = 86_400_000;

  const subjects: DemoSubject[] = Array.from({ length: 40 }, (_, i) => {
    const externalId = `user-${1001 + i}`;
    return { externalId, pseudonym: pseudonymFor(externalId) };
  });
  const { events, sessions } = demoEvents(subjects, options.events ?? 3000, now);
  await ensureLogPartitions(pool, new Date(now.getTime() - 8 * 86_400_000), now);

  const { key, prefix } = generateApiKey();
  const { scientistId, versionId } = await prisma.$transaction(
    async (tx) => {
      const users = [];
      for (const account of DEMO_ACCOUNTS) {
        users.push(
          await tx.user.create({
            data: {
              email: account.email,
              displayName: account.displayName,
              role: account.role,
              passwordHash: await hashPassword(account.password),
              subjectPseudonym: "subject" in account ? pseudonymFor(account.subject) : null,
            },
          }),
        );
      }
      const admin = users[0]!;
      const scientist = users[1]!;
      await tx.apiKey.create({
        data: { name: "Demo application", prefix, secretHash: sha256Hex(key), scopes: ["ingest", "consent", "feedback", "privacy"], createdById: admin.id },
      });
      await tx.subject.createMany({ data: subjects });
      const settings = [];
      const history = [];
      const accountSubjects = new Set<string>(DEMO_ACCOUNTS.flatMap((a) => ("subject" in a ? [a.subject] : [])));
      for (const subject of subjects) {
        for (const purpose of DEFAULT_PURPOSES) {
          // The demo people who can sign in have not decided about AI training: trying it is theirs to do.
          const undecided = purpose.key === "ai_training" && accountSubjects.has(subject.externalId);
          const granted = !undecided && (purpose.defaultGranted || rand() < (purpose.key === "analytics" ? 0.7 : 0.4));
          const recordedAt = new Date(now.getTime() - Math.floor(rand() * 30 * 86_400_000));
          const method = undecided || (granted && purpose.defaultGranted) ? "default" : !granted ? "withdrawal" : "explicit";
          settings.push({ subjectPseudonym: subject.pseudonym, purpose: purpose.key, granted, method, noticeVersion: NOTICE_VERSION, updatedAt: recordedAt } as const);
          history.push({ subjectPseudonym: subject.pseudonym, purpose: purpose.key, granted, method, noticeVersion: NOTICE_VERSION, recordedAt, ipPrefix: "203.0.113.0/24" } as const);
        }
      }
      await tx.consentSetting.createMany({ data: settings });
      await tx.consentHistory.createMany({ data: history });
      await tx.systemLog.createMany({ data: events });
      await tx.loggingSession.createMany({ data: sessions });
      const requests = [
        { subject: subjects[3]!, type: "access", steps: ["received"], details: "Please send me a copy of my data.", daysAgo: 2, channel: "api", verificationMethod: "application" },
        { subject: subjects[7]!, type: "erasure", steps: ["received", "verified"], details: "Delete my account data.", daysAgo: 12, channel: "admin", verificationMethod: "email_confirmation", requesterContact: "support ticket #4411" },
        { subject: subjects[15]!, type: "objection", steps: ["received"], details: "Stop using my data for personalization.", daysAgo: 34, channel: "portal_session", verificationMethod: "application_session", purpose: "personalization" },
        { subject: subjects[11]!, type: "rectification", steps: ["received", "verified", "in_progress", "completed"], details: "My display name is misspelled.", daysAgo: 40, channel: "admin", verificationMethod: "identity_document", requesterContact: "letter of 2 November", note: "Display name corrected in every record." },
      ] as const;
      for (const r of requests) {
        const receivedAt = new Date(now.getTime() - r.daysAgo * day);
        const status = r.steps.at(-1)!;
        const request = await tx.privacyRequest.create({
          data: {
            subjectPseudonym: r.subject.pseudonym,
            type: r.type,
            status,
            details: r.details,
            receivedAt,
            dueAt: new Date(receivedAt.getTime() + 30 * day),
            completedAt: status === "completed" ? new Date(receivedAt.getTime() + 20 * day) : null,
            channel: r.channel,
            verificationMethod: r.verificationMethod,
            requesterContact: "requesterContact" in r ? r.requesterContact : null,
            filedById: r.channel === "admin" ? admin.id : null,
            purpose: "purpose" in r ? r.purpose : null,
            resolutionNote: "note" in r ? r.note : null,
          },
        });
        await tx.privacyRequestEvent.createMany({
          data: r.steps.map((to, i) => ({
            requestId: request.id,
            fromStatus: i === 0 ? null : r.steps[i - 1]!,
            toStatus: to,
            // The first step is the requester's; the admin takes the others.
            actorType: i === 0 && r.channel !== "admin" ? (r.channel === "api" ? "system" : "subject") : "user",
            actorId: i === 0 && r.channel !== "admin" ? null : admin.id,
            note: to === "completed" && "note" in r ? r.note : null,
            occurredAt: new Date(receivedAt.getTime() + i * 3 * day),
          })),
        });
      }
      const model = await tx.model.create({
        data: { name: "support-assistant", modelType: "llm-fine-tune", description: "Drafts first replies to support tickets.", createdById: scientist.id },
      });
      const version = await tx.modelVersion.create({
        data: {
          modelId: model.id,
          version: "1.0.0",
          description: "First fine-tune on consented support conversations.",
          metrics: { accuracy: 0.87, f1: 0.84 },
          parameters: { base_model: "llama-3.1-8b", epochs: 3, learning_rate: 0.0002 },
          tags: ["support", "en"],
          artifactUri: "s3://models/support-assistant/1.0.0",
          isActive: true,
          createdById: scientist.id,
        },
      });
      await tx.modelAlias.create({ data: { modelId: model.id, alias: "production", modelVersionId: version.id } });
      // Feedback from people without AI training consent is kept for monitoring, not for training.
      const trains = new Set(settings.filter((c) => c.purpose === "ai_training" && c.granted).map((c) => c.subjectPseudonym));
      const corrections = [
        { label: "wrong_policy", correction: "Refunds are processed within 14 days, not 30." },
        { label: "tone", correction: "Apologise first, then give the tracking link." },
        { label: "missing_step", correction: "Ask for the order number before escalating to billing." },
      ];
      await tx.modelFeedback.createMany({
        data: Array.from({ length: 60 }, (_, i) => {
          const subjectPseudonym = subjects[i % subjects.length]!.pseudonym;
          const annotated = i % 5 === 0;
          return {
            modelVersionId: version.id,
            subjectPseudonym,
            rating: rand() < 0.78 ? 1 : -1,
            score: Math.round(rand() * 100) / 100,
            source: annotated ? ("annotator" as const) : ("end_user" as const),
            ...(annotated ? corrections[(i / 5) % corrections.length]! : {}),
            trainingEligible: trains.has(subjectPseudonym),
            createdAt: new Date(now.getTime() - Math.floor(rand() * 7 * day)),
          };
        }),
      });
      await writeAudit({ actor: { type: "system" }, action: "workspace.seed", resourceType: "workspace", outcome: "success", metadata: { events: events.length, subjects: subjects.length } }, tx);
      return { scientistId: scientist.id, versionId: version.id };
    },
    { timeout: 120_000 },
  );
  // The model's lineage: the feature sets it was trained on, extracted as a data scientist would.
  const scientist = { type: "user", id: scientistId, role: "data_scientist" } as const;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const range = { startDate: new Date(today - 7 * day), endDate: new Date(today + day) };
  const usage = await extractFeatures("ai_usage", range, { actor: scientist });
  await extractFeatures("user_behavior", range, { actor: scientist });
  await prisma.modelVersionFeatureSet.create({ data: { modelVersionId: versionId, featureSetId: usage.featureSetId } });
  return { seeded: true, apiKey: key, events: events.length };
}
