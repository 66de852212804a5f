import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { API_KEY_SCOPES, createApiKeySchema } from "../lib/auth/api-key-scopes";
import { createApiKey, listApiKeys, revokeApiKey } from "../lib/auth/api-keys";
import { can, type Permission } from "../lib/auth/permissions";
import { ROLES, type Role } from "../lib/auth/roles";
import { createUser, createUserSchema, linkSubject, setUserRole, unlinkSubject } from "../lib/auth/users";
import { writeAudit, type Actor } from "../lib/audit/audit";
import { database, db } from "../lib/db/client";
import { migrate, MigrationError } from "../lib/db/migrator";
import { ensureUpcomingPartitions } from "../lib/db/partitions";
import { EnvError } from "../lib/env";
import { SafeError } from "../lib/errors";
import { rekeyPseudonyms } from "../lib/privacy/key-rotation";
import { pseudonymFor } from "../lib/privacy/pseudonym";
import { FEATURE_TYPES, type FeatureTypeName } from "../lib/training/definitions";
import { extractFeatures } from "../lib/training/extract";
import { modelVersionsContainingSubject } from "../lib/training/registry";
import { seedDemoWorkspace } from "../prisma/seed";
import { ensureSecret, resolveDatabase, StartupError, pointAtDatabase, type DatabaseTarget } from "./database-target";

// Operator CLI: `npm run cli -- <command> [options]`. Works against DATABASE_URL, or the embedded
// database under .data/ (joining it when npm start is running). Mutations are audited as `cli`.
const HELP = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                                   apply pending migrations
  seed                                      create the demo workspace (only into an empty database)
  user:create --email E --name N --role R [--password P] [--subject ID]
                                            create a user (a password is generated and printed if omitted);
                                            --subject links an end user to the application's user id ID
  user:link --email E --subject ID          link an end user's account to the application's user id
  user:unlink --email E                     remove that link
  user:set-role --email E --role R          change a user's role (ends their sessions)
  api-key:create --name N --scopes a,b [--owner EMAIL]
                                           create an API key (owned by that user: training keys need one);
                                           the secret is printed once
  api-key:list                              list keys (prefix, scopes, created, last used, revoked)
  api-key:revoke --prefix clk_xxxxxxxx      revoke a key
  pseudonyms:rekey                          after changing CLEARLOG_SECRET: rewrite every pseudonym
                                            with the new key (stop the app first; docs/privacy.md)
  features:extract --type T --start D --end D
                                            extract a feature set (user_behavior, ai_usage, error_patterns)
                                            over [start, end); prints its id, counts and digest
  subject:models --subject ID               the model versions trained on a person's data (their
                                            application id), and whether they withdrew since

Roles: ${ROLES.join(", ")}. Scopes: ${API_KEY_SCOPES.join(", ")}.`;

const actor: Actor = { type: "cli" };

// Whoever runs the CLI has the server's shell and its database: an operator, with an admin's
// permissions in the one permission map. Each command names the permission it uses.
const OPERATOR_ROLE: Role = "admin";
const COMMAND_PERMISSIONS: Record<string, Permission | null> = {
  migrate: null,
  seed: null,
  "user:create": "users.manage",
  "user:set-role": "users.manage",
  "user:link": "users.manage",
  "user:unlink": "users.manage",
  "api-key:create": "api_keys.manage",
  "api-key:list": "api_keys.manage",
  "api-key:revoke": "api_keys.manage",
  "pseudonyms:rekey": "privacy_requests.manage",
  "features:extract": "training.use",
  "subject:models": "models.manage",
};

class UsageError extends Error {}

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name];
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

function parseOrThrow<T>(result: { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }): T {
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new UsageError(`--${String(issue.path[0] ?? "input")} ${issue.message}`);
}

async function run(command: string, values: Record<string, string | undefined>): Promise<void> {
  const permission = COMMAND_PERMISSIONS[command];
  if (permission === undefined) throw new UsageError(`Unknown command "${command}"`);
  if (permission !== null && !can(OPERATOR_ROLE, permission)) throw new UsageError(`${command} needs the ${permission} permission`);
  switch (command) {
    case "migrate":
      return; // migrations run for every command below; nothing more to do
    case "seed": {
      const result = await seedDemoWorkspace();
      if (!result.seeded) console.log("The database already has users; the demo workspace was not created.");
      else console.log(`Seeded the demo workspace (${result.events} events).\nDemo API key (shown once): ${result.apiKey}`);
      return;
    }
    case "user:create": {
      const generated = values.password ? null : randomBytes(12).toString("base64url");
      const input = parseOrThrow(
        createUserSchema.safeParse({ email: required(values, "email"), displayName: required(values, "name"), role: required(values, "role"), password: values.password ?? generated, subject: values.subject }),
      );
      const user = await createUser(input, actor);
      console.log(`Created ${user.role} ${user.email} (${user.id})${input.subject ? `, linked to application user ${input.subject}` : ""}`);
      if (generated) console.log(`Password (shown once): ${generated}`);
      return;
    }
    case "user:set-role": {
      const role = required(values, "role");
      if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
      const user = await setUserRole(required(values, "email"), role as Role, actor);
      console.log(`${user.email} is now ${user.role}`);
      return;
    }
    case "user:link":
    case "user:unlink": {
      const email = required(values, "email").trim().toLowerCase();
      const user = await db().user.findUnique({ where: { email }, select: { id: true } });
      if (!user) throw new UsageError(`No user with email ${email}`);
      if (command === "user:link") {
        const subject = required(values, "subject");
        await linkSubject(user.id, subject, actor);
        console.log(`${email} is linked to application user ${subject}`);
      } else {
        await unlinkSubject(user.id, actor);
        console.log(`${email} is no longer linked to an application user`);
      }
      return;
    }
    case "api-key:create": {
      const input = parseOrThrow(
        createApiKeySchema.safeParse({ name: required(values, "name"), scopes: required(values, "scopes").split(",").map((s) => s.trim()).filter(Boolean) }),
      );
      const key = await createApiKey(input, actor, values.owner ? { ownerEmail: values.owner } : {});
      console.log(`Created API key ${key.prefix} (${key.scopes.join(", ")})`);
      console.log(`Secret (shown once, store it now): ${key.secret}`);
      return;
    }
    case "api-key:list": {
      const keys = await listApiKeys();
      if (keys.length === 0) console.log("No API keys.");
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : `last used ${k.lastUsedAt?.toISOString() ?? "never"}`;
        console.log(`${k.prefix}  ${k.name.padEnd(28)} ${k.scopes.join(",").padEnd(24)} created ${k.createdAt.toISOString()}  ${state}`);
      }
      return;
    }
    case "api-key:revoke": {
      const prefix = required(values, "prefix");
      const key = (await listApiKeys()).find((k) => k.prefix === prefix);
      if (!key) throw new UsageError(`No API key with prefix ${prefix}`);
      await revokeApiKey(key.id, actor);
      console.log(`Revoked ${prefix}`);
      return;
    }
    case "pseudonyms:rekey": {
      const report = await rekeyPseudonyms();
      const rows = Object.entries(report.tables).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`);
      console.log(`Re-keyed ${report.subjects} subjects${rows.length ? ` (${rows.join(", ")})` : ""}.`);
      await writeAudit({ actor, action: "pseudonyms.rekey", resourceType: "subject", outcome: "success", metadata: { subjects: report.subjects, ...report.tables } });
      return;
    }
    case "features:extract": {
      const type = required(values, "type");
      if (!(FEATURE_TYPES as readonly string[]).includes(type)) throw new UsageError(`--type must be one of ${FEATURE_TYPES.join(", ")}`);
      const { featureSetId } = await extractFeatures(type as FeatureTypeName, { startDate: required(values, "start"), endDate: required(values, "end") }, { actor });
      const set = await database().prisma.featureSet.findUniqueOrThrow({ where: { id: featureSetId } });
      const excluded = Object.entries(set.exclusions as Record<string, number>).map(([reason, n]) => `${reason} ${n}`);
      console.log(`Feature set ${set.id}: ${set.rowCount} rows, ${set.subjectCount} subjects included${excluded.length ? `; excluded: ${excluded.join(", ")}` : ""}`);
      console.log(`digest sha256:${set.digest}`);
      return;
    }
    case "subject:models": {
      // The application id is turned into its pseudonym here and never printed.
      const versions = await modelVersionsContainingSubject(pseudonymFor(required(values, "subject")));
      if (versions.length === 0) console.log("No model version was trained on this person's data.");
      for (const v of versions) console.log(`${v.modelName} ${v.version}\tfeature set ${v.featureSetId}${v.withdrawn ? "\twithdrawn since" : ""}`);
      return;
    }
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      password: { type: "string" },
      scopes: { type: "string" },
      prefix: { type: "string" },
      type: { type: "string" },
      start: { type: "string" },
      end: { type: "string" },
      subject: { type: "string" },
      owner: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const command = positionals[0];
  if (!command || values.help) {
    console.log(HELP);
    return command || values.help ? 0 : 2;
  }
  let target: DatabaseTarget | undefined;
  try {
    await ensureSecret((line) => console.error(line));
    target = await resolveDatabase({ log: (line) => console.error(line), joinRunning: true });
    pointAtDatabase(target.url);
    const migrated = await migrate(target.url);
    if (migrated.applied.length > 0 || command === "migrate") {
      console.log(`Migrations: ${migrated.applied.length} applied (${migrated.applied.join(", ") || "none pending"}), ${migrated.alreadyApplied} already in place`);
    }
    await ensureUpcomingPartitions(database().pool);
    await run(command, values as Record<string, string | undefined>);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${HELP}`);
      return 2;
    }
    const known = error instanceof SafeError || error instanceof StartupError || error instanceof EnvError || error instanceof MigrationError;
    console.error(`error: ${known ? (error as Error).message : String(error)}`);
    return 1;
  } finally {
    // database() itself throws when the configuration is invalid; that was already reported.
    await Promise.resolve().then(() => database().close()).catch(() => {});
    await target?.embedded?.stop();
  }
}

void main().then((code) => process.exit(code));
