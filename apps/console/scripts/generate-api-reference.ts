// Writes src/generated/api-reference.json: every procedure of the router, its kind, its input as
// JSON Schema (from the zod schemas, z.toJSONSchema) and its output as the TypeScript type the
// router infers (outputs have no zod schema; the type checker is the source of truth for them).
//
// It runs on the build machine, where importing the server router is fine: the console itself
// only ever imports the router's type. `--check` fails when the committed file is out of date.
//
//   npm run api-reference -w @cohort/console [-- --check]
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { z } from "zod";

const consoleDir = path.resolve(import.meta.dirname, "..");
const outFile = path.join(consoleDir, "src/generated/api-reference.json");

interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  inputs: unknown[];
  meta?: { description?: string } | undefined;
}

export interface ApiReference {
  procedures: {
    path: string;
    namespace: string;
    type: ProcedureDef["type"];
    description: string | null;
    input: unknown;
    /** For a subscription: the type of each event it yields (unwrapped from tracked()). */
    output: string | null;
  }[];
  /** Named types the outputs refer to, expanded. */
  types: Record<string, string>;
}

async function loadRouter(): Promise<Record<string, { _def: ProcedureDef }>> {
  try {
    const { appRouter } = await import("@cohort/api");
    return (appRouter as unknown as { _def: { procedures: Record<string, { _def: ProcedureDef }> } })._def.procedures;
  } catch (error) {
    throw new Error(
      `could not import the router (@cohort/api). Is the Prisma client generated (npm run db:generate)?\n  ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function inputSchema(def: ProcedureDef): unknown {
  const schemas = def.inputs.filter((s): s is z.ZodType => s instanceof z.ZodType);
  if (schemas.length === 0) return null;
  const merged = schemas.reduce((a, b) => z.intersection(a, b));
  return z.toJSONSchema(merged, { io: "input", unrepresentable: "any", target: "draft-2020-12" });
}

/** The inferred output type of every procedure, printed by the TypeScript checker. */
function outputTypes(paths: readonly string[]): { outputs: Map<string, string>; types: Record<string, string> } {
  const probeFile = path.join(consoleDir, "scripts/__api-reference-probe.ts");
  const probeSource = [
    'import type { AppRouter } from "@cohort/api";',
    'import type { inferRouterOutputs } from "@trpc/server";',
    "export type Outputs = inferRouterOutputs<AppRouter>;",
  ].join("\n");
  const configPath = path.join(consoleDir, "tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error("cannot read tsconfig.json");
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => (path.resolve(file) === probeFile ? probeSource : readFile(file));
  host.fileExists = (file) => path.resolve(file) === probeFile || fileExists(file);
  host.getSourceFile = (file, languageVersion, onError, shouldCreate) =>
    path.resolve(file) === probeFile
      ? ts.createSourceFile(file, probeSource, languageVersion, true)
      : getSourceFile(file, languageVersion, onError, shouldCreate);
  const program = ts.createProgram({ rootNames: [probeFile], options: { ...config.options, noEmit: true }, host });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(probeFile);
  const alias = source?.statements.find(ts.isTypeAliasDeclaration);
  if (!source || !alias) throw new Error("probe file did not compile");
  const outputs = checker.getTypeAtLocation(alias.name);
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType | ts.TypeFormatFlags.WriteArrayAsGenericType;
  const named: Record<string, string> = {};
  // Types declared elsewhere print as import("/abs/path").Name: keep the name, expand it once below.
  const print = (type: ts.Type): string =>
    checker.typeToString(type, alias, flags).replace(/import\("[^"]+"\)\.([A-Za-z_$][\w$]*)/g, (_, name: string) => {
      if (!(name in named)) {
        named[name] = "";
        const symbol = type.aliasSymbol?.name === name ? type.aliasSymbol : findNamed(type, name);
        if (symbol) named[name] = checker.typeToString(checker.getDeclaredTypeOfSymbol(symbol), undefined, flags | ts.TypeFormatFlags.InTypeAlias);
      }
      return name;
    });
  const findNamed = (root: ts.Type, name: string): ts.Symbol | undefined => {
    const seen = new Set<ts.Type>();
    const visit = (type: ts.Type, depth: number): ts.Symbol | undefined => {
      if (depth > 8 || seen.has(type)) return undefined;
      seen.add(type);
      if (type.aliasSymbol?.name === name) return type.aliasSymbol;
      if (type.symbol?.name === name) return type.symbol;
      const children = [
        ...(type.isUnionOrIntersection() ? type.types : []),
        ...checker.getPropertiesOfType(type).map((p) => checker.getTypeOfSymbolAtLocation(p, alias)),
        ...(checker.isArrayType(type) ? checker.getTypeArguments(type as ts.TypeReference) : []),
      ];
      for (const child of children) {
        const found = visit(child, depth + 1);
        if (found) return found;
      }
      return undefined;
    };
    return visit(root, 0);
  };
  const result = new Map<string, string>();
  for (const procedurePath of paths) {
    let type: ts.Type | undefined = outputs;
    for (const segment of procedurePath.split(".")) {
      const property: ts.Symbol | undefined = type?.getProperty(segment);
      type = property ? checker.getTypeOfSymbolAtLocation(property, alias) : undefined;
    }
    if (!type) continue;
    // Subscriptions infer as AsyncIterable<event>: show the events, with tracked() envelopes
    // ({ id, data }) written as what they carry.
    if (type.symbol?.name === "AsyncIterable") {
      const [yielded] = checker.getTypeArguments(type as ts.TypeReference);
      if (!yielded) continue;
      const members = yielded.isUnion() ? yielded.types : [yielded];
      const shown = members.map((member) => {
        const data = member.getProperty("data");
        const isTracked = data && member.getProperty("id") && checker.getPropertiesOfType(member).length === 2;
        return isTracked ? `tracked(${print(checker.getTypeOfSymbolAtLocation(data, alias))})` : print(member);
      });
      result.set(procedurePath, shown.join(" | "));
      continue;
    }
    result.set(procedurePath, print(type));
  }
  for (const [name, text] of Object.entries(named)) if (!text) delete named[name];
  return { outputs: result, types: Object.fromEntries(Object.entries(named).sort(([a], [b]) => a.localeCompare(b))) };
}

const procedures = await loadRouter();
const paths = Object.keys(procedures).sort();
const { outputs, types } = outputTypes(paths);
const reference: ApiReference = {
  procedures: paths.map((procedurePath) => {
    const def = (procedures[procedurePath] as { _def: ProcedureDef })._def;
    return {
      path: procedurePath,
      namespace: procedurePath.split(".")[0] as string,
      type: def.type,
      description: def.meta?.description ?? null,
      input: inputSchema(def),
      output: outputs.get(procedurePath) ?? null,
    };
  }),
  types,
};
const text = `${JSON.stringify(reference, null, 2)}\n`;

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(outFile, "utf8");
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(`${path.relative(process.cwd(), outFile)} is out of date: run npm run api-reference -w @cohort/console`);
    process.exit(1);
  }
  console.log(`api reference is up to date (${reference.procedures.length} procedures)`);
} else {
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, text);
  console.log(`wrote ${path.relative(process.cwd(), outFile)} (${reference.procedures.length} procedures)`);
}
