import { describe, expect, it } from "vitest";
import { explainDbError } from "./database-target";

const url = "postgresql://app:s3cret-pass@db.internal:5433/clearlog";

describe("explainDbError", () => {
  it.each([
    ["ECONNREFUSED", /connection refused/],
    ["ENOTFOUND", /unknown host/],
    ["ETIMEDOUT", /timed out/],
    ["3D000", /database does not exist/],
    ["28P01", /refused the credentials/],
  ])("explains %s in one line naming the server but not the password", (code, message) => {
    const line = explainDbError({ code, message: "x" }, url);
    expect(line).toMatch(message);
    expect(line).toContain("db.internal:5433/clearlog");
    expect(line).not.toContain("s3cret");
    expect(line).not.toContain("\n");
  });
});
