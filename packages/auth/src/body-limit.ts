/**
 * Read a request body only up to a limit, before anything parses it. A declared Content-Length over the limit is
 * refused without reading a byte; a chunked (or lying) body is counted while it streams and cut off at the limit.
 */
export type LimitedBody = { ok: true; bytes: Uint8Array<ArrayBuffer> | undefined } | { ok: false };

export async function readBodyWithin(req: Request, maxBytes: number): Promise<LimitedBody> {
  if (!req.body) return { ok: true, bytes: undefined };
  const declared = req.headers.get("content-length");
  if (declared !== null && !(/^\d+$/.test(declared) && Number(declared) <= maxBytes)) {
    void req.body.cancel().catch(() => {});
    return { ok: false };
  }
  const reader = (req.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      return { ok: false };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** A copy of `req` carrying the body already read (the original stream is consumed). */
export function withBody(req: Request, bytes: Uint8Array<ArrayBuffer> | undefined): Request {
  const headers = new Headers(req.headers);
  headers.delete("transfer-encoding");
  const hasBody = bytes !== undefined && req.method !== "GET" && req.method !== "HEAD";
  if (hasBody) headers.set("content-length", String(bytes.byteLength));
  return new Request(req.url, {
    method: req.method,
    headers,
    body: hasBody ? bytes : undefined,
    signal: req.signal,
  });
}

/** "1 MiB", "64 KiB": limits as people read them. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** Responses to a refused body also close the connection, so the client stops sending the rest. */
export const closeConnection = { connection: "close" } as const;
