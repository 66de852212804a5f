import type { CookieAdapter, CookieToSet } from "./cookie-adapter";

/** Test helper: an in-memory cookie store with the CookieAdapter interface auth code uses. */
export class CookieJar implements CookieAdapter {
  readonly values = new Map<string, string>();
  readonly writes: CookieToSet[] = [];
  constructor(initial: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(initial)) this.values.set(name, value);
  }
  get(name: string) {
    return this.values.get(name);
  }
  getAll() {
    return [...this.values].map(([name, value]) => ({ name, value }));
  }
  setAll(list: CookieToSet[]) {
    for (const c of list) {
      this.writes.push(c);
      if (c.value === "" || c.options?.maxAge === 0) this.values.delete(c.name);
      else this.values.set(c.name, c.value);
    }
  }
  namesStartingWith(prefix: string) {
    return [...this.values.keys()].filter((n) => n.startsWith(prefix));
  }
}
