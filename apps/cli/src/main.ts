#!/usr/bin/env node
// `vaultwatch`: JSON on stdout, one `error: <field>: <message>` line on stderr, non-zero exit on failure.
import { Command, CommanderError } from "commander";
import { registerDemo } from "./commands/demo";
import { registerQuery } from "./commands/query";
import { registerRulesAsCode } from "./commands/rules-as-code/commands";
import { registerSimulate } from "./commands/simulate";
import { registerTenant } from "./commands/tenant";
import { registerUser } from "./commands/user";
import { registerWorkspace } from "./commands/workspace";
import { closeAll } from "./context";
import { formatError } from "./errors";
import { configureCompilePool } from "@vaultwatch/local-workspace";

export function buildProgram(): Command {
  const program = new Command("vaultwatch")
    .description("Vaultwatch administration: users, tenants, workspaces, demo data, rules as code")
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str.trimEnd().split("\n")[0] + "\n") });
  registerUser(program);
  registerTenant(program);
  registerWorkspace(program);
  registerDemo(program);
  registerSimulate(program);
  registerQuery(program);
  registerRulesAsCode(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  // one command per process: compile KQL on this thread rather than start compile threads for it
  configureCompilePool({ threads: 0 });
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander already printed its one line (or the help)
    process.stderr.write(`${formatError(e)}\n`);
    return 1;
  } finally {
    await closeAll().catch(() => undefined);
  }
}

// pnpm passes a literal `--` through when invoked as `pnpm vaultwatch -- ...`; drop it.
const args = process.argv.slice(2);
if (args[0] === "--") args.shift();
process.exit(await main([process.argv[0] ?? "node", "vaultwatch", ...args]));
