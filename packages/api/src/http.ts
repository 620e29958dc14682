import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { formatBytes, readBodyWithin, withBody } from "@vaultwatch/auth";
import { createContext, type Context } from "./context";
import { appRouter } from "./root";

/** Rules, bulk vault lists and action groups fit many times over; a batch of them too. */
export const TRPC_MAX_BODY_BYTES = 1024 * 1024;

export type TrpcHttpOptions = {
  /** Built per request (the web's singletons); the user comes from the request's session cookie. */
  deps: () => Omit<Context, "user" | "headers">;
  endpoint?: string;
  maxBodyBytes?: number;
};

/**
 * The tRPC API over HTTP, as the web's /api/trpc route serves it (tests serve the same function). The body is read up
 * to the limit before tRPC or the session lookup sees the request; an oversized one is answered 413 in tRPC's own
 * error shape, so clients read it like any other error.
 */
export function trpcHttpHandler(opts: TrpcHttpOptions) {
  const maxBodyBytes = opts.maxBodyBytes ?? TRPC_MAX_BODY_BYTES;
  return async (req: Request): Promise<Response> => {
    const body = await readBodyWithin(req, maxBodyBytes);
    const tooLarge = () =>
      new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: `The request body is larger than ${formatBytes(maxBodyBytes)}.` });
    const res = await fetchRequestHandler({
      endpoint: opts.endpoint ?? "/api/trpc",
      req: withBody(req, body.ok ? body.bytes : undefined),
      router: appRouter,
      // refusing here fails every call of the request with this error, before any session lookup
      createContext: () => (body.ok ? createContext(opts.deps(), req.headers) : Promise.reject(tooLarge())),
      onError({ error, path }) {
        // The error formatter already hides internals from clients; log only the code and path here.
        if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}: ${error.message}`);
      },
    });
    if (body.ok) return res;
    // close the connection so the client stops sending the rest
    const headers = new Headers(res.headers);
    headers.set("connection", "close");
    return new Response(res.body, { status: res.status, headers });
  };
}
