import "server-only";
import type { Actor } from "../audit/audit";
import type { ApiKeyPrincipal } from "../auth/api-keys";
import { can, type Permission } from "../auth/permissions";
import { db } from "../db/client";
import { SafeError } from "../errors";

/**
 * The user a training request acts for: the key's owner (the user who created it), who must still
 * hold `permission` now — a demoted or disabled owner's keys stop working for training at once.
 * Keys without an owner (made by the CLI) cannot reach training data. Audit rows name the owner.
 */
export async function keyOwnerActor(key: ApiKeyPrincipal, permission: Permission): Promise<Actor> {
  const row = await db().apiKey.findUnique({ where: { id: key.keyId }, select: { createdBy: { select: { id: true, role: true, disabledAt: true } } } });
  const owner = row?.createdBy;
  if (!owner) throw new SafeError("This API key has no owner; training needs a key created by a user in the console.", "forbidden");
  if (owner.disabledAt || !can(owner.role, permission)) {
    throw new SafeError(`The owner of this API key no longer holds the '${permission}' permission.`, "forbidden");
  }
  return { type: "user", id: owner.id, role: owner.role };
}
