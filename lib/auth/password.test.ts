import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, PASSWORD_COST, verifyPassword } from "./password";

// scrypt at OWASP's minimum cost; each hash says its parameters, so weaker ones are recognised.
const legacy = (password: string, n = 16384) => {
  const salt = randomBytes(16);
  return ["scrypt", n, 8, 1, salt.toString("base64"), scryptSync(password, salt, 64, { N: n, r: 8, p: 1 }).toString("base64")].join("$");
};

// Each hash costs 128 MiB and a few hundred ms (more on a loaded machine): generous timeouts.
const SLOW = 60_000;

describe("password hashing", () => {
  it("hashes at N=2^17, r=8, p=1 (OWASP's minimum), verifies the right password and refuses a wrong one", async () => {
    expect(PASSWORD_COST).toEqual({ N: 131072, r: 8, p: 1 });
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain("correct horse");
    await expect(verifyPassword("correct horse battery staple", hash)).resolves.toBe(true);
    await expect(verifyPassword("correct horse battery stapl", hash)).resolves.toBe(false);
    expect(needsRehash(hash)).toBe(false);
  }, SLOW);

  it("salts every hash", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  }, SLOW);

  it("still verifies a hash made at the old cost, and says it needs a rehash", async () => {
    const old = legacy("old password 123");
    await expect(verifyPassword("old password 123", old)).resolves.toBe(true);
    await expect(verifyPassword("old password 124", old)).resolves.toBe(false);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash("bcrypt$whatever")).toBe(true);
  }, SLOW);

  it.each(["", "bcrypt$x", "scrypt$16384$8$1$onlysalt", "plaintext", "scrypt$1e9$8$1$c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5", `scrypt$${2 ** 24}$8$1$c2FsdHNhbHRzYWx0c2FsdA==$${"A".repeat(88)}`])(
    "refuses the malformed or absurd hash %j",
    async (stored) => {
      await expect(verifyPassword("anything", stored)).resolves.toBe(false);
    },
  );
});
