/**
 * Azurite (Microsoft's storage emulator, the `azurite` npm package) started by a test as a child process: blob service
 * only, in memory, loose mode, on a free port, with the emulator's well-known development account.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { certPath, ensureLocalCertificate, keyPath } from "./tls";

/** Azurite's documented development account and key (public: they work only against the emulator). */
export const DEV_ACCOUNT = "devstoreaccount1";
export const DEV_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** A client of the emulator's development account with its key: what a test writes the archive through. */
export const devAccountClient = (blobEndpoint: string) => new BlobServiceClient(blobEndpoint, new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY));

export type Azurite = { blobEndpoint: string; close(): Promise<void> };

/**
 * With `oauth`, Azurite serves https with the local Azure's certificate (test/tls.ts, trusted by the test processes)
 * and also accepts Entra bearer tokens (`--oauth basic`: it checks their issuer, audience and lifetime), such as
 * those the local Azure's Entra issues: the connection's sign-in path of the reader.
 */
export async function startAzurite(opts: { oauth?: boolean } = {}): Promise<Azurite> {
  if (opts.oauth) ensureLocalCertificate();
  const require = createRequire(import.meta.url);
  const main = join(dirname(require.resolve("azurite/package.json")), "dist/src/blob/main.js");
  const location = mkdtempSync(join(tmpdir(), "azurite-"));
  const child: ChildProcess = spawn(
    process.execPath,
    [main, "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--extentMemoryLimit", "256", "--loose", "--skipApiVersionCheck", "--disableTelemetry", "--silent", ...(opts.oauth ? ["--oauth", "basic", "--cert", certPath, "--key", keyPath] : [])],
    // in memory: nothing is written, but any file it might leave goes to a directory of its own
    { stdio: ["ignore", "pipe", "pipe"], cwd: location },
  );
  let output = "";
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Azurite did not start within 60 s: ${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /successfully listens on (https?):\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(`${m[1]}://127.0.0.1:${m[2]}`);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited (${code}): ${output}`));
    });
  });
  return {
    blobEndpoint: `${origin}/${DEV_ACCOUNT}`,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(location, { recursive: true, force: true });
    },
  };
}
