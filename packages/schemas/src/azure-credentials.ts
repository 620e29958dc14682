/**
 * How a connection signs in to Entra: a client secret, or a certificate (the PEM certificate with its private key,
 * as `@azure/identity`'s ClientCertificateCredential takes it). Exactly one of the two. These checks are the ones a
 * browser can make too; the server also opens the certificate and its key (packages/azure certificate.ts).
 */
import { z } from "zod";

export const clientSecretSchema = z.string().min(8, "must be the app registration's client secret").max(512, "must be at most 512 characters");

/** A certificate with its key and a short chain fits in a few KiB; 64 KiB leaves room and refuses a stray file. */
export const MAX_CERTIFICATE_PEM_CHARS = 65_536;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const PEM_PRIVATE_KEY = /-----BEGIN (RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (RSA |EC )?PRIVATE KEY-----/;
const PEM_ENCRYPTED_KEY = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/;

/** What is wrong with a PEM text as a client certificate, by its form alone; undefined when its form is right. */
export function certificatePemProblem(pem: string): string | undefined {
  if (!PEM_CERTIFICATE.test(pem)) return "must hold the certificate in PEM form (-----BEGIN CERTIFICATE-----)";
  if (PEM_ENCRYPTED_KEY.test(pem)) return "the private key is encrypted: export it without a password (openssl pkcs12 -nodes, or openssl pkey)";
  if (!PEM_PRIVATE_KEY.test(pem)) return "must also hold the certificate's private key in PEM form (-----BEGIN PRIVATE KEY-----)";
  return undefined;
}

export const clientCertificatePemSchema = z
  .string()
  .max(MAX_CERTIFICATE_PEM_CHARS, `must be at most ${MAX_CERTIFICATE_PEM_CHARS} characters (a certificate and its private key in PEM form)`)
  .superRefine((pem, ctx) => {
    const problem = certificatePemProblem(pem);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A connection's sign-in, as a form or an API input gives it: a secret or a certificate. */
export const connectionCredentialFields = {
  clientSecret: clientSecretSchema.optional(),
  clientCertificate: clientCertificatePemSchema.optional(),
};

/** Refuses both or neither of the secret and the certificate, naming the field to fill or clear. */
export function exactlyOneCredential(v: { clientSecret?: string; clientCertificate?: string }, ctx: z.RefinementCtx) {
  if (v.clientSecret !== undefined && v.clientCertificate !== undefined) {
    ctx.addIssue({ code: "custom", path: ["clientCertificate"], message: "give either a client secret or a client certificate, not both" });
  } else if (v.clientSecret === undefined && v.clientCertificate === undefined) {
    ctx.addIssue({ code: "custom", path: ["clientSecret"], message: "give the app registration's client secret, or a client certificate instead" });
  }
}
