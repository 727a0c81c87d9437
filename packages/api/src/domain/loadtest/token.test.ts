import { describe, expect, it } from "vitest";
import { createTestToken, hashTestToken, tokenMatches } from "./token.js";

describe("test tokens", () => {
  it("keeps only a digest that the token, and nothing else, matches", () => {
    const { token, hash } = createTestToken();
    expect(hash).toBe(hashTestToken(token));
    expect(hash).not.toContain(token);
    expect(tokenMatches(token, hash)).toBe(true);
    expect(tokenMatches(`${token}x`, hash)).toBe(false);
    expect(tokenMatches(createTestToken().token, hash)).toBe(false);
  });

  it("refuses what is not a token at all", () => {
    const { hash } = createTestToken();
    for (const bad of [undefined, null, "", 42, { token: "x" }, "x".repeat(600)]) expect(tokenMatches(bad, hash)).toBe(false);
  });
});
