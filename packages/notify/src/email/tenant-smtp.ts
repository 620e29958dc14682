/**
 * Which SMTP server sends a tenant group's email: the tenant's own (sealed URL, its From address or the deployment's)
 * when it has one, else the deployment's SMTP_URL. A tenant's server is `guarded`: reached at public addresses only.
 * Platform groups always use the deployment's server: the caller passes no tenant server for them.
 */
import type { ChannelContext } from "../message";

export type TenantSmtp = { sealedUrl: string | null; from: string | null };

export function smtpFor(base: ChannelContext["smtp"], tenant: TenantSmtp | null, unseal: (sealed: string) => string): ChannelContext["smtp"] {
  if (!tenant?.sealedUrl) return base;
  return { url: unseal(tenant.sealedUrl), from: tenant.from ?? base?.from ?? "vaultwatch@localhost", guarded: true };
}
