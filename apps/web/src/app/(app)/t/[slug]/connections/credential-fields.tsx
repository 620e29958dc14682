"use client";

import { certificatePemProblem, MAX_CERTIFICATE_PEM_CHARS } from "@vaultwatch/schemas";
import { Field, Input, Textarea } from "@/components/ui/input";
import { cn } from "@/lib/utils";

/** How a connection signs in: a client secret, or a certificate (PEM certificate + private key). */
export type Credential = { kind: "secret" | "certificate"; clientSecret: string; clientCertificate: string };
export const emptyCredential: Credential = { kind: "secret", clientSecret: "", clientCertificate: "" };

/** What the form can tell is wrong before sending (the server also opens the certificate). */
export function credentialErrors(c: Credential): Record<string, string> {
  if (c.kind === "secret") return c.clientSecret.length < 8 ? { clientSecret: "must be the app registration's client secret" } : {};
  if (!c.clientCertificate.trim()) return { clientCertificate: "paste the PEM, or choose the .pem file" };
  if (c.clientCertificate.length > MAX_CERTIFICATE_PEM_CHARS) return { clientCertificate: `must be at most ${MAX_CERTIFICATE_PEM_CHARS} characters` };
  const problem = certificatePemProblem(c.clientCertificate);
  return problem ? { clientCertificate: problem } : {};
}

/** The API's input fields for the chosen kind: exactly one of the two. */
export const credentialInput = (c: Credential) =>
  c.kind === "secret" ? { clientSecret: c.clientSecret } : { clientCertificate: c.clientCertificate };

const pill = (on: boolean) =>
  cn(
    "rounded-md border px-2.5 py-1 text-xs font-medium",
    on ? "border-blue-500 bg-blue-50 text-blue-700" : "border-zinc-200 bg-white text-zinc-600 hover:bg-zinc-50",
  );

export function CredentialFields({
  id,
  value,
  onChange,
  errors,
  secretLabel = "Client secret",
}: {
  id: string;
  value: Credential;
  onChange: (c: Credential) => void;
  errors: Record<string, string>;
  secretLabel?: string;
}) {
  return (
    <div className="space-y-3">
      <div className="flex gap-2" role="radiogroup" aria-label="Sign in with">
        <button type="button" role="radio" aria-checked={value.kind === "secret"} className={pill(value.kind === "secret")} onClick={() => onChange({ ...value, kind: "secret" })}>
          Client secret
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={value.kind === "certificate"}
          className={pill(value.kind === "certificate")}
          onClick={() => onChange({ ...value, kind: "certificate" })}
        >
          Certificate
        </button>
      </div>
      {value.kind === "secret" ? (
        <Field id={`${id}-secret`} label={secretLabel} error={errors.clientSecret} hint="Stored encrypted; never shown again.">
          <Input
            id={`${id}-secret`}
            type="password"
            autoComplete="off"
            value={value.clientSecret}
            onChange={(e) => onChange({ ...value, clientSecret: e.target.value })}
            aria-invalid={!!errors.clientSecret}
          />
        </Field>
      ) : (
        <Field
          id={`${id}-certificate`}
          label="Certificate and private key (PEM)"
          error={errors.clientCertificate}
          hint="The certificate uploaded to the app registration and its unencrypted private key. Stored encrypted; only its thumbprint is shown."
        >
          <Textarea
            id={`${id}-certificate`}
            rows={6}
            spellCheck={false}
            placeholder={"-----BEGIN PRIVATE KEY-----\n…\n-----BEGIN CERTIFICATE-----\n…"}
            value={value.clientCertificate}
            onChange={(e) => onChange({ ...value, clientCertificate: e.target.value })}
            aria-invalid={!!errors.clientCertificate}
          />
          <input
            type="file"
            accept=".pem,.crt,.cer,.key,text/plain"
            aria-label="Certificate file"
            className="block text-xs text-zinc-600 file:mr-2 file:rounded-md file:border file:border-zinc-200 file:bg-white file:px-2 file:py-1 file:text-xs"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (file) onChange({ ...value, kind: "certificate", clientCertificate: await file.text() });
            }}
          />
        </Field>
      )}
    </div>
  );
}
