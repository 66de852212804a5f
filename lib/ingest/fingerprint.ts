import { createHash } from "node:crypto";

// A stable id for "the same error": its type, where it is thrown (the top stack frames without line
// and column numbers or absolute paths) and, without a stack, the message with its variable parts
// (numbers, ids, quoted values) blanked — so the same bug groups together across deploys and users.
const FRAME = /^\s*at\s+(?:(.+?)\s+\()?(?:.*[\\/])?([^\\/():]+?)(?::\d+)?(?::\d+)?\)?\s*$/;

function topFrames(stack: string, max = 5): string[] {
  const frames: string[] = [];
  for (const line of stack.split("\n")) {
    const m = FRAME.exec(line);
    if (!m) continue;
    frames.push(`${m[1] ?? "<anonymous>"}@${m[2]}`);
    if (frames.length === max) break;
  }
  return frames;
}

export function normalizeMessage(message: string): string {
  return message
    .replace(/\[[A-Z_]+(?::[0-9a-f]+)?\]/g, "<redacted>")
    .replace(/(["'`]).*?\1/g, "<str>")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<id>")
    .replace(/\b(?:0x)?[0-9a-f]{12,}\b/gi, "<hex>")
    .replace(/\d+(?:\.\d+)?/g, "<n>")
    .trim()
    .slice(0, 500);
}

export function errorFingerprint(input: { type: string; message: string; stack?: string; component?: string | null }): string {
  const frames = input.stack ? topFrames(input.stack) : [];
  const basis = frames.length > 0 ? frames.join("|") : normalizeMessage(input.message);
  return createHash("sha256").update(`${input.type}\n${input.component ?? ""}\n${basis}`).digest("hex").slice(0, 16);
}
