import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readServerEnv, serverEnvSchema } from "./env.js";

const example = readFileSync(path.resolve(import.meta.dirname, "../../../.env.example"), "utf8");
const listed = new Map(
  example
    .split("\n")
    .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const),
);

describe("server environment", () => {
  it("lists every variable the server reads in .env.example", () => {
    const read = Object.keys(serverEnvSchema.shape);
    expect(read.filter((name) => !listed.has(name))).toEqual([]);
  });

  it("starts from the .env.example defaults alone", () => {
    const env = readServerEnv(Object.fromEntries(listed));
    expect(env.PORT).toBe(4000);
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
  });

  it("reports every problem at once", () => {
    let message = "";
    try {
      readServerEnv({ PORT: "nope", ADMIN_KEY: "short", LOG_LEVEL: "loud", MAX_PATH_BYTES: "2048" });
    } catch (error) {
      message = (error as Error).message;
    }
    // MAX_PATH_BYTES may tighten API.md's 1024-byte path limit, never loosen it.
    for (const name of ["PORT", "ADMIN_KEY", "LOG_LEVEL", "JWT_SECRET", "MAX_PATH_BYTES"]) expect(message).toContain(`- ${name}:`);
  });
});
