import { describe, expect, it } from "vitest";
import { parseClusterUrl } from "./create-redis.js";

describe("parseClusterUrl", () => {
  it("reads a node list", () => {
    expect(parseClusterUrl("redis+cluster://10.0.0.1:7000,10.0.0.2:7001")).toEqual({
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "10.0.0.2", port: 7001 },
      ],
    });
  });
  it("reads a password", () => {
    expect(parseClusterUrl("redis+cluster://:s%40cret@h:7000")).toEqual({ nodes: [{ host: "h", port: 7000 }], password: "s@cret" });
  });
  it("leaves plain URLs alone and refuses bad ports", () => {
    expect(parseClusterUrl("redis://127.0.0.1:6379")).toBeNull();
    expect(() => parseClusterUrl("redis+cluster://h:abc")).toThrow(TypeError);
  });
});
