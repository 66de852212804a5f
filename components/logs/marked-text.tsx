// Stored text with the classifier's markers made visible. Logged content is untrusted: it is only
// ever rendered as React text, never as HTML.
const MARKER = /\[(?:EMAIL|PHONE|CARD|IBAN|IP|SSN|JWT|TOKEN|PRIVATE_KEY|API_KEY|SECRET|REDACTED|REDACTED_KEY)\]|\[(?:HASH|EMAIL|PHONE|CARD|IBAN|IP|SSN):[0-9a-f]{6,}\]/g;

export function MarkedText({ text }: { text: string }) {
  const parts: (string | { marker: string })[] = [];
  let at = 0;
  for (const m of text.matchAll(MARKER)) {
    if (m.index > at) parts.push(text.slice(at, m.index));
    parts.push({ marker: m[0] });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return (
    <>
      {parts.map((p, i) =>
        typeof p === "string" ? (
          p
        ) : (
          <mark key={i} data-testid="redaction-marker" title="Redacted or hashed at ingest" className="rounded bg-amber-100 px-1 font-mono text-[0.85em] text-amber-900">
            {p.marker}
          </mark>
        ),
      )}
    </>
  );
}
