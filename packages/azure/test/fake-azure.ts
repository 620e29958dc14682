/**
 * A local Azure for tests, over https (test/tls.ts): Entra's OpenID metadata and client-credentials token endpoint,
 * and the Resource Manager reads a connection test makes (subscriptions with nextLink paging, the caller's
 * permissions). Shapes follow Azure's REST API examples and Entra's documented error responses; the product's code
 * talks to it through the real Azure SDK clients, unchanged.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { ensureLocalCertificate } from "./tls";

export type FakeApp = { entraTenantId: string; clientId: string; secret: string; secretExpired?: boolean; disabled?: boolean };
export type FakeSubscription = { subscriptionId: string; displayName: string; state?: string; actions: string[]; notActions?: string[]; permissionsStatus?: number };

/** The Log Analytics query API's answer for one workspace: the body Azure would send, and its status. */
export type LaAnswer = { status: number; body: unknown; headers?: Record<string, string> };
export type LaHandler = (azureWorkspaceId: string, body: { query?: string; timespan?: string }) => Promise<LaAnswer>;

export type LocalAzure = {
  url: string;
  /** answers POST /v1/workspaces/{id}/query (a test wires the local workspace's KQL engine in) */
  logAnalytics?: LaHandler;
  /** answers to give before the handler's, one per query request (a 429 with Retry-After, a 500, ...) */
  laFaults: LaAnswer[];
  /** the most query requests seen in flight at once */
  laPeakInFlight: number;
  apps: FakeApp[];
  subscriptions: FakeSubscription[];
  /** every request's method and path (query included) */
  requests: string[];
  pageSize: number;
  close(): Promise<void>;
};

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
};

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

/** Entra's OAuth error body: `error`, `error_description` starting with the AADSTS code, and `error_codes`. */
const entraError = (res: ServerResponse, status: number, error: string, code: number, text: string) =>
  send(res, status, {
    error,
    error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
  });

export async function startLocalAzure(init: { apps?: FakeApp[]; subscriptions?: FakeSubscription[]; pageSize?: number } = {}): Promise<LocalAzure> {
  const tokens = new Map<string, FakeApp>();
  const state = {
    apps: init.apps ?? [],
    subscriptions: init.subscriptions ?? [],
    requests: [] as string[],
    pageSize: init.pageSize ?? 100,
    logAnalytics: undefined as LaHandler | undefined,
    laFaults: [] as LaAnswer[],
    laPeakInFlight: 0,
  };
  let laInFlight = 0;
  const { cert, key } = ensureLocalCertificate();
  let base = "";

  const entra = async (req: IncomingMessage, res: ServerResponse, parts: string[]) => {
    const tenant = parts[0]!;
    if (req.method === "GET" && parts.slice(1).join("/") === "v2.0/.well-known/openid-configuration") {
      if (!state.apps.some((a) => a.entraTenantId === tenant)) {
        return entraError(res, 400, "invalid_tenant", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
      }
      return send(res, 200, {
        token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
        issuer: `${base}/${tenant}/v2.0`,
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        tenant_region_scope: "EU",
      });
    }
    if (req.method === "POST" && parts.slice(1).join("/") === "oauth2/v2.0/token") {
      const form = new URLSearchParams(await readBody(req));
      const app = state.apps.find((a) => a.entraTenantId === tenant && a.clientId === form.get("client_id"));
      if (!app) {
        return entraError(res, 400, "unauthorized_client", 700016, `Application with identifier '${form.get("client_id")}' was not found in the directory '${tenant}'.`);
      }
      if (app.disabled) return entraError(res, 400, "unauthorized_client", 7000112, `Application '${app.clientId}' is disabled.`);
      if (form.get("client_secret") !== app.secret) {
        return entraError(res, 401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
      }
      if (app.secretExpired) return entraError(res, 401, "invalid_client", 7000222, `The provided client secret keys for app '${app.clientId}' are expired.`);
      const token = randomBytes(24).toString("base64url");
      tokens.set(token, app);
      return send(res, 200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }
    return send(res, 404, { error: "not_found" });
  };

  const arm = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const token = bearer(req);
    if (!token) {
      return send(res, 401, { error: { code: "InvalidAuthenticationToken", message: "The access token is invalid." } });
    }
    const path = url.pathname.toLowerCase();
    if (path === "/subscriptions") {
      const skip = Number(url.searchParams.get("$skiptoken") ?? "0");
      const page = state.subscriptions.slice(skip, skip + state.pageSize);
      const more = skip + state.pageSize < state.subscriptions.length;
      return send(res, 200, {
        value: page.map((s) => ({
          id: `/subscriptions/${s.subscriptionId}`,
          authorizationSource: "RoleBased",
          managedByTenants: [],
          subscriptionId: s.subscriptionId,
          tenantId: tokens.get(token)!.entraTenantId,
          displayName: s.displayName,
          state: s.state ?? "Enabled",
          subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" },
        })),
        ...(more ? { nextLink: `${base}/subscriptions?api-version=${url.searchParams.get("api-version")}&$skiptoken=${skip + state.pageSize}` } : {}),
      });
    }
    const perms = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.authorization\/permissions$/.exec(path);
    if (perms) {
      const s = state.subscriptions.find((x) => x.subscriptionId === perms[1]);
      if (!s) return send(res, 404, { error: { code: "SubscriptionNotFound", message: `The subscription '${perms[1]}' could not be found.` } });
      if (s.permissionsStatus === 403) {
        return send(res, 403, { error: { code: "AuthorizationFailed", message: `The client does not have authorization to perform action 'Microsoft.Authorization/permissions/read' over scope '/subscriptions/${s.subscriptionId}'.` } });
      }
      return send(res, 200, { value: [{ actions: s.actions, notActions: s.notActions ?? [], dataActions: [], notDataActions: [] }] });
    }
    return send(res, 404, { error: { code: "InvalidResourceType", message: `The resource type could not be found (${url.pathname}).` } });
  };

  const bearer = (req: IncomingMessage) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    return token && tokens.has(token) ? token : undefined;
  };

  /** POST {endpoint}/v1/workspaces/{id}/query, in Log Analytics' shapes (AZURE-REFERENCE.md section 5). */
  const logs = async (req: IncomingMessage, res: ServerResponse, workspaceId: string) => {
    if (!bearer(req)) return send(res, 401, { error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing or invalid." } });
    const body = JSON.parse((await readBody(req)) || "{}") as { query?: string; timespan?: string };
    laInFlight++;
    state.laPeakInFlight = Math.max(state.laPeakInFlight, laInFlight);
    try {
      const answer = state.laFaults.shift() ?? (state.logAnalytics ? await state.logAnalytics(workspaceId, body) : { status: 404, body: { error: { code: "PathNotFoundError", message: "no such workspace" } } });
      return send(res, answer.status, answer.body, answer.headers);
    } finally {
      laInFlight--;
    }
  };

  const server = createServer({ cert, key }, (req, res) => {
    const url = new URL(req.url ?? "/", base);
    state.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const parts = url.pathname.split("/").filter(Boolean);
    const la = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(url.pathname);
    const handle = la && req.method === "POST" ? logs(req, res, la[1]!) : parts[0] === "subscriptions" ? Promise.resolve(arm(req, res, url)) : entra(req, res, parts);
    handle.catch((e: unknown) => send(res, 500, { error: { code: "InternalError", message: String(e) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://localhost:${(server.address() as AddressInfo).port}`;
  const azure: LocalAzure = Object.assign(state, {
    url: base,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return azure;
}
