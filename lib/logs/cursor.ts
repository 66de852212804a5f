import { isStorableDate, isStorableText } from "../validation";

// Keyset position in the explorer's order (newest first): the last row's time and id, opaque to clients.
export interface Position {
  at: Date;
  id: string;
}

export function encodeCursor(p: Position): string {
  return Buffer.from(`${p.at.toISOString()}|${p.id}`).toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined): Position | null {
  if (!cursor) return null;
  const raw = Buffer.from(cursor, "base64url").toString("utf8");
  const bar = raw.indexOf("|");
  const at = new Date(raw.slice(0, bar));
  const id = raw.slice(bar + 1);
  // A NUL (which PostgreSQL refuses) or a year beyond 9999 is no position in the log.
  if (bar < 0 || !isStorableDate(at) || id.length === 0 || !isStorableText(id)) return null;
  return { at, id };
}
