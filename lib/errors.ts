import type { z } from "zod";

/**
 * What went wrong, in domain terms. lib/api/problem.ts is the one place that turns a code into an
 * HTTP status; server actions turn any SafeError into a message for the person.
 */
export type ErrorCode =
  | "invalid" // the input is wrong: 400
  | "unauthenticated" // no valid credentials: 401
  | "forbidden" // valid credentials, not allowed: 403
  | "not_found" // 404
  | "conflict" // the state forbids it (stale, duplicate, already done): 409
  | "too_large" // over a size or count limit: 413
  | "unsupported_media" // a content type or encoding we do not read: 415
  | "refused" // understood and well-formed, but refused by a rule: 422
  | "throttled"; // too many attempts or requests: 429

export interface SafeErrorDetails {
  /** The input field the error is about, e.g. `events[3].timestamp`. */
  field?: string;
  /** For throttling: when to try again. */
  retryAfterSeconds?: number;
}

/** An error whose message is written for the person who caused it and is safe to show them. */
export class SafeError extends Error {
  readonly field?: string;
  readonly retryAfterSeconds?: number;

  constructor(
    message: string,
    readonly code: ErrorCode = "invalid",
    details: SafeErrorDetails = {},
  ) {
    super(message);
    this.name = "SafeError";
    this.field = details.field;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

export class NotAuthenticatedError extends SafeError {
  constructor() {
    super("Sign in to continue.", "unauthenticated");
  }
}

export class ForbiddenError extends SafeError {
  constructor() {
    super("You do not have access to this.", "forbidden");
  }
}

/** The field a zod issue is about, as people write it: `events[3].timestamp`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), "");
}

/**
 * Input parsed with its schema, for library functions called without an action around them: the
 * first issue becomes an "invalid" SafeError naming its field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new SafeError(issue.message, "invalid", { field: issuePath(issue.path) || undefined });
  }
  return result.data;
}
