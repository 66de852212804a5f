import { describe, expect, it } from "vitest";
import { arrayElements } from "./statistics";

// pg_stats hands its sampled values over as array literals (anyarray cast to text).
describe("arrayElements", () => {
  it("reads plain, quoted and escaped elements, and flattens nested arrays", () => {
    expect(arrayElements("{a,b}")).toEqual(["a", "b"]);
    expect(arrayElements('{"a b","x,y","q\\"uote","back\\\\slash"}')).toEqual(["a b", "x,y", 'q"uote', "back\\slash"]);
    expect(arrayElements('{{a},{"b c",d}}')).toEqual(["a", "b c", "d"]);
    expect(arrayElements("{}")).toEqual([]);
  });

  it("skips NULL but keeps a quoted \"NULL\" and json text as it is", () => {
    expect(arrayElements('{NULL,"NULL",x}')).toEqual(["NULL", "x"]);
    expect(arrayElements('{"{\\"user\\": \\"u-1\\"}"}')).toEqual(['{"user": "u-1"}']);
  });
});
