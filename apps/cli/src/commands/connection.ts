import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { AZURE_CLOUDS, type ConnectionCloud } from "@vaultwatch/schemas";
import { CliError } from "../errors";
import { printJson } from "../output";
import { asOptionError, tenantAndCaller } from "./as-member";
import { findTenant } from "./rules-as-code/engine";

/** The custom cloud's endpoint fields by their options (a refusal of "cloud.armEndpoint" names --arm-endpoint). */
const cloudOption: Record<string, string> = { authorityHost: "authority-host", armEndpoint: "arm-endpoint", logAnalyticsEndpoint: "log-analytics-endpoint" };

/** The API's input fields by the options that fill them. */
const optionOf: Record<string, string> = {
  name: "name",
  entraTenantId: "entra-tenant",
  clientId: "client-id",
  clientSecret: "client-secret",
  clientCertificate: "client-certificate-file",
  connectionId: "name",
  cloud: "cloud",
  ...Object.fromEntries(Object.entries(cloudOption).map(([field, option]) => [`cloud.${field}`, option])),
};

type CreateOptions = {
  tenant: string;
  name: string;
  entraTenant: string;
  clientId: string;
  clientSecret?: string;
  clientCertificateFile?: string;
  cloud?: string;
  authorityHost?: string;
  armEndpoint?: string;
  logAnalyticsEndpoint?: string;
  as?: string;
};

/** The cloud from the options: endpoints given make it Custom (all three are then needed), else a named cloud. */
function cloudOf(o: CreateOptions): ConnectionCloud {
  const endpoints = { authorityHost: o.authorityHost, armEndpoint: o.armEndpoint, logAnalyticsEndpoint: o.logAnalyticsEndpoint };
  const given = Object.entries(endpoints).filter(([, v]) => v !== undefined);
  if (given.length > 0 || o.cloud === "Custom") {
    if (o.cloud !== undefined && o.cloud !== "Custom") throw new CliError("cloud", "custom endpoints are for --cloud Custom (or leave --cloud out)");
    const missing = Object.keys(cloudOption).find((k) => endpoints[k as keyof typeof endpoints] === undefined);
    if (missing) throw new CliError(cloudOption[missing]!, "a custom cloud needs all three of --authority-host, --arm-endpoint and --log-analytics-endpoint");
    return { cloud: "Custom", authorityHost: o.authorityHost!, armEndpoint: o.armEndpoint!, logAnalyticsEndpoint: o.logAnalyticsEndpoint! };
  }
  const cloud = o.cloud ?? "AzurePublic";
  if (!(AZURE_CLOUDS as readonly string[]).includes(cloud)) throw new CliError("cloud", `must be one of ${AZURE_CLOUDS.join(", ")}`);
  return { cloud: cloud as Exclude<ConnectionCloud["cloud"], "Custom"> };
}

/** The secret, or the certificate read from its file: exactly one of the two options. */
function credentialOf(o: CreateOptions): { clientSecret: string } | { clientCertificate: string } {
  if (o.clientSecret !== undefined && o.clientCertificateFile !== undefined) {
    throw new CliError("client-certificate-file", "give either --client-secret or --client-certificate-file, not both");
  }
  if (o.clientCertificateFile !== undefined) {
    try {
      return { clientCertificate: readFileSync(o.clientCertificateFile, "utf8") };
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new CliError("client-certificate-file", `cannot read ${o.clientCertificateFile}${code ? ` (${code})` : ""}`);
    }
  }
  if (o.clientSecret === undefined) throw new CliError("client-secret", "give the app registration's --client-secret, or --client-certificate-file PATH");
  return { clientSecret: o.clientSecret };
}

/** The tenant's connection by name (case-insensitive). */
export async function connectionByName(caller: Awaited<ReturnType<typeof tenantAndCaller>>["caller"], tenantId: string, name: string, option = "name") {
  const all = await caller.connections.list({ tenantId });
  const found = all.find((c) => c.name.toLowerCase() === name.trim().toLowerCase());
  if (!found) throw new CliError(option, `no connection named "${name}" in this tenant${all.length ? ` (it has ${all.map((c) => `"${c.name}"`).join(", ")})` : ""}`);
  return found;
}

/** `vaultwatch connection create|test`: Azure connections through the API, as a member of the tenant. */
export function registerConnection(program: Command) {
  const connection = program.command("connection").description("manage a tenant's Azure connections (Entra app registrations)");
  connection
    .command("create")
    .description("store an Entra app registration (secret or certificate sealed) for a cloud; prints the connection as JSON")
    .requiredOption("--tenant <slug>", "the tenant's slug")
    .requiredOption("--name <name>", "the connection's name")
    .requiredOption("--entra-tenant <id>", "the customer's Directory (tenant) ID")
    .requiredOption("--client-id <id>", "the app registration's Application (client) ID")
    .option("--client-secret <secret>", "the client secret's value")
    .option("--client-certificate-file <path>", "instead of a secret: a PEM file holding the certificate uploaded to the app registration and its private key (unencrypted)")
    .option("--cloud <name>", `${AZURE_CLOUDS.join(", ")} (default AzurePublic; Custom when endpoints are given)`)
    .option("--authority-host <url>", "custom cloud: Entra's sign-in host")
    .option("--arm-endpoint <url>", "custom cloud: the Resource Manager endpoint")
    .option("--log-analytics-endpoint <url>", "custom cloud: the Log Analytics query API, /v1 included")
    .option("--as <email>", "the member who creates it (default: the tenant's first owner)")
    .action(async (opts: CreateOptions) => {
      const cloud = cloudOf(opts);
      const credential = credentialOf(opts);
      const { tenant, caller } = await tenantAndCaller(opts.tenant, opts.as);
      try {
        const created = await caller.connections.create({
          tenantId: tenant.id,
          name: opts.name,
          entraTenantId: opts.entraTenant,
          clientId: opts.clientId,
          ...credential,
          cloud,
        });
        printJson(created);
      } catch (e) {
        asOptionError(e, "connection", optionOf);
      }
    });
  connection
    .command("test")
    .description("sign in as the connection, list the subscriptions it sees and what it may do there; prints JSON")
    .requiredOption("--tenant <slug>", "the tenant's slug")
    .requiredOption("--name <name>", "the connection's name")
    .option("--as <email>", "the member who tests it (default: the tenant's first owner)")
    .action(async (opts: { tenant: string; name: string; as?: string }) => {
      const { tenant, caller } = await tenantAndCaller(opts.tenant, opts.as);
      const found = await connectionByName(caller, tenant.id, opts.name);
      const result = await caller.connections.test({ tenantId: tenant.id, connectionId: found.id });
      printJson(result);
      // a failed test is an answer, printed in full, and the exit code says it failed
      if (!result.ok) throw new CliError("connection", `${result.code}: ${result.advice}`);
    });

  /** share's and unshare's API fields by their options */
  const shareOptionOf: Record<string, string> = { connectionId: "name", targetTenantId: "to", name: "link-name", subscriptionIds: "subscriptions" };
  connection
    .command("share")
    .description("Azure Lighthouse: let another tenant use this connection for some delegated subscriptions (a linked connection, no secret of its own); prints the link as JSON")
    .requiredOption("--tenant <slug>", "the slug of the tenant that holds the connection (the MSP's)")
    .requiredOption("--name <name>", "the connection's name")
    .requiredOption("--to <slug>", "the slug of the tenant to share it with (the customer's)")
    .requiredOption("--subscriptions <ids>", "the delegated subscription ids the customer tenant may use, comma-separated")
    .option("--link-name <name>", "the link's name in the customer tenant (default: the connection's name)")
    .option("--as <email>", "who shares: a platform admin, or an owner or admin of both tenants (default: the tenant's first owner)")
    .action(async (opts: { tenant: string; name: string; to: string; subscriptions: string; linkName?: string; as?: string }) => {
      const subscriptionIds = opts.subscriptions.split(",").map((id) => id.trim()).filter(Boolean);
      if (!subscriptionIds.length) throw new CliError("subscriptions", "give at least one subscription id");
      const { tenant, caller } = await tenantAndCaller(opts.tenant, opts.as);
      const target = await findTenant(opts.to.trim()).catch(() => {
        throw new CliError("to", `no tenant with slug ${opts.to}`);
      });
      const found = await connectionByName(caller, tenant.id, opts.name);
      try {
        printJson(
          await caller.connections.share({
            tenantId: tenant.id,
            connectionId: found.id,
            targetTenantId: target.id,
            name: opts.linkName ?? found.name,
            subscriptionIds,
          }),
        );
      } catch (e) {
        asOptionError(e, "connection", shareOptionOf);
      }
    });
  connection
    .command("unshare")
    .description("end a connection's link with another tenant (its subscriptions there lose the connection); prints JSON")
    .requiredOption("--tenant <slug>", "the slug of the tenant that holds the connection")
    .requiredOption("--name <name>", "the connection's name")
    .requiredOption("--to <slug>", "the slug of the tenant it is shared with")
    .option("--as <email>", "who unshares: a platform admin, or an owner or admin of both tenants (default: the tenant's first owner)")
    .action(async (opts: { tenant: string; name: string; to: string; as?: string }) => {
      const { tenant, caller } = await tenantAndCaller(opts.tenant, opts.as);
      const target = await findTenant(opts.to.trim()).catch(() => {
        throw new CliError("to", `no tenant with slug ${opts.to}`);
      });
      const found = await connectionByName(caller, tenant.id, opts.name);
      try {
        printJson(await caller.connections.unshare({ tenantId: tenant.id, connectionId: found.id, targetTenantId: target.id }));
      } catch (e) {
        asOptionError(e, "connection", shareOptionOf);
      }
    });
}
