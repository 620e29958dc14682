import { certPath, ensureLocalCertificate } from "./tls";

/** Runs in Vitest's main process before any worker starts: workers inherit the trust of the local Azure's certificate. */
export default function setup() {
  ensureLocalCertificate();
  process.env.NODE_EXTRA_CA_CERTS = certPath;
}
