#!/usr/bin/env node
// `vaultwatch` without pnpm in between (no banner, no ELIFECYCLE line): `node apps/cli/bin/vaultwatch.mjs ...`.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
