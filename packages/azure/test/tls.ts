/**
 * The local Azure's certificate: one self-signed certificate for localhost, made once per machine with openssl and
 * trusted by Node through NODE_EXTRA_CA_CERTS (read when a process starts, so it is set before Vitest starts its
 * workers: see vitest.config.ts). The Azure SDK sends tokens only over https, so the local Azure speaks https too.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const dir = path.join(tmpdir(), "vaultwatch-local-azure");
export const certPath = path.join(dir, "localhost-cert.pem");
export const keyPath = path.join(dir, "localhost-key.pem");

export function ensureLocalCertificate(): { cert: string; key: string } {
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(dir, { recursive: true });
    const tag = `${process.pid}-${Date.now()}`;
    const [cert, key] = [`${certPath}.${tag}`, `${keyPath}.${tag}`];
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert],
      { stdio: "ignore" },
    );
    // whole files only: another run may read them at any moment
    renameSync(key, keyPath);
    renameSync(cert, certPath);
  }
  return { cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8") };
}
