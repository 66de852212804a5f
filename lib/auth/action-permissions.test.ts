import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { actionPolicy } from "./define-action";
import { can } from "./permissions";
import { ROLES, type Role } from "./roles";

// Discovers every exported server action ("use server" files anywhere in app/, lib/, components/)
// and checks it against every role. An action built without defineAction (so without a server-side
// permission check), or missing from the table below, fails this test.
vi.mock("next/headers", () => ({ headers: vi.fn(), cookies: vi.fn() }));
vi.mock("next/navigation", () => ({ redirect: vi.fn(), forbidden: vi.fn(), notFound: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn(), refresh: vi.fn() }));

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Who may call each action: "anyone" (sign-in, sign-out) or the roles that pass its check. */
const EXPECTED: Record<string, "anyone" | readonly Role[]> = {
  "auth.login": "anyone",
  "auth.logout": "anyone",
  "api_key.create": ["admin"],
  "api_key.revoke": ["admin"],
  "webhook.create": ["admin"],
  "webhook.set_enabled": ["admin"],
  "webhook.rotate_secret": ["admin"],
  "webhook.delete": ["admin"],
  "webhook.test": ["admin"],
  "webhook.replay": ["admin"],
  "classification_rule.create": ["admin"],
  "classification_rule.update": ["admin"],
  "classification_rule.delete": ["admin"],
  "classification_rule.reorder": ["admin"],
  "classification_rule.set_enabled": ["admin"],
  "classification_rule.test": ["admin"],
  "classification_rule.preview": ["admin"],
  "consent.update": ["end_user"],
  "consent.gpc": ["end_user"],
  "privacy_request.create": ["end_user"],
  "privacy_request.cancel": ["end_user"],
  "privacy_request.export": ["end_user"],
  "privacy_request.transition": ["admin"],
  "privacy_request.extend": ["admin"],
  "privacy_request.retry_job": ["admin"],
  "privacy_request.file": ["admin"],
  "consent.admin_change": ["admin"],
  "user.invite": ["admin"],
  "user.set_role": ["admin"],
  "user.link_subject": ["admin"],
  "user.unlink_subject": ["admin"],
  "retention_policy.save": ["admin"],
  "retention_policy.delete": ["admin"],
  "retention.run_now": ["admin"],
  "model_price.save": ["admin"],
  "model_price.delete": ["admin"],
  "feature_set.extract": ["admin", "data_scientist"],
  "feature_set.rebuild": ["admin", "data_scientist"],
  "feature_set.delete": ["admin", "data_scientist"],
  "model.register": ["admin", "data_scientist"],
  "model.alias_set": ["admin", "data_scientist"],
  "model.alias_removed": ["admin", "data_scientist"],
};

function serverActionFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "generated" && entry.name !== "node_modules") out.push(...serverActionFiles(full));
    } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
      if (/^\s*["']use server["'];?/.test(readFileSync(full, "utf8"))) out.push(full);
    }
  }
  return out;
}

const files = ["app", "lib", "components"].flatMap((d) => serverActionFiles(path.join(ROOT, d)));

describe("every server action checks the permission map", () => {
  it("finds the server action files", () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  const seen = new Set<string>();
  for (const file of files) {
    it(`${path.relative(ROOT, file)}: each export is a checked action with an expected policy`, async () => {
      const actions = (await import(file)) as Record<string, unknown>;
      const exported = Object.entries(actions);
      expect(exported.length, "a use-server file exports actions").toBeGreaterThan(0);
      for (const [exportName, action] of exported) {
        const policy = actionPolicy(action);
        expect(policy, `${exportName} is not built with defineAction or definePublicAction`).toBeDefined();
        const expected = EXPECTED[policy!.name];
        expect(expected, `${policy!.name} (${exportName}) is missing from the EXPECTED table`).toBeDefined();
        seen.add(policy!.name);
        for (const role of [null, ...ROLES] as const) {
          const allowed = policy!.permission === null || can(role, policy!.permission);
          const shouldBe = expected === "anyone" || (role !== null && expected!.includes(role));
          expect(allowed, `${policy!.name} for ${role ?? "a stranger"}`).toBe(shouldBe);
        }
      }
    });
  }

  it("has no stale entries in the table", async () => {
    for (const file of files) {
      for (const action of Object.values((await import(file)) as Record<string, unknown>)) seen.add(actionPolicy(action)?.name ?? "");
    }
    expect(Object.keys(EXPECTED).filter((name) => !seen.has(name))).toEqual([]);
  });
});
