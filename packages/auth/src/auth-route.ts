import type { Auth } from "./auth";
import { closeConnection, formatBytes, readBodyWithin, withBody } from "./body-limit";
import { EDGE_PROOF_HEADER, passedClientAddressHook } from "./client-address";

/** Sign-in, sign-out and profile bodies are a few hundred bytes. */
export const AUTH_MAX_BODY_BYTES = 64 * 1024;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });

/**
 * better-auth as served over HTTP (the Next route and the tests): only requests whose client address the edge hook
 * decided (else the throttle would key on what the client wrote), bodies within a limit read before better-auth
 * parses them, and the standard Retry-After on every 429.
 */
export function authRouteHandler(auth: Auth, opts: { maxBodyBytes?: number } = {}) {
  const maxBodyBytes = opts.maxBodyBytes ?? AUTH_MAX_BODY_BYTES;
  return async (req: Request): Promise<Response> => {
    if (!passedClientAddressHook(req.headers)) {
      // only a request that arrived while the server was still starting, or a server without the hook installed
      return json(503, { code: "STARTING", message: "The server is starting. Try again in a moment." }, { "retry-after": "1" });
    }
    const body = await readBodyWithin(req, maxBodyBytes);
    if (!body.ok) {
      return json(
        413,
        { code: "PAYLOAD_TOO_LARGE", message: `The request body is larger than ${formatBytes(maxBodyBytes)}.` },
        closeConnection,
      );
    }
    const forwarded = withBody(req, body.bytes);
    forwarded.headers.delete(EDGE_PROOF_HEADER);
    const res = await auth.handler(forwarded);
    // better-auth's own throttle answers X-Retry-After only
    const wait = res.headers.get("x-retry-after");
    if (res.status !== 429 || res.headers.has("retry-after") || !wait) return res;
    const headers = new Headers(res.headers);
    headers.set("retry-after", wait);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}
