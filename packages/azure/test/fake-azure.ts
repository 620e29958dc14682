/**
 * A local Azure for tests, over https (test/tls.ts): Entra's OpenID metadata and client-credentials token endpoint,
 * the Resource Manager reads a connection test makes (subscriptions with nextLink paging, the caller's
 * permissions), and the activity log of each subscription (eventtypes/management/values with `$filter`, paging and
 * scripted faults), each subscription's Recovery Services vaults (listed with nextLink paging) and each vault's diagnostic
 * settings (list, get, create-or-update, validated as Azure does), and Log Analytics' query API (one query, or a
 * `$batch` of them) answered by a handler the test plugs in. Shapes follow Azure's REST API examples and Entra's documented error responses; the product's code
 * talks to it through the real Azure SDK clients, unchanged.
 */
import { createHash, randomBytes, randomUUID, verify, X509Certificate, constants as cryptoConstants } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureLocalCertificate } from "./tls";

/**
 * A client certificate as an MSP would make one for an app registration (`openssl req -x509 -newkey rsa:2048`):
 * `pem` is what Vaultwatch is given (certificate and private key), `certificate` the public part uploaded to Entra.
 */
export function makeClientCertificate(commonName = "vaultwatch-test", days = 30): { pem: string; certificate: string; key: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "vw-client-cert-"));
  try {
    const [cert, key] = [path.join(dir, "cert.pem"), path.join(dir, "key.pem")];
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", String(days), "-subj", `/CN=${commonName}`, "-keyout", key, "-out", cert], { stdio: "ignore" });
    const [certificate, privateKey] = [readFileSync(cert, "utf8"), readFileSync(key, "utf8")];
    return { pem: `${privateKey}${certificate}`, certificate, key: privateKey };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * An app registration: its client secret and/or the certificates uploaded to it (PEM, public part only), as Entra
 * keeps them; a client signs in with the secret or with a client assertion signed by one of the certificates' keys.
 */
export type FakeApp = { entraTenantId: string; clientId: string; secret?: string; certificates?: string[]; secretExpired?: boolean; disabled?: boolean };

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const b64url = (s: string) => Buffer.from(s, "base64url");

/**
 * Entra's check of a client assertion (RFC 7523, Microsoft identity platform "certificate credentials"): the header's
 * x5t (SHA-1) or x5t#S256 (SHA-256) thumbprint names one of the app's certificates, whose public key must verify the
 * RS256 or PS256 signature; iss and sub are the client id, aud the token endpoint, and now within nbf..exp.
 * Returns Entra's error (code and text) or undefined when the assertion is good.
 */
function assertionProblem(app: FakeApp, assertion: string, tokenEndpoint: string): { status: number; error: string; code: number; text: string } | undefined {
  const parts = assertion.split(".");
  const invalid = (text: string) => ({ status: 401, error: "invalid_client", code: 50027, text: `JWT token is invalid or is malformed. ${text}` });
  if (parts.length !== 3) return invalid("A client assertion has three parts.");
  let header: { alg?: string; x5t?: string; "x5t#S256"?: string };
  let claims: { iss?: string; sub?: string; aud?: string; exp?: number; nbf?: number };
  try {
    header = JSON.parse(b64url(parts[0]!).toString("utf8")) as typeof header;
    claims = JSON.parse(b64url(parts[1]!).toString("utf8")) as typeof claims;
  } catch {
    return invalid("Its header or claims are not JSON.");
  }
  const sha256 = header["x5t#S256"] !== undefined;
  const thumbprint = b64url(header["x5t#S256"] ?? header.x5t ?? "").toString("hex").toUpperCase();
  const registered = (app.certificates ?? []).map((pem) => new X509Certificate(pem));
  const cert = registered.find((c) => createHash(sha256 ? "sha256" : "sha1").update(c.raw).digest("hex").toUpperCase() === thumbprint);
  const keyHelp = `Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to learn how to retrieve the application object.`;
  if (!cert) return { status: 401, error: "invalid_client", code: 700027, text: `Client assertion contains an invalid signature. [Reason - The key was not found., ${keyHelp}]` };
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = b64url(parts[2]!);
  const good =
    header.alg === "RS256"
      ? verify("sha256", signed, cert.publicKey, signature)
      : header.alg === "PS256"
        ? verify("sha256", signed, { key: cert.publicKey, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: cryptoConstants.RSA_PSS_SALTLEN_AUTO }, signature)
        : false;
  if (!good) return { status: 401, error: "invalid_client", code: 700027, text: `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., ${keyHelp}]` };
  if (claims.iss !== app.clientId || claims.sub !== app.clientId) {
    return { status: 401, error: "invalid_client", code: 700021, text: `Client assertion application identifier doesn't match 'client_id' parameter.` };
  }
  if (claims.aud !== tokenEndpoint) return invalid(`The audience '${claims.aud}' is not the token endpoint.`);
  const now = Date.now() / 1000;
  if (typeof claims.exp !== "number" || claims.exp < now - 300 || (typeof claims.nbf === "number" && claims.nbf > now + 300)) {
    return { status: 401, error: "invalid_client", code: 700024, text: `Client assertion is not within its valid time range. Current time: ${new Date().toISOString()}.` };
  }
  return undefined;
}
export type FakeSubscription = {
  subscriptionId: string;
  displayName: string;
  /**
   * The subscription's own Entra tenant when it is a customer's, delegated to the signed-in app's tenant through Azure
   * Lighthouse: listed with the customer's `tenantId` and `managedByTenants: [{ tenantId: <the app's tenant> }]`.
   */
  tenantId?: string;
  state?: string;
  actions: string[];
  notActions?: string[];
  permissionsStatus?: number;
  /** 403 AuthorizationFailed on its activity log (the role assignment was removed) */
  activityLogStatus?: 403;
  /** 403 AuthorizationFailed on listing its vaults */
  vaultsStatus?: 403;
};

/** A Recovery Services vault; `readStatus`/`writeStatus` 403: the caller may not read/write its diagnostic settings. */
export type FakeVault = {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  diagnosticsReadStatus?: 403;
  diagnosticsWriteStatus?: 403;
};
/** A diagnostic setting as Azure stores it (the `properties` of DiagnosticSettingsResource). */
export type FakeDiagnosticSetting = {
  name: string;
  workspaceId?: string | null;
  storageAccountId?: string | null;
  eventHubAuthorizationRuleId?: string | null;
  eventHubName?: string | null;
  logAnalyticsDestinationType?: string | null;
  logs: { category?: string | null; categoryGroup?: string | null; enabled: boolean; retentionPolicy?: { enabled: boolean; days: number } }[];
  metrics?: { category?: string; enabled: boolean; retentionPolicy?: { enabled: boolean; days: number } }[];
};
/** The log categories and category groups a Recovery Services vault's diagnostic settings accept. */
export const VAULT_LOG_CATEGORIES = [
  "AzureBackupReport", "CoreAzureBackup", "AddonAzureBackupJobs", "AddonAzureBackupAlerts", "AddonAzureBackupPolicy", "AddonAzureBackupStorage",
  "AddonAzureBackupProtectedInstance", "AzureBackupOperations", "AzureSiteRecoveryJobs", "AzureSiteRecoveryEvents", "AzureSiteRecoveryReplicatedItems",
  "AzureSiteRecoveryReplicationStats", "AzureSiteRecoveryRecoveryPoints", "AzureSiteRecoveryReplicationDataUploadRate",
  "AzureSiteRecoveryProtectedDiskDataChurn", "ASRReplicatedItems",
];
const VAULT_CATEGORY_GROUPS = ["allLogs"];
const VAULT_METRIC_CATEGORIES = ["Health"];
export const fakeVaultId = (v: Pick<FakeVault, "subscriptionId" | "resourceGroup" | "name">) =>
  `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${v.name}`;

/** An activity-log event in the REST shape (EventData); `eventDataId` and `eventTimestamp` are all the fake reads. */
export type FakeActivityEvent = { eventDataId: string; eventTimestamp: string; [key: string]: unknown };
/** A scripted answer to the next activity-log request (a 429 with Retry-After, a 500, ...). */
export type ArmAnswer = { status: number; body: unknown; headers?: Record<string, string> };

/** The Log Analytics query API's answer for one workspace: the body Azure would send, and its status. */
export type LaAnswer = { status: number; body: unknown; headers?: Record<string, string> };
export type LaHandler = (azureWorkspaceId: string, body: { query?: string; timespan?: string }) => Promise<LaAnswer>;
/** One member of a `$batch` body (Log Analytics REST spec, batchQueryRequest). */
export type FakeBatchRequest = { id: string; headers?: Record<string, string>; body: { query: string; timespan?: string; workspaces?: string[] }; method?: string; path?: string; workspace: string };
/** The most members one `$batch` may carry. */
export const LA_BATCH_LIMIT = 10;

export type LocalAzure = {
  url: string;
  /** answers POST /v1/workspaces/{id}/query (a test wires the local workspace's KQL engine in) */
  logAnalytics?: LaHandler;
  /** answers to give before the handler's, one per HTTP request (a query or a whole $batch): a 429 with Retry-After, a 500, ... */
  laFaults: LaAnswer[];
  /** the most queries seen in flight at once (a batch's members counted one by one) */
  laPeakInFlight: number;
  /** each $batch request's body as received */
  laBatches: { requests: FakeBatchRequest[] }[];
  apps: FakeApp[];
  subscriptions: FakeSubscription[];
  /** every request's method and path (query included) */
  requests: string[];
  /** every token Entra issued: to which app, and how the app proved itself */
  signIns: { clientId: string; method: "secret" | "certificate" }[];
  pageSize: number;
  /** each subscription's activity log; answered newest first, `activityPageSize` events a page */
  activityLog: Map<string, FakeActivityEvent[]>;
  activityPageSize: number;
  /** answers given before the real one, one per activity-log request */
  activityFaults: ArmAnswer[];
  /** every subscription's Recovery Services vaults, listed `vaultsPageSize` a page */
  vaults: FakeVault[];
  vaultsPageSize: number;
  /** each vault's diagnostic settings, by the vault's ARM id in lower case */
  diagnosticSettings: Map<string, FakeDiagnosticSetting[]>;
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
    signIns: [] as { clientId: string; method: "secret" | "certificate" }[],
    pageSize: init.pageSize ?? 100,
    logAnalytics: undefined as LaHandler | undefined,
    laFaults: [] as LaAnswer[],
    laPeakInFlight: 0,
    laBatches: [] as { requests: FakeBatchRequest[] }[],
    activityLog: new Map<string, FakeActivityEvent[]>(),
    activityPageSize: 200,
    activityFaults: [] as ArmAnswer[],
    vaults: [] as FakeVault[],
    vaultsPageSize: 100,
    diagnosticSettings: new Map<string, FakeDiagnosticSetting[]>(),
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
      const assertion = form.get("client_assertion");
      if (assertion !== null) {
        const type = form.get("client_assertion_type");
        if (type === null) return entraError(res, 400, "invalid_request", 90014, "The required field 'client_assertion_type' is missing from the credential.");
        if (type !== JWT_BEARER) return entraError(res, 401, "invalid_client", 50027, `JWT token is invalid or is malformed. The client_assertion_type must be '${JWT_BEARER}'.`);
        const problem = assertionProblem(app, assertion, `${base}/${tenant}/oauth2/v2.0/token`);
        if (problem) return entraError(res, problem.status, problem.error, problem.code, problem.text);
      } else {
        if (form.get("client_secret") === null) {
          return entraError(res, 401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }
        if (app.secret === undefined || form.get("client_secret") !== app.secret) {
          return entraError(res, 401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
        }
        if (app.secretExpired) return entraError(res, 401, "invalid_client", 7000222, `The provided client secret keys for app '${app.clientId}' are expired.`);
      }
      // shaped as Entra's access tokens are (a JWT naming issuer, audience and lifetime; unsigned here): services that
      // read the claims, as Azurite does with --oauth basic, accept it, and the ARM fake looks it up as before
      const resource = (form.get("scope") ?? "").replace(/\/\.default$/, "");
      const now = Math.floor(Date.now() / 1000);
      const claims = { aud: resource, iss: `https://sts.windows.net/${tenant}/`, iat: now, nbf: now - 60, exp: now + 3599, appid: app.clientId, tid: tenant, jti: randomBytes(12).toString("hex") };
      const token = [{ typ: "JWT", alg: "none" }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString("base64url")).join(".") + "." + randomBytes(16).toString("base64url");
      tokens.set(token, app);
      state.signIns.push({ clientId: app.clientId, method: assertion !== null ? "certificate" : "secret" });
      return send(res, 200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }
    return send(res, 404, { error: "not_found" });
  };

  const arm = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
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
          // Subscriptions - List (2022-12-01): a delegated subscription names its home tenant and the managing tenant
          managedByTenants: s.tenantId && s.tenantId !== tokens.get(token)!.entraTenantId ? [{ tenantId: tokens.get(token)!.entraTenantId }] : [],
          subscriptionId: s.subscriptionId,
          tenantId: s.tenantId ?? tokens.get(token)!.entraTenantId,
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
    const activity = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.insights\/eventtypes\/management\/values$/.exec(path);
    if (activity && req.method === "GET") return activityLog(res, url, activity[1]!);
    const vaults = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.recoveryservices\/vaults$/.exec(path);
    if (vaults && req.method === "GET") return vaultList(res, url, vaults[1]!);
    const diagnostics = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.recoveryservices\/vaults\/[^/]+)\/providers\/microsoft\.insights\/diagnosticsettings(?:\/([^/]+))?$/.exec(
      path.replace(/\/{2,}/g, "/"),
    );
    if (diagnostics) return diagnosticSettings(req, res, url, diagnostics[1]!, diagnostics[2] ? decodeURIComponent(url.pathname.split("/").pop()!) : undefined);
    return send(res, 404, { error: { code: "InvalidResourceType", message: `The resource type could not be found (${url.pathname}).` } });
  };

  // `eventTimestamp ge '<from>' and eventTimestamp le '<to>'`, the part of Azure's $filter the poller sends
  const FILTER = /^eventTimestamp ge '([^']+)' and eventTimestamp le '([^']+)'$/;
  /** GET /subscriptions/{id}/providers/Microsoft.Insights/eventtypes/management/values (api-version 2015-04-01). */
  const activityLog = (res: ServerResponse, url: URL, subscriptionId: string) => {
    const fault = state.activityFaults.shift();
    if (fault) return send(res, fault.status, fault.body, fault.headers);
    const s = state.subscriptions.find((x) => x.subscriptionId === subscriptionId);
    if (!s) return send(res, 404, { error: { code: "SubscriptionNotFound", message: `The subscription '${subscriptionId}' could not be found.` } });
    if (s.activityLogStatus === 403) {
      return send(res, 403, {
        error: {
          code: "AuthorizationFailed",
          message: `The client '${randomUUID()}' with object id '${randomUUID()}' does not have authorization to perform action 'microsoft.insights/eventtypes/values/read' over scope '/subscriptions/${subscriptionId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        },
      });
    }
    if (url.searchParams.get("api-version") !== "2015-04-01") {
      return send(res, 400, { error: { code: "InvalidApiVersionParameter", message: `The api-version '${url.searchParams.get("api-version")}' is invalid.` } });
    }
    const filter = FILTER.exec(url.searchParams.get("$filter") ?? "");
    const [from, to] = filter ? [Date.parse(filter[1]!), Date.parse(filter[2]!)] : [NaN, NaN];
    if (Number.isNaN(from) || Number.isNaN(to)) {
      return send(res, 400, { error: { code: "BadRequest", message: "The $filter query parameter value is invalid. It must start with eventTimestamp ge '...' and eventTimestamp le '...'." } });
    }
    const matching = (state.activityLog.get(subscriptionId) ?? [])
      .filter((e) => Date.parse(e.eventTimestamp) >= from && Date.parse(e.eventTimestamp) <= to)
      .sort((a, b) => Date.parse(b.eventTimestamp) - Date.parse(a.eventTimestamp));
    const skip = Number(url.searchParams.get("$skipToken") ?? "0");
    const more = skip + state.activityPageSize < matching.length;
    const next = new URL(url);
    next.searchParams.set("$skipToken", String(skip + state.activityPageSize));
    return send(res, 200, { value: matching.slice(skip, skip + state.activityPageSize), ...(more ? { nextLink: next.toString() } : {}) });
  };

  const authorizationFailed = (res: ServerResponse, action: string, scope: string) =>
    send(res, 403, {
      error: {
        code: "AuthorizationFailed",
        message: `The client '${randomUUID()}' with object id '${randomUUID()}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    });

  /** GET /subscriptions/{id}/providers/Microsoft.RecoveryServices/vaults (Vaults_ListBySubscriptionId), `$skipToken` paging. */
  const vaultList = (res: ServerResponse, url: URL, subscriptionId: string) => {
    if (!url.searchParams.get("api-version")) {
      return send(res, 400, { error: { code: "MissingApiVersionParameter", message: "The api-version query parameter (?api-version=) is required for all requests." } });
    }
    const s = state.subscriptions.find((x) => x.subscriptionId === subscriptionId);
    if (!s) return send(res, 404, { error: { code: "SubscriptionNotFound", message: `The subscription '${subscriptionId}' could not be found.` } });
    if (s.vaultsStatus === 403) return authorizationFailed(res, "Microsoft.RecoveryServices/vaults/read", `/subscriptions/${subscriptionId}`);
    const all = state.vaults.filter((v) => v.subscriptionId.toLowerCase() === subscriptionId);
    const skip = Number(url.searchParams.get("$skipToken") ?? "0");
    const more = skip + state.vaultsPageSize < all.length;
    const next = new URL(url);
    next.searchParams.set("$skipToken", String(skip + state.vaultsPageSize));
    return send(res, 200, {
      value: all.slice(skip, skip + state.vaultsPageSize).map((v) => ({
        id: fakeVaultId(v),
        name: v.name,
        type: "Microsoft.RecoveryServices/vaults",
        location: v.location,
        etag: `W/"datetime'${encodeURIComponent(new Date().toISOString())}'"`,
        tags: {},
        properties: { provisioningState: "Succeeded", privateEndpointStateForBackup: "None", privateEndpointStateForSiteRecovery: "None" },
        sku: { name: "Standard" },
      })),
      ...(more ? { nextLink: next.toString() } : {}),
    });
  };

  const settingBody = (vaultId: string, d: FakeDiagnosticSetting) => ({
    id: `${vaultId}/providers/microsoft.insights/diagnosticSettings/${d.name}`,
    type: "Microsoft.Insights/diagnosticSettings",
    name: d.name,
    properties: {
      storageAccountId: d.storageAccountId ?? null,
      serviceBusRuleId: null,
      workspaceId: d.workspaceId ?? null,
      eventHubAuthorizationRuleId: d.eventHubAuthorizationRuleId ?? null,
      eventHubName: d.eventHubName ?? null,
      metrics: d.metrics ?? [],
      logs: d.logs.map((l) => ({ category: l.category ?? null, categoryGroup: l.categoryGroup ?? null, enabled: l.enabled, retentionPolicy: l.retentionPolicy ?? { enabled: false, days: 0 } })),
      logAnalyticsDestinationType: d.logAnalyticsDestinationType ?? null,
    },
  });

  /** {vaultId}/providers/Microsoft.Insights/diagnosticSettings[/{name}]: list, get and create-or-update (2021-05-01-preview). */
  const diagnosticSettings = async (req: IncomingMessage, res: ServerResponse, url: URL, vaultPath: string, name: string | undefined) => {
    if (url.searchParams.get("api-version") !== "2021-05-01-preview") {
      return send(res, 400, { error: { code: "InvalidApiVersionParameter", message: `The api-version '${url.searchParams.get("api-version")}' is invalid.` } });
    }
    const vault = state.vaults.find((v) => fakeVaultId(v).toLowerCase() === vaultPath);
    if (!vault) {
      return send(res, 404, { error: { code: "ResourceNotFound", message: `The Resource '${vaultPath.split("/providers/")[1]}' under resource group '${vaultPath.split("/")[4]}' was not found.` } });
    }
    const vaultId = fakeVaultId(vault);
    const settings = state.diagnosticSettings.get(vaultId.toLowerCase()) ?? [];
    if (req.method === "GET") {
      if (vault.diagnosticsReadStatus === 403) return authorizationFailed(res, "microsoft.insights/diagnosticSettings/read", vaultId);
      if (!name) return send(res, 200, { value: settings.map((d) => settingBody(vaultId, d)) });
      const found = settings.find((d) => d.name.toLowerCase() === name.toLowerCase());
      if (!found) return send(res, 404, { code: "ResourceNotFound", message: `The diagnostic setting '${name}' doesn't exist.` });
      return send(res, 200, settingBody(vaultId, found));
    }
    if (req.method === "PUT" && name) {
      if (vault.diagnosticsWriteStatus === 403) return authorizationFailed(res, "microsoft.insights/diagnosticSettings/write", vaultId);
      let body: { properties?: Partial<FakeDiagnosticSetting> };
      try {
        body = JSON.parse(await readBody(req)) as typeof body;
      } catch {
        return send(res, 400, { code: "BadRequest", message: "The request content was invalid and could not be deserialized." });
      }
      const problem = invalidSetting(body.properties, name, settings);
      if (problem) return send(res, 400, { code: "BadRequest", message: problem });
      const p = body.properties!;
      const stored: FakeDiagnosticSetting = {
        name,
        workspaceId: p.workspaceId ?? null,
        storageAccountId: p.storageAccountId ?? null,
        eventHubAuthorizationRuleId: p.eventHubAuthorizationRuleId ?? null,
        eventHubName: p.eventHubName ?? null,
        logAnalyticsDestinationType: p.workspaceId ? (p.logAnalyticsDestinationType ?? null) : null,
        logs: p.logs ?? [],
        metrics: p.metrics ?? [],
      };
      state.diagnosticSettings.set(vaultId.toLowerCase(), [...settings.filter((d) => d.name.toLowerCase() !== name.toLowerCase()), stored]);
      return send(res, 200, settingBody(vaultId, stored));
    }
    return send(res, 405, { error: { code: "MethodNotAllowed", message: `${req.method} is not supported here.` } });
  };

  /** What Azure refuses in a diagnostic setting's PUT, in its words; undefined when the setting is acceptable. */
  const invalidSetting = (p: Partial<FakeDiagnosticSetting> | undefined, name: string, others: FakeDiagnosticSetting[]): string | undefined => {
    if (!p || typeof p !== "object") return "The diagnostic setting's properties are required.";
    if (!p.workspaceId && !p.storageAccountId && !p.eventHubAuthorizationRuleId && !(p as { serviceBusRuleId?: string }).serviceBusRuleId) {
      return "At least one of storage account, event hub, service bus or log analytics workspace must be specified.";
    }
    if (p.workspaceId && !/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i.test(p.workspaceId)) {
      return `Resource id '${p.workspaceId}' is not a valid Log Analytics workspace resource id.`;
    }
    const type = p.logAnalyticsDestinationType;
    if (type !== undefined && type !== null && type !== "Dedicated" && type !== "AzureDiagnostics") {
      return `The value '${type}' of logAnalyticsDestinationType is not valid. Valid values are 'Dedicated' and 'AzureDiagnostics'.`;
    }
    for (const l of p.logs ?? []) {
      if (l.category && !VAULT_LOG_CATEGORIES.includes(l.category)) return `Category '${l.category}' is not supported.`;
      if (l.categoryGroup && !VAULT_CATEGORY_GROUPS.includes(l.categoryGroup)) return `Category group '${l.categoryGroup}' is not supported.`;
      if (!l.category && !l.categoryGroup) return "Either category or categoryGroup must be specified for each log setting.";
      if (typeof l.enabled !== "boolean") return "The 'enabled' property of each log setting is required.";
    }
    for (const m of p.metrics ?? []) if (m.category && !VAULT_METRIC_CATEGORIES.includes(m.category)) return `Category '${m.category}' is not supported.`;
    // a sink may carry one category through only one setting of a resource
    for (const other of others.filter((d) => d.name.toLowerCase() !== name.toLowerCase())) {
      for (const sink of [p.workspaceId, p.storageAccountId, p.eventHubAuthorizationRuleId].filter(Boolean) as string[]) {
        if (![other.workspaceId, other.storageAccountId, other.eventHubAuthorizationRuleId].some((x) => x?.toLowerCase() === sink.toLowerCase())) continue;
        const shared = (p.logs ?? []).find((l) => l.enabled && l.category && other.logs.some((o) => o.enabled && o.category === l.category));
        if (shared) {
          return `Data sink '${sink}' is already used in diagnostic setting '${other.name}' for category '${shared.category}'. Data sinks can't be reused in different settings on the same category for the same resource.`;
        }
      }
    }
    return undefined;
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

  /**
   * POST {endpoint}/v1/$batch (Log Analytics REST spec, Query - Batch): `{requests: [{id, headers?, body: {query,
   * timespan?, workspaces?}, method, path: "/query", workspace}]}`, answered 200 `{responses: [{id, status, body}]}`
   * with each member's own status and body (an error body for a member that failed: its failure does not fail the
   * batch). Members run side by side and are answered in the reverse of their order, as Azure promises no order (its
   * documentation's example answers id 2 first). A malformed batch is refused whole with 400.
   */
  const batch = async (req: IncomingMessage, res: ServerResponse) => {
    if (!bearer(req)) return send(res, 401, { error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing or invalid." } });
    let body: { requests?: unknown };
    try {
      body = JSON.parse((await readBody(req)) || "{}") as typeof body;
    } catch {
      return send(res, 400, { error: { code: "BadArgumentError", message: "The request body is not valid JSON." } });
    }
    const requests = body.requests;
    const bad = (message: string) => send(res, 400, { error: { code: "BadArgumentError", message } });
    if (!Array.isArray(requests) || requests.length === 0) return bad("The batch must have a non-empty 'requests' array.");
    if (requests.length > LA_BATCH_LIMIT) return bad(`A batch may have at most ${LA_BATCH_LIMIT} requests.`);
    const members = requests as FakeBatchRequest[];
    const ids = new Set<string>();
    for (const m of members) {
      if (typeof m?.id !== "string" || !m.id || ids.has(m.id)) return bad("Each request of a batch needs a unique 'id'.");
      ids.add(m.id);
      if (typeof m.workspace !== "string" || !m.workspace) return bad(`Request '${m.id}' has no 'workspace'.`);
    }
    state.laBatches.push({ requests: members });
    const fault = state.laFaults.shift();
    if (fault) return send(res, fault.status, fault.body, fault.headers);
    laInFlight += members.length;
    state.laPeakInFlight = Math.max(state.laPeakInFlight, laInFlight);
    try {
      const answers = await Promise.all(
        members.map(async (m): Promise<{ id: string; status: number; body: unknown; headers?: Record<string, string> }> => {
          // without a method a member is a GET, whose body the API ignores: a query needs POST
          if ((m.method ?? "GET").toUpperCase() !== "POST" || typeof m.body?.query !== "string") {
            return { id: m.id, status: 400, body: { error: { code: "BadArgumentError", message: "The request had some invalid properties: a query is sent by POST with body.query" } } };
          }
          if (m.path !== "/query") return { id: m.id, status: 404, body: { error: { code: "PathNotFoundError", message: "The requested path does not exist" } } };
          const a = state.logAnalytics ? await state.logAnalytics(m.workspace, m.body) : { status: 404, body: { error: { code: "PathNotFoundError", message: "no such workspace" } } };
          return { id: m.id, status: a.status, body: a.body, ...(a.headers ? { headers: a.headers } : {}) };
        }),
      );
      return send(res, 200, { responses: answers.reverse() });
    } finally {
      laInFlight -= members.length;
    }
  };

  const server = createServer({ cert, key }, (req, res) => {
    const url = new URL(req.url ?? "/", base);
    state.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const parts = url.pathname.split("/").filter(Boolean);
    const la = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(url.pathname);
    const handle =
      la && req.method === "POST"
        ? logs(req, res, la[1]!)
        : url.pathname === "/v1/$batch" && req.method === "POST"
          ? batch(req, res)
          : parts[0] === "subscriptions"
            ? arm(req, res, url)
            : entra(req, res, parts);
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
