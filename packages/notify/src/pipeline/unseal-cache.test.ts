// The opened-secret cache: a secret is decrypted once while it is fresh, again after its time, and never served for
// another sealed text; the oldest goes when full; a secret that does not open is not kept.
import { randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret } from "@vaultwatch/db";
import { describe, expect, it } from "vitest";
import { cachedUnseal } from "./unseal-cache";

const key = randomBytes(32);

function counted() {
  const opened: string[] = [];
  const unseal = (sealed: string) => {
    opened.push(sealed);
    return decryptSecret(sealed, key);
  };
  return { unseal, opened };
}

describe("cachedUnseal", () => {
  it("opens a sealed secret once while fresh, and again once its time is up", () => {
    let clock = 0;
    const { unseal, opened } = counted();
    const open = cachedUnseal(unseal, { ttlMs: 1_000, now: () => clock });
    const sealed = encryptSecret("https://hooks.example.com/T0/B0/secret", key);
    expect([open(sealed), open(sealed)]).toEqual(["https://hooks.example.com/T0/B0/secret", "https://hooks.example.com/T0/B0/secret"]);
    expect(opened).toHaveLength(1);
    clock = 999;
    open(sealed);
    expect(opened).toHaveLength(1);
    clock = 1_000;
    open(sealed);
    expect(opened).toHaveLength(2);
  });

  it("answers a secret sealed again (an edited receiver) with its new value", () => {
    const open = cachedUnseal(counted().unseal);
    expect(open(encryptSecret("old-token", key))).toBe("old-token");
    expect(open(encryptSecret("new-token", key))).toBe("new-token");
  });

  it("lets the oldest go when full", () => {
    const { unseal, opened } = counted();
    const open = cachedUnseal(unseal, { max: 2 });
    const [a, b, c] = ["a-secret", "b-secret", "c-secret"].map((s) => encryptSecret(s, key));
    for (const s of [a!, b!, c!, b!, c!, a!]) open(s);
    // a was dropped when c came; b and c stayed
    expect(opened).toEqual([a, b, c, a]);
  });

  it("keeps nothing of a secret that does not open", () => {
    const open = cachedUnseal((s) => decryptSecret(s, key));
    const foreign = encryptSecret("sealed elsewhere", randomBytes(32));
    expect(() => open(foreign)).toThrow();
    expect(() => open(foreign)).toThrow();
  });
});
