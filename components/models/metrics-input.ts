// The register form's free-text fields, turned into the registerModel input. Pure, for the client.

/** "accuracy = 0.91" per line → { accuracy: 0.91 }; a line that is not name=number is an error naming it. */
export function parseMetrics(text: string): { metrics: Record<string, number> } | { error: string } {
  const metrics: Record<string, number> = {};
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const match = /^([^=:]+?)\s*[=:]\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)$/i.exec(line);
    if (!match) return { error: `Metrics, line ${i + 1}: write name = number, e.g. accuracy = 0.91.` };
    metrics[match[1]!.trim()] = Number(match[2]);
  }
  return { metrics };
}

/** A JSON object, or nothing. */
export function parseParameters(text: string): { parameters: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { parameters: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return { parameters: value as Record<string, unknown> };
  } catch {
    // reported below
  }
  return { error: 'Parameters must be a JSON object, e.g. {"epochs": 3}.' };
}

export function parseTags(text: string): string[] {
  return [...new Set(text.split(",").map((t) => t.trim()).filter(Boolean))];
}
