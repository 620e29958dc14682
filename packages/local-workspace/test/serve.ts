/**
 * Serves a fetch-style handler (`(req: Request) => Promise<Response>`) on a random localhost port with node:http, so
 * tests drive route handlers over real HTTP: real headers, real bodies (gzip included), real status codes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

export type FetchHandler = (req: Request) => Promise<Response>;
export type Served = { url: string; close(): Promise<void> };

function toRequest(incoming: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = incoming.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(incoming.url ?? "/", origin), {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch needs `duplex` to take a streaming body.
    ...(hasBody && { duplex: "half" }),
  });
}

async function send(response: Response, out: ServerResponse): Promise<void> {
  out.statusCode = response.status;
  response.headers.forEach((value, name) => out.setHeader(name, value));
  if (!response.body) {
    out.end();
    return;
  }
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) out.write(chunk);
  out.end();
}

export async function serve(handler: FetchHandler): Promise<Served> {
  let origin = "";
  const server = createServer((incoming, out) => {
    handler(toRequest(incoming, origin))
      .then((response) => send(response, out))
      .catch(() => {
        // the handler is supposed to answer every failure itself; this is the adapter's last resort
        if (!out.headersSent) out.statusCode = 500;
        out.end();
      });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
