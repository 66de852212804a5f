import pino from "pino";
import { env } from "./env";

// The one logger: JSON lines on stdout, level from CLEARLOG_LOG_LEVEL. Errors are serialized without
// their message: database and validation errors quote the values they were given, and those values
// can be personal data. What is kept — name, code, SQLSTATE, constraint, stack frames — is enough to
// find the line that failed.
export interface SafeErrorFields {
  name: string;
  code?: string;
  sqlstate?: string;
  constraint?: string;
  frames?: string[];
  cause?: SafeErrorFields;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

export function serializeError(error: unknown, depth = 0): SafeErrorFields {
  if (!(error instanceof Error)) return { name: typeof error };
  const fields: SafeErrorFields = { name: error.name };
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (typeof code === "string") {
    if (SQLSTATE.test(code)) fields.sqlstate = code;
    else fields.code = code.slice(0, 64);
  }
  if (typeof constraint === "string") fields.constraint = constraint.slice(0, 128);
  // Frames only: the stack's first line repeats the message.
  const frames = error.stack?.split("\n").filter((line) => /^\s+at /.test(line)).slice(0, 12).map((line) => line.trim());
  if (frames?.length) fields.frames = frames;
  if (error.cause !== undefined && depth < 3) fields.cause = serializeError(error.cause, depth + 1);
  return fields;
}

const globalForLogger = globalThis as unknown as { clearlogLogger?: pino.Logger };

function create(): pino.Logger {
  return pino({
    level: env().CLEARLOG_LOG_LEVEL,
    base: { service: "clearlog" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError, error: serializeError },
  });
}

/** The process's logger; `log.child({ component })` names where a line comes from. */
export function logger(): pino.Logger {
  globalForLogger.clearlogLogger ??= create();
  return globalForLogger.clearlogLogger;
}
