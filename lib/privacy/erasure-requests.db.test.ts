import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { pseudonymFor } from "./pseudonym";
import { createRequest, transitionRequest } from "./requests";

// Completing an erasure request must mean the person's data is gone: only the erasure job may do it.
describe("erasure requests", () => {
  it("cannot be marked completed by hand: only the erasure job may complete them", async () => {
    const admin = { type: "user" as const, id: randomUUID(), role: "admin" as const };
    const request = await createRequest(pseudonymFor(`erasure-${randomUUID()}`), { type: "erasure" }, { type: "user", id: randomUUID(), role: "end_user" });
    await transitionRequest({ id: request.id, to: "verified" }, admin);
    await transitionRequest({ id: request.id, to: "in_progress" }, admin);
    await expect(transitionRequest({ id: request.id, to: "completed" }, admin)).rejects.toMatchObject({ code: "conflict" });
    expect((await db().privacyRequest.findUnique({ where: { id: request.id } }))?.status).toBe("in_progress");
  });
});
