/**
 * Test support: `vaultwatch` run in the test's own process (`cli`), or as the real binary (`spawnCli`).
 *
 * `cli` is the same program as the binary (runCli: the commands, the one-line errors, the exit codes, every
 * connection closed at the end) without a process start per call (~2.5 s of tsx loading modules each, 8-10 s on a
 * loaded machine). Runs may overlap: each has its own streams, environment and connections. Keep a spawned test or
 * two per file for what only a process shows (the bin entry, `process.exit`, pnpm's script).
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { runCli } from "../main";

export type CliResult = { code: number; stdout: string; stderr: string };
export type CliEnvVars = Record<string, string | undefined>;

export const bin = fileURLToPath(new URL("../../bin/vaultwatch.mjs", import.meta.url));
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** `vaultwatch <args>` in this process, with this process's environment overlaid by `env` (undefined unsets). */
export async function cli(args: string[], env: CliEnvVars = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { ...process.env, ...env },
  });
  return { code, stdout, stderr };
}

/**
 * `cli` with a fixed environment, and `ok`: a command that must succeed (nothing on stderr, exit 0), its JSON stdout
 * parsed.
 */
export function cliWithEnv(env: CliEnvVars) {
  const run = (args: string[]) => cli(args, env);
  async function ok<T>(args: string[]): Promise<T> {
    const r = await run(args);
    expect(r.stderr, `stderr of ${args.join(" ")}`).toBe("");
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as T;
  }
  return { cli: run, ok };
}

/** `file args` as a child process from the repo root (e.g. `node bin/vaultwatch.mjs`, `pnpm -s vaultwatch`). */
export function spawnCli(file: string, args: string[], env: CliEnvVars = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: repoRoot, env: { ...process.env, ...env }, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The real binary: `node apps/cli/bin/vaultwatch.mjs <args>`. */
export const spawnBin = (args: string[], env?: CliEnvVars) => spawnCli(process.execPath, [bin, ...args], env);
