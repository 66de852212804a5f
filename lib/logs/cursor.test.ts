import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";

// Keyset cursors of the logs explorer (lib/logs/cursor.ts): opaque, URL-safe, and strict on decode.
const b64 = (raw: string) => Buffer.from(raw).toString("base64url");

describe("encodeCursor / decodeCursor", () => {
  it("round-trips a position, millisecond and id exact, in URL-safe characters", () => {
    const position = { at: new Date("2025-06-15T11:59:59.123Z"), id: "evt_01J0ABCDEF" };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it("round-trips ids with non-ASCII characters and with the separator itself", () => {
    for (const id of ["événement-日本語-🚀", "a|b|c", "|", " spaced id ", "x".repeat(500)]) {
      const position = { at: new Date("2020-01-01T00:00:00.000Z"), id };
      const cursor = encodeCursor(position);
      expect(cursor, id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor), id).toEqual(position);
    }
  });

  it("returns null for missing cursors and for garbage", () => {
    for (const garbage of [null, undefined, "", "!!!", "%%%", "not a cursor", "AAAA", b64("no separator here"), b64("not-a-date|evt-1"), b64("|evt-1"), b64("2025-06-15T11:59:59.123Z|"), b64("2025-06-15T11:59:59.123Z")]) {
      expect(decodeCursor(garbage), String(garbage)).toBeNull();
    }
  });
});

describe("decodeCursor refuses what the database would refuse", () => {
  it("a NUL in the id, a year beyond 9999 or before 1: no position", () => {
    for (const raw of ["2025-06-15T11:59:59.123Z|evt\u00001", "+099999-01-01T00:00:00.000Z|evt-1", "-000001-01-01T00:00:00.000Z|evt-1", "2026-13-45T00:00:00Z|evt-1"]) {
      expect(decodeCursor(b64(raw)), JSON.stringify(raw)).toBeNull();
    }
  });
});
