import "server-only";
import { SafeError } from "../errors";

// Reads a request body within a byte limit, counting while reading (a lying or missing
// Content-Length cannot get more through), and undoing `Content-Encoding: gzip` first: the limit
// applies to the decompressed bytes.
export async function readBody(request: Request, maxBytes: number, limitMessage: string): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  const encoding = (request.headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (declared > maxBytes && encoding !== "gzip") throw new SafeError(limitMessage, "too_large");
  if (!request.body) return new Uint8Array(0);
  let stream: ReadableStream<Uint8Array> = request.body;
  if (encoding === "gzip" || encoding === "x-gzip") {
    stream = stream.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>);
  } else if (encoding !== "" && encoding !== "identity") {
    await request.body.cancel().catch(() => {});
    throw new SafeError(`Content-Encoding ${encoding.slice(0, 40)} is not supported; send the body uncompressed or with gzip`, "unsupported_media");
  }
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch {
      throw new SafeError("The body is not valid gzip (Content-Encoding: gzip)", "invalid");
    }
    if (result.done) break;
    size += result.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new SafeError(limitMessage, "too_large");
    }
    chunks.push(result.value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** The media type of a request without its parameters, lower case ("" when absent). */
export function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

export function parseJson(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // V8's message names the position, never more than a few characters of the input.
    const where = /position \d+|line \d+ column \d+/.exec((error as Error).message)?.[0];
    throw new SafeError(`Malformed JSON${where ? ` at ${where}` : ""}`, "invalid");
  }
}
