import "server-only";
import { logger } from "../logger";
import type { z } from "zod";
import { writeAudit, type Actor } from "../audit/audit";
import { SafeError } from "../errors";
import { getCurrentUser } from "./current-user";
import { can, type Permission } from "./permissions";
import { actorOf, type SessionUser } from "./session-user";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: Record<string, string> };

export interface ActionContext {
  user: SessionUser;
  actor: Actor;
}

/** What an exported server action requires: a permission, or nothing (sign-in and sign-out). */
export type ActionPolicy = { name: string; permission: Permission | null };

const policies = new WeakMap<object, ActionPolicy>();

/** The policy an action was built with; undefined for a function not built here (a test fails on it). */
export function actionPolicy(action: unknown): ActionPolicy | undefined {
  return typeof action === "function" ? policies.get(action) : undefined;
}

/** For the few actions anyone may call (signing in and out): named and registered like the others. */
export function definePublicAction<A extends unknown[], T>(name: string, action: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  policies.set(action, { name, permission: null });
  return action;
}

/**
 * The one way to build a server action: names it, validates the input with its schema, checks the
 * session and role on the server, and turns errors into results. SafeError messages reach the user;
 * anything else is logged by name and shown generically. Refusals and failures are audited here;
 * successful mutations audit themselves inside their own transaction (lib/<domain>).
 */
export function defineAction<S extends z.ZodType, T>(
  config: { name: string; permission: Permission; schema: S; resourceType: string },
  handler: (input: z.output<S>, context: ActionContext) => Promise<T>,
): (input: unknown) => Promise<ActionResult<T>> {
  const action = async (input: unknown): Promise<ActionResult<T>> => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, error: "Your session has ended. Sign in again." };
    const actor: Actor = actorOf(user);
    if (!can(user.role, config.permission)) {
      await writeAudit({ actor, action: config.name, resourceType: config.resourceType, outcome: "denied" });
      return { ok: false, error: "You do not have access to this." };
    }
    const parsed = config.schema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[issue.path.join(".") || "form"] ??= issue.message;
      // Schema messages are written for people and say which field they are about.
      return { ok: false, error: Object.values(fieldErrors)[0] ?? "Invalid input", fieldErrors };
    }
    try {
      return { ok: true, data: await handler(parsed.data, { user, actor }) };
    } catch (error) {
      const safe = error instanceof SafeError;
      await writeAudit({
        actor,
        action: config.name,
        resourceType: config.resourceType,
        outcome: "failure",
        metadata: { error: safe ? error.code : "internal" },
      }).catch(() => {});
      if (safe) return { ok: false, error: error.message };
      logger().error({ component: "action", action: config.name, err: error }, "action failed");
      return { ok: false, error: "Something went wrong on our side. Try again, or ask an operator to check the server log." };
    }
  };
  policies.set(action, { name: config.name, permission: config.permission });
  return action;
}
