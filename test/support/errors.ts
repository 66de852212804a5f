import { expect } from "vitest";
import { SafeError } from "@/lib/errors";

// For tests: what a promise rejected with (null when it resolved), and the SafeError assertion.
export async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (e: unknown) => e,
  );
}

/** A string message must be equal; a RegExp must match (toMatchObject would let a RegExp pass anything). */
export async function expectSafeError(promise: Promise<unknown>, code: SafeError["code"], message?: string | RegExp): Promise<void> {
  const error = await errorOf(promise);
  expect(error).toBeInstanceOf(SafeError);
  expect((error as SafeError).code).toBe(code);
  if (typeof message === "string") expect((error as SafeError).message).toBe(message);
  else if (message) expect((error as SafeError).message).toMatch(message);
}
