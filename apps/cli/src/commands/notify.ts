import type { Command } from "commander";
import { z } from "zod";
import type { callerAs } from "../context";
import { CliError } from "../errors";
import { printJson } from "../output";
import { asCliError as refusal, option, tenantAndCaller } from "./as-member";

/** The tenant's action group by name (case-insensitive, as group names are compared). */
async function groupByName(caller: ReturnType<typeof callerAs>, tenantId: string, name: string) {
  const groups = await caller.actionGroups.list({ tenantId });
  const group = groups.find((g) => g.name.toLowerCase() === name.trim().toLowerCase());
  if (!group) {
    const known = groups.map((g) => `"${g.name}"`).join(", ");
    throw new CliError("group", `no action group named "${name}" in this tenant${known ? ` (it has ${known})` : ""}`);
  }
  return group;
}

/** The API's input fields by the options that fill them. */
const optionOf: Record<string, string> = { receiverName: "receiver", actionGroupId: "group", alertId: "alert" };
const asCliError = (e: unknown, field: string): never => refusal(e, field, optionOf);

const limit = z.coerce.number({ error: "must be a number from 1 to 200" }).int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200");
const alertId = z.uuid({ error: "must be an alert id (a GUID)" });
const statuses = ["pending", "sending", "sent", "failed", "suppressed", "held", "folded"] as const;

/** `vaultwatch deliveries` and `vaultwatch notify test`: the delivery log and test sends, through the API as a member. */
export function registerNotify(program: Command) {
  program
    .command("deliveries")
    .description("print a tenant's delivery log (newest first, each delivery with its attempts) as JSON")
    .requiredOption("--tenant <slug>", "the tenant's slug")
    .option("--alert <id>", "only this alert's deliveries")
    .option("--group <name>", "only this action group's deliveries")
    .option("--status <list>", "only these outcomes, comma-separated: pending, sending, sent, failed, suppressed, held, folded")
    .option("--limit <n>", "at most this many deliveries (1-200, default 50)")
    .option("--cursor <id>", "continue after this delivery (nextCursor of the previous page)")
    .option("--as <email>", "the member who reads (default: the tenant's first owner)")
    .action(async (opts: { tenant: string; alert?: string; group?: string; status?: string; limit?: string; cursor?: string; as?: string }) => {
      const { tenant, caller } = await tenantAndCaller(opts.tenant, opts.as);
      const alert = opts.alert === undefined ? undefined : option("alert", alertId, opts.alert).toLowerCase();
      const pageSize = opts.limit === undefined ? 50 : option("limit", limit, opts.limit);
      const group = opts.group === undefined ? undefined : await groupByName(caller, tenant.id, opts.group);
      const status = opts.status?.split(",").map((s) => s.trim()).filter(Boolean);
      const unknown = status?.find((s) => !(statuses as readonly string[]).includes(s));
      if (unknown !== undefined) throw new CliError("status", `"${unknown}" is not an outcome; use ${statuses.join(", ")}`);
      try {
        const page = await caller.deliveries.list({
          tenantId: tenant.id,
          alertId: alert,
          actionGroupId: group?.id,
          status: status as (typeof statuses)[number][] | undefined,
          cursor: opts.cursor,
          limit: pageSize,
        });
        printJson(page);
      } catch (e) {
        asCliError(e, "tenant");
      }
    });

  const notify = program.command("notify").description("notifications: test an action group");
  notify
    .command("test")
    .description("send a sample alert marked as a test to a group's receivers (one test per group a minute); prints each result")
    .requiredOption("--tenant <slug>", "the tenant's slug")
    .requiredOption("--group <name>", "the action group's name")
    .option("--receiver <name>", "only this receiver of the group")
    .option("--as <email>", "the member who sends it (default: the tenant's first owner)")
    .action(async (opts: { tenant: string; group: string; receiver?: string; as?: string }) => {
      const { tenant, caller } = await tenantAndCaller(opts.tenant, opts.as);
      const group = await groupByName(caller, tenant.id, opts.group);
      try {
        printJson(await caller.actionGroups.test({ tenantId: tenant.id, actionGroupId: group.id, receiverName: opts.receiver }));
      } catch (e) {
        asCliError(e, "group");
      }
    });
}
