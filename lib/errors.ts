import type { z } from "zod";

/** An error whose message is written for the person who caused it and is safe to show them. */
export class SafeError extends Error {
  constructor(
    message: string,
    readonly code: "invalid" | "not_found" | "conflict" | "forbidden" | "unauthenticated" | "throttled" = "invalid",
  ) {
    super(message);
    this.name = "SafeError";
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

/**
 * Input parsed with its schema, for library functions called without an action around them: the
 * first issue's message (schemas name the field in it) becomes an "invalid" SafeError.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new SafeError(result.error.issues[0]!.message, "invalid");
  return result.data;
}
