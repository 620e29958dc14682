/**
 * A client certificate as Entra and `@azure/identity` use it: the X.509 certificate registered on the app, and its
 * RSA private key, which signs the client assertion (a JWT) at each sign-in. Opened here before it is sealed, so a
 * wrong file is refused when it is given, not at the first sign-in.
 */
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { certificatePemProblem } from "@vaultwatch/schemas";

export type ClientCertificateInfo = {
  /** SHA-1 of the DER certificate in upper-case hex: the "Thumbprint" Entra's Certificates & secrets page lists */
  thumbprint: string;
  expiresAt: Date;
  subject: string;
};

/** Thrown with a message fit for the field that held the PEM. */
export class CertificateProblem extends Error {}

const firstBlock = (pem: string, label: RegExp) => label.exec(pem)?.[0];

/** The certificate's facts, or a CertificateProblem saying what is wrong with the PEM. */
export function readClientCertificate(pem: string, now: Date = new Date()): ClientCertificateInfo {
  const form = certificatePemProblem(pem);
  if (form) throw new CertificateProblem(form);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(firstBlock(pem, /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)!);
  } catch {
    throw new CertificateProblem("the certificate block is not a readable X.509 certificate");
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(firstBlock(pem, /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/)!);
  } catch {
    throw new CertificateProblem("the private key block is not a readable private key");
  }
  // Entra verifies client assertions signed RS256/PS256 with the certificate's RSA key
  if (key.asymmetricKeyType !== "rsa") throw new CertificateProblem(`the key is ${key.asymmetricKeyType ?? "not RSA"}: Entra signs in apps with RSA certificates only`);
  if (!cert.checkPrivateKey(key)) throw new CertificateProblem("the private key does not belong to the certificate");
  const expiresAt = new Date(cert.validTo);
  if (expiresAt.getTime() <= now.getTime()) throw new CertificateProblem(`the certificate expired on ${expiresAt.toISOString()}: create a new one and upload it to the app registration`);
  const thumbprint = createHash("sha1").update(cert.raw).digest("hex").toUpperCase();
  return { thumbprint, expiresAt, subject: cert.subject };
}
