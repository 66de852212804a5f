import { ByteWriter, ParquetWriter, type ColumnSource, type SchemaElement } from "hyparquet-writer";
import type { ColumnType } from "./definitions";

// Parquet for feature-set downloads, written incrementally with hyparquet-writer: each call to
// `write` encodes one row group and hands back its bytes, so a download never holds the whole file.

export interface ExportColumn {
  name: string;
  type: ColumnType;
  /** only entity_key; every feature may be null (e.g. a mean over nothing) */
  required?: boolean;
}

/** A value as the downloads carry it; timestamps are ISO-8601 strings in UTC. */
export type TypedValue = string | number | boolean | null | unknown[] | { [key: string]: unknown };

const STRING = { type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } } as const;

function schemaElements(column: ExportColumn): SchemaElement[] {
  const name = column.name;
  const repetition_type = column.required ? "REQUIRED" : "OPTIONAL";
  switch (column.type) {
    case "string":
      return [{ name, repetition_type, ...STRING }];
    // INT64 everywhere: token sums outgrow INT32, and one integer type keeps readers simple.
    case "integer":
      return [{ name, repetition_type, type: "INT64" }];
    case "double":
      return [{ name, repetition_type, type: "DOUBLE" }];
    case "timestamp":
      return [{ name, repetition_type, type: "INT64", converted_type: "TIMESTAMP_MILLIS", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" } }];
    // The standard three-level LIST, so pandas/pyarrow/DuckDB read a list of strings.
    case "string_list":
      return [
        { name, repetition_type, converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        { name: "element", repetition_type: "OPTIONAL", ...STRING },
      ];
    case "json":
      return [{ name, repetition_type, type: "BYTE_ARRAY", converted_type: "JSON", logical_type: { type: "JSON" } }];
  }
}

export function parquetSchema(columns: readonly ExportColumn[]): SchemaElement[] {
  return [{ name: "root", num_children: columns.length }, ...columns.flatMap(schemaElements)];
}

function parquetValue(type: ColumnType, value: TypedValue): unknown {
  if (value === null) return null;
  if (type === "integer") return BigInt(value as number);
  if (type === "timestamp") return new Date(value as string);
  return value;
}

/** A Writer that keeps only the bytes not yet handed out. */
class ChunkWriter extends ByteWriter {
  private chunks: Uint8Array[] = [];

  flush(): void {
    if (this.index > 0) this.chunks.push(this.getBytes().slice());
    this.index = 0;
  }

  finish(): void {
    this.flush();
  }

  take(): Uint8Array {
    this.flush();
    const out = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    return out;
  }
}

export interface ParquetEncoder {
  /** encodes the rows as one row group (no-op for none) and returns the bytes ready so far */
  write(rows: readonly TypedValue[][]): Promise<Uint8Array>;
  /** writes the footer (schema, row groups, key-value metadata) and returns the last bytes */
  finish(): Promise<Uint8Array>;
}

export function createParquetEncoder(columns: readonly ExportColumn[], kvMetadata: Record<string, string>): ParquetEncoder {
  const writer = new ChunkWriter();
  const parquet = new ParquetWriter({
    writer,
    schema: parquetSchema(columns),
    kvMetadata: Object.entries(kvMetadata).map(([key, value]) => ({ key, value })),
    createdBy: "clearlog (hyparquet-writer)",
  });
  return {
    async write(rows) {
      if (rows.length > 0) {
        const columnData: ColumnSource[] = columns.map((column, i) => ({
          name: column.name,
          data: rows.map((row) => parquetValue(column.type, row[i] ?? null)),
        }));
        await parquet.write({ columnData, rowGroupSize: rows.length });
      }
      return writer.take();
    },
    async finish() {
      await parquet.finish();
      return writer.take();
    },
  };
}
