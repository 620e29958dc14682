// `vaultwatch`: JSON on stdout, one `error: <field>: <message>` line on stderr, non-zero exit on failure. The binary
// (bin/vaultwatch.mjs) runs `runCli` once per process; tests run it in their own process (src/test/run-cli.ts).
import { Command, CommanderError } from "commander";
import { registerAzure } from "./commands/azure";
import { registerConnection } from "./commands/connection";
import { registerDemo } from "./commands/demo";
import { registerNotify } from "./commands/notify";
import { registerQuery } from "./commands/query";
import { registerRulesAsCode } from "./commands/rules-as-code/commands";
import { registerSimulate } from "./commands/simulate";
import { registerTenant } from "./commands/tenant";
import { registerUser } from "./commands/user";
import { registerWorkspace } from "./commands/workspace";
import { closeAll } from "./context";
import { formatError } from "./errors";
import { currentRun, inRunScope, type RunIo } from "./run-scope";
import { compileTemplate } from "@vaultwatch/kql";
import { configureCompilePool } from "@vaultwatch/local-workspace";

export function buildProgram(): Command {
  const program = new Command("vaultwatch")
    .description("Vaultwatch administration: users, tenants, workspaces, demo data, rules as code")
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (str) => currentRun().io.stdout.write(str),
      writeErr: (str) => currentRun().io.stderr.write(str),
      outputError: (str, write) => write(str.trimEnd().split("\n")[0] + "\n"),
    });
  registerUser(program);
  registerTenant(program);
  registerWorkspace(program);
  registerConnection(program);
  registerAzure(program);
  registerDemo(program);
  registerSimulate(program);
  registerQuery(program);
  registerRulesAsCode(program);
  registerNotify(program);
  return program;
}

/**
 * The binary's run: one command in a process of its own, so KQL compiles on this thread rather than on compile threads
 * started for it (a test process running `runCli` keeps its pool, which its other tests use too).
 */
export function runCliProcess(args: readonly string[]): Promise<number> {
  configureCompilePool({ threads: 0, compileHere: compileTemplate });
  return runCli(args);
}

/**
 * One run of `vaultwatch` with `args` (what follows the program's name): output goes to `io`'s streams, variables
 * come from `io.env` (default: the process's). Resolves to the exit code; every connection the run opened is closed.
 */
export function runCli(args: readonly string[], io: RunIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  // pnpm passes a literal `--` through when invoked as `pnpm vaultwatch -- ...`; drop it.
  const argv = args[0] === "--" ? args.slice(1) : [...args];
  return inRunScope(io, async () => {
    try {
      await buildProgram().parseAsync(argv, { from: "user" });
      return 0;
    } catch (e) {
      if (e instanceof CommanderError) return e.exitCode; // commander already printed its one line (or the help)
      io.stderr.write(`${formatError(e)}\n`);
      return 1;
    } finally {
      await closeAll().catch(() => undefined);
    }
  });
}
