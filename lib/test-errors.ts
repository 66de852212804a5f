import { expect } from "vitest";
import { SafeError } from "./errors";

// For tests: what a promise rejected with (null when it resolved), and the SafeError assertion.
export async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (e: unknown) => e,
  );
}

export async function expectSafeError(promise: Promise<unknown>, code: SafeError["code"], message?: string): Promise<void> {
  const error = await errorOf(promise);
  expect(error).toBeInstanceOf(SafeError);
  expect(error).toMatchObject({ code, ...(message ? { message } : {}) });
}
