import { describe, expect, it } from "vitest";
import { statementName } from "./prepared-statements.js";

describe("statementName", () => {
  const marked = (sql: string) => `/* prepared */ ${sql}`;

  it("leaves unmarked statements unnamed (planned per call, nothing kept on the connection)", () => {
    expect(statementName({ sql: "SELECT 1" })).toBeUndefined();
    expect(statementName({ sql: " /* prepared */ SELECT 1" })).toBeUndefined();
  });

  it("names a marked statement after its text: the same text, the same name", () => {
    const name = statementName({ sql: marked("SELECT $1::int") });
    expect(name).toMatch(/^cohort_[0-9a-f]{24}$/);
    expect(statementName({ sql: marked("SELECT $1::int") })).toBe(name);
  });

  it("gives different texts different names (a name reused for another text would run the wrong statement)", () => {
    expect(statementName({ sql: marked("SELECT $1::int AS a") })).not.toBe(statementName({ sql: marked("SELECT $1::int AS b") }));
  });

  it("stops naming once a marked statement shows it has too many forms", () => {
    const names = Array.from({ length: 300 }, (_, i) => statementName({ sql: marked(`SELECT ${i}`) }));
    expect(names.slice(0, 200).every((n) => n !== undefined)).toBe(true);
    expect(names.at(-1)).toBeUndefined();
    // Texts named before the cap keep their names.
    expect(statementName({ sql: marked("SELECT 0") })).toBe(names[0]);
  });
});
