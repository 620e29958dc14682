import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, generateApiKey, hashApiKey, parseEncryptionKey } from "./secrets";

describe("secrets at rest", () => {
  const key = randomBytes(32);

  it("round-trips and never stores the plaintext; each encryption differs", () => {
    const a = encryptSecret("client-secret~value", key);
    const b = encryptSecret("client-secret~value", key);
    expect(a).not.toContain("client-secret");
    expect(a).not.toBe(b);
    expect(decryptSecret(a, key)).toBe("client-secret~value");
  });

  it("refuses a tampered ciphertext or a wrong key", () => {
    const stored = encryptSecret("s3cret", key);
    const parts = stored.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    expect(() => decryptSecret([...parts.slice(0, 3), body.toString("base64url")].join("."), key)).toThrow();
    expect(() => decryptSecret(stored, randomBytes(32))).toThrow();
  });

  it("wants a 32-byte key", () => {
    expect(() => parseEncryptionKey(randomBytes(16).toString("base64"))).toThrow("32 bytes");
    expect(parseEncryptionKey(key.toString("base64"))).toEqual(key);
  });

  it("API keys are prefixed, random, and hashed deterministically", () => {
    const k = generateApiKey("vwi");
    expect(k.key).toMatch(/^vwi_[A-Za-z0-9_-]{43}$/);
    expect(k.hash).toBe(hashApiKey(k.key));
    expect(k.hint.startsWith("vwi_")).toBe(true);
    expect(k.hint).not.toContain(k.key.slice(10, 30));
    expect(generateApiKey("vwi").key).not.toBe(k.key);
  });
});
