import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { pseudonymFor } from "../privacy/pseudonym";
import { applyGlobalPrivacyControl, recordConsent } from "./consent";
import { loadConsentOverview } from "./overview";

describe("consent overview", () => {
  it("computes opt-in rates now and per day, counting undecided people with the default, and the GPC share", async () => {
    const people = ["o-1", "o-2", "o-3", "o-4"];
    await db().subject.createMany({ data: people.map((externalId) => ({ externalId, pseudonym: pseudonymFor(externalId) })) });
    await recordConsent(pseudonymFor("o-1"), [{ purpose: "analytics", granted: true }], { method: "explicit" });
    await recordConsent(pseudonymFor("o-2"), [{ purpose: "analytics", granted: true }], { method: "explicit" });
    await recordConsent(pseudonymFor("o-2"), [{ purpose: "analytics", granted: false }], { method: "explicit" });
    await recordConsent(pseudonymFor("o-3"), [{ purpose: "error_reporting", granted: false }], { method: "explicit" });
    await applyGlobalPrivacyControl(pseudonymFor("o-4"), {});

    const o = await loadConsentOverview(7);
    const rate = (purpose: string) => o.current.find((c) => c.purpose === purpose)!;
    expect(rate("analytics")).toMatchObject({ granted: 1, total: 4 }); // opt-in: only o-1
    expect(rate("error_reporting")).toMatchObject({ granted: 3, total: 4 }); // opt-out: all but o-3
    expect(rate("marketing")).toMatchObject({ granted: 0, total: 4 });
    expect(o.subjectsWithChoices).toBe(4);
    expect(o.gpcSubjects).toBe(1);
    const today = o.daily.at(-1)!;
    expect(today.day).toBe(new Date().toISOString().slice(0, 10));
    expect(today.analytics).toBe(50); // o-1 granted, o-2 withdrew: of the two who chose, half allow
    expect(today.marketing).toBe(0);
  });
});
