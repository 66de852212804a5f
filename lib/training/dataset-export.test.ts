import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { csvField, csvHeader, csvRow, csvText, exportColumns, jsonLine, typedValue } from "./dataset-export";
import { createParquetEncoder, parquetSchema, type ExportColumn } from "./parquet-writer";

const col = (type: ExportColumn["type"], name = "c"): ExportColumn => ({ name, type });

describe("CSV fields (RFC 4180)", () => {
  it("leaves plain text alone and quotes a field holding a comma, quote, CR or LF, doubling quotes", () => {
    expect(csvField("plain text")).toBe("plain text");
    expect(csvField("")).toBe("");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("carriage\rreturn")).toBe('"carriage\rreturn"');
    expect(csvField('"')).toBe('""""');
  });

  it("neutralises text that a spreadsheet would run as a formula, and only text", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(csvText(col("string"), `${start}SUM(A1)`)).toBe(`'${start}SUM(A1)`);
    expect(csvText(col("string"), "a=b")).toBe("a=b");
    expect(csvText(col("string"), "'quoted")).toBe("'quoted");
    expect(csvText(col("integer"), -3)).toBe("-3");
    expect(csvText(col("double"), -0.5)).toBe("-0.5");
    expect(csvField(csvText(col("string"), '=HYPERLINK("http://x","y")'))).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
  });

  it("writes lists and objects as JSON text, nulls as empty fields, timestamps as ISO", () => {
    expect(csvText(col("string_list"), ["a", "b,c"])).toBe('["a","b,c"]');
    expect(csvText(col("json"), { search: 2 })).toBe('{"search":2}');
    for (const type of ["string", "integer", "double", "timestamp", "string_list", "json"] as const) expect(csvText(col(type), null)).toBe("");
    expect(csvText(col("timestamp"), "2020-06-01T10:00:00.000Z")).toBe("2020-06-01T10:00:00.000Z");
  });

  it("builds CRLF-terminated rows with a header of column names", () => {
    const columns = [col("string", "entity_key"), col("integer", "n"), col("string_list", "models"), col("double", "x"), col("json", "j")];
    expect(csvHeader(columns)).toBe("entity_key,n,models,x,j\r\n");
    expect(csvRow(columns, ["-k", 2, ["a", "b"], null, { q: 'x"y' }])).toBe(`'-k,2,"[""a"",""b""]",,"{""q"":""x\\""y""}"\r\n`);
  });
});

describe("value conversion per column type", () => {
  it("keeps values of the right type and normalises timestamps to UTC milliseconds", () => {
    expect(typedValue(col("string"), "TypeError")).toBe("TypeError");
    expect(typedValue(col("integer"), 5)).toBe(5);
    expect(typedValue(col("double"), 0.333333)).toBe(0.333333);
    expect(typedValue(col("double"), 75)).toBe(75);
    expect(typedValue(col("timestamp"), "2020-06-01T12:00:00+02:00")).toBe("2020-06-01T10:00:00.000Z");
    expect(typedValue(col("string_list"), ["gpt-4o"])).toEqual(["gpt-4o"]);
    expect(typedValue(col("string_list"), [])).toEqual([]);
    expect(typedValue(col("json"), { search: 2 })).toEqual({ search: 2 });
    expect(typedValue(col("integer"), null)).toBeNull();
    expect(typedValue(col("json"), undefined)).toBeNull();
  });

  it("refuses a value of the wrong type, naming the column and not the value", () => {
    const cases: [ExportColumn["type"], unknown][] = [
      ["string", 3],
      ["integer", 1.5],
      ["integer", "12"],
      ["integer", 2 ** 60],
      ["double", "0.5"],
      ["timestamp", "yesterday"],
      ["timestamp", 1591000000000],
      ["string_list", ["a", 1]],
      ["string_list", "a"],
    ];
    for (const [type, raw] of cases) expect(() => typedValue(col(type, "secret_col"), raw)).toThrow(/Feature column "secret_col" does not hold/);
    expect(() => typedValue({ name: "entity_key", type: "string", required: true }, null)).toThrow(/entity_key/);
  });

  it("puts entity_key first, then the definition's columns in order", () => {
    expect(exportColumns("error_patterns").map((c) => c.name)).toEqual([
      "entity_key", "error_type", "count", "affected_subjects", "components", "first_seen", "last_seen", "first_half_count", "second_half_count", "trend",
    ]);
    expect(exportColumns("user_behavior")[0]).toEqual({ name: "entity_key", type: "string", required: true });
  });

  it("writes a JSON line per row with the typed values, keys in column order", () => {
    const columns = [col("string", "entity_key"), col("integer", "n"), col("timestamp", "at"), col("double", "x")];
    expect(jsonLine(columns, ["k", 1, "2020-06-01T10:00:00.000Z", null])).toBe('{"entity_key":"k","n":1,"at":"2020-06-01T10:00:00.000Z","x":null}\n');
  });
});

describe("Parquet encoding", () => {
  const columns: ExportColumn[] = [
    { name: "entity_key", type: "string", required: true },
    col("integer", "n"),
    col("double", "x"),
    col("timestamp", "at"),
    col("string_list", "models"),
    col("json", "by_action"),
    col("string", "s"),
  ];

  it("declares a type per column: INT64, DOUBLE, TIMESTAMP millis UTC, LIST of strings, JSON; features nullable", () => {
    const schema = parquetSchema(columns);
    expect(schema[0]).toEqual({ name: "root", num_children: 7 });
    expect(schema.slice(1).map((e) => [e.name, e.type ?? null, e.converted_type ?? null, e.repetition_type])).toEqual([
      ["entity_key", "BYTE_ARRAY", "UTF8", "REQUIRED"],
      ["n", "INT64", null, "OPTIONAL"],
      ["x", "DOUBLE", null, "OPTIONAL"],
      ["at", "INT64", "TIMESTAMP_MILLIS", "OPTIONAL"],
      ["models", null, "LIST", "OPTIONAL"],
      ["list", null, null, "REPEATED"],
      ["element", "BYTE_ARRAY", "UTF8", "OPTIONAL"],
      ["by_action", "BYTE_ARRAY", "JSON", "OPTIONAL"],
      ["s", "BYTE_ARRAY", "UTF8", "OPTIONAL"],
    ]);
  });

  it("hands out bytes per row group and reads back to the same values, with the key-value metadata", async () => {
    const encoder = createParquetEncoder(columns, { "clearlog.manifest": '{"ok":true}' });
    const chunks = [await encoder.write([["a", 1, 0.5, "2020-06-01T10:00:00.000Z", ["gpt-4o"], { search: 2 }, "=x"]])];
    chunks.push(await encoder.write([["b", null, null, null, [], {}, null]]), await encoder.write([]), await encoder.finish());
    expect(chunks.map((c) => c.length > 0)).toEqual([true, true, false, true]);
    const file = Buffer.concat(chunks);
    const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    const meta = parquetMetadata(buffer);
    expect(meta.row_groups).toHaveLength(2);
    expect(meta.key_value_metadata).toEqual([{ key: "clearlog.manifest", value: '{"ok":true}' }]);
    expect(await parquetReadObjects({ file: buffer })).toEqual([
      { entity_key: "a", n: 1n, x: 0.5, at: new Date("2020-06-01T10:00:00.000Z"), models: ["gpt-4o"], by_action: { search: 2 }, s: "=x" },
      { entity_key: "b", n: null, x: null, at: null, models: [], by_action: {}, s: null },
    ]);
  });

  it("writes a valid zero-row file", async () => {
    const encoder = createParquetEncoder(columns, {});
    const file = Buffer.concat([await encoder.write([]), await encoder.finish()]);
    const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    expect(parquetMetadata(buffer).num_rows).toBe(0n);
    expect(await parquetReadObjects({ file: buffer })).toEqual([]);
  });
});
