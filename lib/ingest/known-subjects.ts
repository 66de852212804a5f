// Pseudonyms this process has recently written to `subjects`, so a busy subject does not cost an
// upsert on every batch. Bounded, and entries expire, so a link deleted by erasure in another
// process is written again within KNOWN_TTL_MS; erasure in this process calls forgetSubject.
const KNOWN_TTL_MS = 10 * 60_000;
const MAX_KNOWN = 100_000;
const known = new Map<string, number>();

export function unknownSubjects<T extends { pseudonym: string }>(subjects: T[], now = Date.now()): T[] {
  return subjects.filter((s) => {
    const at = known.get(s.pseudonym);
    return at === undefined || now - at > KNOWN_TTL_MS;
  });
}

export function rememberSubjects(pseudonyms: Iterable<string>, now = Date.now()): void {
  for (const p of pseudonyms) {
    known.delete(p);
    known.set(p, now);
  }
  while (known.size > MAX_KNOWN) known.delete(known.keys().next().value!);
}

export function forgetSubject(pseudonym: string): void {
  known.delete(pseudonym);
}

export function forgetAllSubjects(): void {
  known.clear();
}
