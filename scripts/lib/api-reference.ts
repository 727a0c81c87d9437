import { z } from "zod";
import { appRouter } from "@cohort/api";

interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  inputs: z.ZodType[];
  meta?: unknown;
}

export interface ProcedureInfo {
  path: string;
  type: ProcedureDef["type"];
  /** JSON Schema of the input (what a client in any language must send). */
  input: unknown;
}

/** Every procedure of the router with its input schema, in path order. */
export function listProcedures(): ProcedureInfo[] {
  const procedures = (appRouter as unknown as { _def: { procedures: Record<string, { _def: ProcedureDef }> } })._def.procedures;
  return Object.entries(procedures)
    .map(([path, procedure]) => {
      const input = procedure._def.inputs[0];
      return {
        path,
        type: procedure._def.type,
        input: input ? z.toJSONSchema(input, { unrepresentable: "any", io: "input" }) : null,
      };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

const MARK = "<!-- generated: procedure reference; edit the router, then run `npm run docs:api` -->";

/** The generated part of docs/api.md. */
export function renderProcedureReference(): string {
  const lines = [MARK, "", "## Procedure reference (generated from the router)", ""];
  lines.push("| procedure | type |", "|---|---|");
  for (const p of listProcedures()) lines.push(`| \`${p.path}\` | ${p.type} |`);
  lines.push("");
  for (const p of listProcedures()) {
    lines.push(`### \`${p.path}\` (${p.type})`, "", "Input (JSON Schema):", "", "```json", JSON.stringify(p.input, null, 2), "```", "");
  }
  return lines.join("\n");
}

/** Replaces the generated part of a docs/api.md text (or appends it). */
export function withProcedureReference(doc: string): string {
  const at = doc.indexOf(MARK);
  const head = at >= 0 ? doc.slice(0, at) : `${doc.trimEnd()}\n\n`;
  return `${head}${renderProcedureReference()}`;
}
