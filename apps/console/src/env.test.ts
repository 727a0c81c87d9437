import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { consoleEnvSchema, readConsoleEnv } from "./env.js";

const example = readFileSync(path.resolve(import.meta.dirname, "../../../.env.example"), "utf8");
const listed = Object.fromEntries([...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
/** Set by Next itself (`next dev` / `next start`), not configuration an operator chooses. */
const setByNext = new Set(["NODE_ENV"]);

describe("console environment", () => {
  it("lists every variable the console reads in .env.example", () => {
    const read = Object.keys(consoleEnvSchema.in.shape).filter((name) => !setByNext.has(name));
    expect(read.length).toBeGreaterThan(0);
    expect(read.filter((name) => !(name in listed))).toEqual([]);
  });

  it("gives the schema's own defaults from the .env.example values", () => {
    const fromExample = Object.fromEntries(Object.keys(consoleEnvSchema.in.shape).map((name) => [name, listed[name]]));
    expect(readConsoleEnv(fromExample)).toEqual(readConsoleEnv({}));
  });
});
