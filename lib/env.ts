import { z } from "zod";

// The only reader of process.env. Parsed once, with messages that name the variable.
const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(z.string().url().optional())
  .optional();

const databaseUrl = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgresql:// connection string")
      .optional(),
  )
  .optional();

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: databaseUrl,
  TEST_DATABASE_URL: databaseUrl,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().default("0.0.0.0"),
  CLEARLOG_DATA_DIR: z.string().default(".data"),
  CLEARLOG_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  CLEARLOG_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  CLEARLOG_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (generate one with: openssl rand -hex 32)")
    .optional(),
  CLEARLOG_SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  CLEARLOG_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  CLEARLOG_LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  CLEARLOG_LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
  CLEARLOG_SECURE_COOKIES: z.enum(["auto", "true", "false"]).default("auto"),
  CLEARLOG_SKIP_SEED: z.enum(["0", "1"]).default("0"),
  CLEARLOG_INGEST_MAX_EVENTS: z.coerce.number().int().min(1).max(100_000).default(1000),
  CLEARLOG_INGEST_MAX_BATCH_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  CLEARLOG_INGEST_MAX_EVENT_BYTES: z.coerce.number().int().min(256).default(256 * 1024),
  CLEARLOG_INGEST_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  CLEARLOG_INGEST_RATE_PER_SECOND: z.coerce.number().min(0).default(50),
  CLEARLOG_INGEST_RATE_BURST: z.coerce.number().int().min(1).default(200),
  CLEARLOG_E2E_PORT: z.coerce.number().int().min(1).max(65535).default(3100),
  CLEARLOG_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  CLEARLOG_API_IP_RATE_PER_SECOND: z.coerce.number().min(0).default(100),
  CLEARLOG_API_IP_RATE_BURST: z.coerce.number().int().min(1).default(400),
  CLEARLOG_RULES_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** OTLP/gRPC intake port; `0` or `off` disables it. */
  CLEARLOG_OTLP_GRPC_PORT: z
    .string()
    .trim()
    .regex(/^(off|\d{1,5})$/i, "must be a port number, 0 or off")
    .transform((v) => (v.toLowerCase() === "off" ? 0 : Number(v)))
    .pipe(z.number().max(65535, "must be a port number, 0 or off"))
    .default(4317),
  CLEARLOG_PUBLIC_URL: optionalUrl,
  CLEARLOG_SUPABASE_SUBJECT_CLAIM: z
    .string()
    .trim()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, "must be a claim name or a dotted path such as app_metadata.user_id")
    .default("sub"),
  /** e-mail to requesters (receipt, completion); unset: no e-mail is sent */
  CLEARLOG_SMTP_URL: z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(z.string().regex(/^smtps?:\/\/\S+$/, "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587").optional())
    .optional(),
  CLEARLOG_MAIL_FROM: z.string().trim().default("Clearlog <privacy@localhost>"),
  /** webhook URLs on private, loopback or link-local addresses (tests, a receiver on the same host) */
  CLEARLOG_WEBHOOK_ALLOW_PRIVATE: z.enum(["0", "1"]).default("0"),
  CLEARLOG_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  /** days before a request falls due when admins are reminded, e.g. "7,1" */
  CLEARLOG_REMINDER_DAYS: z
    .string()
    .trim()
    .regex(/^\d{1,2}(,\d{1,2})*$/, "must be whole numbers of days separated by commas, e.g. 7,1")
    .transform((v) => [...new Set(v.split(",").map(Number))].filter((n) => n > 0).sort((a, b) => b - a))
    .default([7, 1]),
  NEXT_PUBLIC_SUPABASE_URL: optionalUrl,
  NEXT_PUBLIC_SUPABASE_ANON_KEY: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const first = result.error.issues[0];
    const name = first?.path.join(".") ?? "environment";
    throw new EnvError(`Invalid configuration: ${name} ${first?.message ?? "is invalid"}`);
  }
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Reads the environment again (after something outside this process changed it). */
export function resetEnvCache(): void {
  cached = undefined;
}

/**
 * Changes this process's configuration — for tests, and for scripts that point the code at a database
 * they started. `undefined` unsets a variable. Returns a function that puts the previous values back.
 */
export function overrideEnv(vars: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    cached = undefined;
  };
  apply(vars);
  return () => apply(previous);
}

/** The environment this process hands to a child process (the web server), with additions. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

export function supabaseConfigured(e: Env = env()): boolean {
  return Boolean(e.NEXT_PUBLIC_SUPABASE_URL && e.NEXT_PUBLIC_SUPABASE_ANON_KEY);
}

/** The secret behind pseudonyms and keyed hashes. Required whenever the app serves or seeds. */
export function secret(e: Env = env()): string {
  if (!e.CLEARLOG_SECRET) {
    throw new EnvError("Invalid configuration: CLEARLOG_SECRET is required (npm start creates one under .data/)");
  }
  return e.CLEARLOG_SECRET;
}

export function databaseUrlFromEnv(e: Env = env()): string {
  const url = e.DATABASE_URL;
  if (!url) throw new EnvError("Invalid configuration: DATABASE_URL is not set");
  return url;
}
