// Type-checks the console: every file of this app, plus the route validators `next typegen`
// writes to .next/types.
//
// Why not plain `tsc --noEmit`: the console imports the router as a type from source
// (`import type { AppRouter } from "@cohort/api"`), so its program also contains the server
// packages' source files, checked here under the console's ambient types (DOM, and Next's
// NodeJS.ProcessEnv that requires NODE_ENV). Errors *inside* those files are theirs, and each
// package type-checks itself under its own config; reporting them here would let any server
// change that is fine in Node break the console build. Types still flow in full: only
// diagnostics located in other workspaces are left out, and they are counted so none go unseen.
import path from "node:path";
import ts from "typescript";

const consoleDir = path.resolve(import.meta.dirname, "..");
const configPath = path.join(consoleDir, "tsconfig.json");
const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => report([d], 1) });
if (!config) process.exit(1);
const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, noEmit: true, incremental: false } });
const all = ts.getPreEmitDiagnostics(program);
const inside = (file: string) => !path.relative(consoleDir, file).startsWith("..") && !file.includes("/node_modules/");
const own = all.filter((d) => !d.file || inside(d.file.fileName));
const elsewhere = all.length - own.length;
if (elsewhere > 0) {
  const files = [...new Set(all.filter((d) => d.file && !inside(d.file.fileName)).map((d) => path.relative(consoleDir, d.file!.fileName)))];
  console.warn(`note: ${elsewhere} diagnostic(s) in other workspaces left to their own typecheck (${files.join(", ")})`);
}
report(own, own.length > 0 ? 1 : 0);

function report(diagnostics: readonly ts.Diagnostic[], exitCode: number): never {
  if (diagnostics.length > 0) {
    console.error(
      ts.formatDiagnosticsWithColorAndContext(diagnostics, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => consoleDir,
        getNewLine: () => "\n",
      }),
    );
  } else {
    console.log(`console typecheck: ${program.getSourceFiles().filter((f) => inside(f.fileName)).length} files, no errors`);
  }
  process.exit(exitCode);
}
