import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A fresh per-test token (256 random bits); only its digest is stored. */
export function createTestToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashTestToken(token) };
}

export function hashTestToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Compares digests in constant time, so a guess's timing tells nothing about the token. */
export function tokenMatches(token: unknown, storedHash: string): boolean {
  if (typeof token !== "string" || token.length === 0 || token.length > 512) return false;
  const given = Buffer.from(hashTestToken(token), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}
