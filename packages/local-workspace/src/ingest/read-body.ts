/**
 * Reads a request body as UTF-8 JSON text, gunzipping `Content-Encoding: gzip` as a stream and stopping as soon as the
 * decompressed size passes the limit, so neither a huge body nor a gzip bomb is ever held in memory.
 */
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createGunzip } from "node:zlib";
import { IngestError } from "./errors";
import { MAX_BODY_BYTES } from "./limits";

function tooLarge(limit: number): IngestError {
  return new IngestError(
    413,
    "PayloadTooLarge",
    `the request body exceeds ${limit / (1024 * 1024)} MiB (after decompression)`,
  );
}

function encodingOf(req: Request): "identity" | "gzip" {
  const header = (req.headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (header === "" || header === "identity") return "identity";
  if (header === "gzip" || header === "x-gzip") return "gzip";
  throw new IngestError(
    415,
    "UnsupportedEncoding",
    `Content-Encoding ${JSON.stringify(header)} is not supported (use gzip or none)`,
  );
}

/** Uncompressed: read the web stream directly (no conversion to a Node stream on the hot path). */
async function readPlain(body: ReadableStream<Uint8Array>, limit: number): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw tooLarge(limit);
      chunks.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    if (e instanceof IngestError) throw e;
    throw new IngestError(400, "InvalidBody", `the request body could not be read: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

export async function readBodyText(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const encoding = encodingOf(req);
  const declared = Number(req.headers.get("content-length"));
  if (encoding === "identity" && Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!req.body) return "";
  if (encoding === "identity") return readPlain(req.body, limit);
  const source = Readable.fromWeb(req.body as NodeReadableStream<Uint8Array>);
  const stream = encoding === "gzip" ? source.pipe(createGunzip()) : source;
  if (stream !== source) source.once("error", (e) => stream.destroy(e));
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof IngestError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new IngestError(
      400,
      "InvalidBody",
      encoding === "gzip" ? `the gzip body could not be decompressed: ${reason}` : reason,
    );
  } finally {
    source.destroy();
    stream.destroy();
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

/** The body parsed as JSON; malformed JSON is a 400 with the parser's message. */
export async function readJsonBody(req: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readBodyText(req, limit);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new IngestError(
      400,
      "InvalidJson",
      `the body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
