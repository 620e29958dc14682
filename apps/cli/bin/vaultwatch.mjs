#!/usr/bin/env node
// `vaultwatch` without pnpm in between (no banner, no ELIFECYCLE line): `node apps/cli/bin/vaultwatch.mjs ...`.
import process from "node:process";
import { register } from "tsx/esm/api";

register();
const { runCliProcess } = await import("../src/main.ts");
process.exit(await runCliProcess(process.argv.slice(2)));
