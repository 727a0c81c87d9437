import { execFileSync } from "node:child_process";
import os from "node:os";
import { repoRoot } from "../env.js";

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  commit: string;
}

export function machineInfo(): MachineInfo {
  let commit = "unknown";
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: repoRoot, encoding: "utf8" }).trim().length > 0;
    commit = dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    // not a git checkout
  }
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    commit,
  };
}
