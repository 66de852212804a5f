import "server-only";
import { db } from "../db/client";

/** The display name of one actor id from `actorNames`; null when there is no actor. */
export function nameOf(names: Map<string, string>, id: string | null): string | null {
  return id ? (names.get(id) ?? "a deleted user") : null;
}

/** Display names for the actor ids of audit rows: staff display names and API key prefixes. */
export async function actorNames(ids: (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (unique.length === 0) return new Map();
  const [users, keys] = await Promise.all([
    db().user.findMany({ where: { id: { in: unique } }, select: { id: true, displayName: true } }),
    db().apiKey.findMany({ where: { id: { in: unique } }, select: { id: true, prefix: true, name: true } }),
  ]);
  return new Map([
    ...users.map((u) => [u.id, u.displayName] as const),
    ...keys.map((k) => [k.id, `${k.name} (${k.prefix})`] as const),
  ]);
}
