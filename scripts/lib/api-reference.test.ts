import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listProcedures, withProcedureReference } from "./api-reference.js";

const docPath = path.resolve(import.meta.dirname, "../../docs/api.md");
const doc = readFileSync(docPath, "utf8");

describe("docs/api.md, the living copy of the API contract", () => {
  it("has an up-to-date generated procedure reference (run `npm run docs:api`)", () => {
    expect(withProcedureReference(doc)).toBe(doc);
  });

  it("names only procedures the router has, and the router has every one it names", () => {
    const contract = doc.slice(0, doc.indexOf("<!-- generated"));
    const named = new Set([...contract.matchAll(/^- `([a-z]+\.[a-zA-Z]+)`/gm)].map((m) => m[1]!));
    const routed = new Set(listProcedures().map((p) => p.path));
    expect([...named].filter((name) => !routed.has(name))).toEqual([]);
    expect(named.size).toBeGreaterThan(20);
  });
});
