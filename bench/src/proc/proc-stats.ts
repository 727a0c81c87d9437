import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

function getconf(name: string, fallback: number): number {
  try {
    return Number(execFileSync("getconf", [name], { encoding: "utf8" }).trim()) || fallback;
  } catch {
    return fallback;
  }
}

const CLOCK_TICKS = getconf("CLK_TCK", 100);
const PAGE_SIZE = getconf("PAGESIZE", 4096);

export interface ProcSample {
  /** User + system CPU of the process so far, seconds. */
  cpuSeconds: number;
  rssBytes: number;
  /** performance.now() of the sample, ms. */
  at: number;
}

/** Reads /proc/<pid>/stat (no dependency, no signal to the process); undefined once it is gone. */
export function sampleProcess(pid: number): ProcSample | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssPages = Number(fields[21]);
  return { cpuSeconds: (utime + stime) / CLOCK_TICKS, rssBytes: rssPages * PAGE_SIZE, at: performance.now() };
}

export interface ProcWindow {
  /** Average CPU over the window, % of one core. */
  cpuPct: number;
  rssStartBytes: number;
  rssEndBytes: number;
  rssPeakBytes: number;
}

/**
 * Follows a process from now until `stop()`: CPU over the window (from the kernel's tick counts,
 * 10 ms resolution, so windows shorter than a few seconds are coarse) and RSS sampled every interval.
 */
export function watchProcess(pid: number, intervalMs = 500): { stop(): ProcWindow } {
  const first = sampleProcess(pid);
  let peak = first?.rssBytes ?? 0;
  const timer = setInterval(() => {
    const sample = sampleProcess(pid);
    if (sample) peak = Math.max(peak, sample.rssBytes);
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const last = sampleProcess(pid);
      if (!first || !last) return { cpuPct: 0, rssStartBytes: 0, rssEndBytes: 0, rssPeakBytes: peak };
      peak = Math.max(peak, last.rssBytes);
      const wallSeconds = (last.at - first.at) / 1000;
      return {
        cpuPct: wallSeconds > 0 ? ((last.cpuSeconds - first.cpuSeconds) / wallSeconds) * 100 : 0,
        rssStartBytes: first.rssBytes,
        rssEndBytes: last.rssBytes,
        rssPeakBytes: peak,
      };
    },
  };
}

interface CpuTotals {
  busy: number;
  total: number;
}

function readCpuTotals(): CpuTotals | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = ticks;
    return { busy: user + nice + system + irq + softirq + steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
  } catch {
    return undefined;
  }
}

/**
 * CPU of the whole machine from now until `stop()`, in % of one core (2 cores busy = 200). The
 * bench shares the machine; what others used shows whether a run was disturbed.
 */
export function watchMachine(cores: number): { stop(): number } {
  const first = readCpuTotals();
  return {
    stop() {
      const last = readCpuTotals();
      if (!first || !last || last.total <= first.total) return 0;
      return ((last.busy - first.busy) / (last.total - first.total)) * cores * 100;
    },
  };
}
