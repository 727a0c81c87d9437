import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "../..");

function parseEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const raw of readFileSync(file, "utf8").split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
  }
  return out;
}

/**
 * Environment for the developer scripts: the real environment wins, then `.env`, then the
 * defaults in `.env.example` (so a fresh clone runs with no setup). Empty values count as unset.
 */
export function loadDevEnv(): Record<string, string> {
  const merged: Record<string, string> = {
    ...parseEnvFile(path.join(repoRoot, ".env.example")),
    ...parseEnvFile(path.join(repoRoot, ".env")),
  };
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) merged[key] = value;
  for (const [key, value] of Object.entries(merged)) if (value === "") delete merged[key];
  return merged;
}
