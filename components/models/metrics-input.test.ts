import { describe, expect, it } from "vitest";
import { parseMetrics, parseParameters, parseTags } from "./metrics-input";

describe("register form fields", () => {
  it("reads metrics as name = number lines, skipping blank lines", () => {
    expect(parseMetrics("accuracy = 0.91\n\nf1: 0.8\nloss=1e-3")).toEqual({ metrics: { accuracy: 0.91, f1: 0.8, loss: 0.001 } });
  });
  it("names the line that is not a metric", () => {
    expect(parseMetrics("accuracy = 0.91\nbest model")).toEqual({ error: "Metrics, line 2: write name = number, e.g. accuracy = 0.91." });
    expect(parseMetrics("accuracy = high")).toEqual({ error: "Metrics, line 1: write name = number, e.g. accuracy = 0.91." });
  });
  it("accepts a JSON object for parameters, or nothing, and refuses anything else", () => {
    expect(parseParameters(' {"epochs": 3} ')).toEqual({ parameters: { epochs: 3 } });
    expect(parseParameters("")).toEqual({ parameters: {} });
    for (const bad of ["[1]", "3", "{epochs: 3}", "null"]) expect(parseParameters(bad)).toEqual({ error: 'Parameters must be a JSON object, e.g. {"epochs": 3}.' });
  });
  it("splits tags on commas, trimmed and without duplicates", () => {
    expect(parseTags(" support, llm ,, support")).toEqual(["support", "llm"]);
  });
});
