/**
 * Failed sign-ins per account, beside better-auth's per-address throttle: a guesser spreading attempts over many
 * addresses still gets `max` tries per window on one account. Keyed by a hash of the e-mail as typed (lower-cased),
 * whether or not the account exists, so the answer never tells which addresses have accounts.
 *
 * Stored in better-auth's `rate_limit` table under keys better-auth never writes (its keys are `<ip>|<path>`). For
 * these rows `lastRequest` holds when the window ENDS: better-auth prunes rows whose `lastRequest` is older than its
 * longest window, which then removes ours only once their window is over.
 *
 * Each attempt takes a slot before the password is checked (atomically, so concurrent guesses cannot overshoot) and a
 * successful sign-in gives its slot back: only failures count, and a right password over the limit is refused too.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Db } from "@vaultwatch/db";

export type AccountLimit = { max: number; windowSeconds: number };
export const defaultAccountLimit: AccountLimit = { max: 10, windowSeconds: 15 * 60 };

export type SlotDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function accountKey(email: string): string {
  return `signin-account|${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;
}

export function accountLimiter(db: Db, limit: AccountLimit) {
  const windowMs = limit.windowSeconds * 1000;
  return {
    async take(email: string): Promise<SlotDecision> {
      const key = accountKey(email);
      const now = BigInt(Date.now());
      const end = now + BigInt(windowMs);
      // a new window when none runs; else one more slot while fewer than `max` are taken; else no row comes back
      const taken = await db.$queryRaw<{ count: number }[]>`
        INSERT INTO rate_limit AS r (id, key, count, "lastRequest") VALUES (${randomUUID()}, ${key}, 1, ${end})
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN r."lastRequest" <= ${now} THEN 1 ELSE r.count + 1 END,
          "lastRequest" = CASE WHEN r."lastRequest" <= ${now} THEN ${end} ELSE r."lastRequest" END
        WHERE r."lastRequest" <= ${now} OR r.count < ${limit.max}
        RETURNING count`;
      if (taken.length > 0) return { allowed: true };
      const row = await db.rateLimit.findUnique({ where: { key }, select: { lastRequest: true } });
      const ms = row ? Number(row.lastRequest) - Date.now() : 0;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
    },

    /** A successful sign-in was not a failure: hand its slot back (within the window it was taken in). */
    async giveBack(email: string): Promise<void> {
      await db.$executeRaw`
        UPDATE rate_limit SET count = count - 1
        WHERE key = ${accountKey(email)} AND count > 0 AND "lastRequest" > ${BigInt(Date.now())}`;
    },
  };
}
