import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Hotspot {
  name: string;
  where: string;
  selfMs: number;
  selfPct: number;
}

export interface ProfileSummary {
  file: string;
  /** Only samples inside these windows (ms since the profile started) were counted. */
  windows?: { fromMs: number; toMs: number }[] | undefined;
  totalMs: number;
  /** Sampled time not in (idle) or (program)/(garbage collector) buckets, ms. */
  busyMs: number;
  top: Hotspot[];
  /** Self time by package or area (node_modules package, workspace package, node internals). */
  byArea: { area: string; selfMs: number; selfPct: number }[];
}

/** Where a frame comes from: a workspace package, an npm package, node itself, or V8. */
export function areaOf(url: string): string {
  if (!url) return "(v8/native)";
  if (url.startsWith("node:")) return "node internals";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  const workspace = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (workspace) return `@cohort/${workspace[2]}`;
  return url.replace(/^file:\/\//, "");
}

/**
 * Self time per function of a V8 .cpuprofile (node --cpu-prof), heaviest first. With `windows`,
 * only samples inside them count (so start-up module loading does not drown the steady state).
 */
export function summarizeProfile(file: string, { top = 25, windows }: { top?: number; windows?: { fromMs: number; toMs: number }[] } = {}): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let atUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    atUs += delta;
    const atMs = atUs / 1000;
    if (windows && !windows.some((w) => atMs >= w.fromMs && atMs < w.toMs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const byFunction = new Map<string, Hotspot & { us: number }>();
  const byArea = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    if (frame.functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    const short = frame.url.replace(/^file:\/\//, "").replace(/^.*?\/(node_modules|packages|apps)\//, "$1/");
    const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`;
    const entry = byFunction.get(key) ?? { name: frame.functionName || "(anonymous)", where: frame.url ? `${short}:${frame.lineNumber + 1}` : "", selfMs: 0, selfPct: 0, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
    const area = frame.functionName.startsWith("(") ? frame.functionName : areaOf(frame.url);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const pct = (us: number) => Math.round((us / Math.max(1, busyUs)) * 1000) / 10;
  return {
    file,
    windows,
    totalMs: Math.round(totalUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    top: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(({ name, where, us }) => ({ name, where, selfMs: Math.round(us / 100) / 10, selfPct: pct(us) })),
    byArea: [...byArea.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([area, us]) => ({ area, selfMs: Math.round(us / 1000), selfPct: pct(us) })),
  };
}
