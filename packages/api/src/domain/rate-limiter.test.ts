import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limiter.js";

const options = {
  perConnection: { ratePerSec: 10, burst: 5 },
  perUser: { ratePerSec: 15, burst: 8 },
  cursorPerConnection: { ratePerSec: 20, burst: 3 },
};

describe("RateLimiter", () => {
  it("allows a burst, refuses past it, and refills over time", () => {
    const limiter = new RateLimiter(options);
    const call = { connectionId: "c1", userId: 1, cursor: false };
    for (let i = 0; i < 5; i++) expect(limiter.take(call, 0)).toBeNull();
    expect(limiter.take(call, 0)).toBe("connection");
    expect(limiter.take(call, 100)).toBeNull(); // 10/s: one token after 100 ms
    expect(limiter.take(call, 100)).toBe("connection");
  });

  it("limits a participant across connections, but never lumps different participants together", () => {
    const limiter = new RateLimiter(options);
    for (let i = 0; i < 5; i++) expect(limiter.take({ connectionId: "tab1", userId: 7, cursor: false }, 0)).toBeNull();
    for (let i = 0; i < 3; i++) expect(limiter.take({ connectionId: "tab2", userId: 7, cursor: false }, 0)).toBeNull();
    expect(limiter.take({ connectionId: "tab2", userId: 7, cursor: false }, 0)).toBe("user");
    // A classroom behind one IP: 30 students each get their own allowance.
    for (let s = 100; s < 130; s++) expect(limiter.take({ connectionId: `c${s}`, userId: s, cursor: false }, 0)).toBeNull();
  });

  it("keeps cursor traffic in its own bucket", () => {
    const limiter = new RateLimiter(options);
    for (let i = 0; i < 3; i++) expect(limiter.take({ connectionId: "c", userId: 1, cursor: true }, 0)).toBeNull();
    expect(limiter.take({ connectionId: "c", userId: 1, cursor: true }, 0)).toBe("cursor");
    expect(limiter.take({ connectionId: "c", userId: 1, cursor: false }, 0)).toBeNull();
  });

  it("forgets the least recently used buckets past its bound", () => {
    const limiter = new RateLimiter({ ...options, maxBuckets: 100 });
    for (let i = 0; i < 1000; i++) limiter.take({ connectionId: `c${i}`, userId: null, cursor: false }, 0);
    expect(limiter.size).toBe(100);
  });
});
