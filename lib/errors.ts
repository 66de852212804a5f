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
