import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveDocument } from "@cohort/sdk";
import { linearSlope } from "@cohort/loadtest";
import { closeAllClients } from "./support/test-app.js";
import { classroom, type Classroom } from "./support/classroom.js";
import { startServerProcess, type ServerProcess } from "./support/server-process.js";

/**
 * A 60-second soak: a class on two server processes, everyone typing, memory sampled from each
 * instance after a forced full GC (so the samples show what is retained, not garbage waiting to be
 * collected). Memory must not trend upwards: after a warm-up, the least-squares slopes of retained
 * heap and of RSS stay under their limits. (`npm run soak -- --minutes N` is the long version.)
 */
// The bench's preload: on SIGUSR2 the server runs gc() and prints process.memoryUsage() as JSON.
const GC_PRELOAD = path.resolve(import.meta.dirname, "../../../bench/src/servers/gc-on-signal.mjs");
const DURATION_MS = 60_000;
const WARM_UP_MS = 15_000;
// Retained heap may grow by at most 10 MB a minute (runs measured +1.4 to +2.1).
const HEAP_SLOPE_LIMIT_MB_PER_MIN = 10;
// RSS may grow by at most 40 MB a minute. It also counts memory outside the JS heap (buffers,
// native allocations) that the heap check misses, but moves more: the allocator gives pages back
// in lumps, and runs measured slopes from -27 to +9 MB/min over this window.
const RSS_SLOPE_LIMIT_MB_PER_MIN = 40;
// A sample is taken every 2 s, so the 45 s after warm-up give ~22; fewer than this means GC
// reports went missing, and a slope of what is left would prove little.
const MIN_SAMPLES = 10;

let a: ServerProcess;
let b: ServerProcess;
let room: Classroom;

beforeAll(async () => {
  const nodeArgs = ["--expose-gc", "--import", GC_PRELOAD];
  [a, b] = await Promise.all([startServerProcess({}, { nodeArgs }), startServerProcess({}, { nodeArgs })]);
  room = await classroom([a.wsUrl, b.wsUrl], { students: 30, tag: "soak" });
}, 60_000);
afterAll(async () => {
  await closeAllClients();
  await Promise.all([a?.stop(), b?.stop()]);
});

/** Retained memory: asks the server for a full GC and reads what it printed afterwards. */
async function memory(server: ServerProcess): Promise<{ heapMb: number; rssMb: number }> {
  const before = server.printed.length;
  process.kill(server.pid, "SIGUSR2");
  for (let i = 0; i < 50 && server.printed.slice(before).every((p) => !p.benchMemory); i++) await new Promise((r) => setTimeout(r, 20));
  const sample = server.printed.slice(before).find((p) => p.benchMemory)?.benchMemory as { heapUsed: number; rss: number } | undefined;
  if (!sample) return { heapMb: Number.NaN, rssMb: Number.NaN };
  return { heapMb: sample.heapUsed / 1024 / 1024, rssMb: sample.rss / 1024 / 1024 };
}

describe("soak", () => {
  it(`a class typing for ${DURATION_MS / 1000} s on 2 instances: memory stays bounded`, { timeout: DURATION_MS + 60_000 }, async () => {
    // Every student works in their own file of the teacher-visible projects; a third pair up.
    const docs: LiveDocument[] = [];
    for (const [i, s] of room.students.entries()) {
      const ref = { lessonId: room.lessonId, ownerId: s.participantId, path: "soak.txt" };
      await s.client.api.files.create.mutate({ ...ref, type: "file", content: "" });
      docs.push(await s.client.openFile(ref));
      if (i % 3 === 0) docs.push(await room.teacher.client.openFile(ref));
    }
    const samples: { t: number; server: string; heapMb: number; rssMb: number }[] = [];
    const started = Date.now();
    const sampler = setInterval(() => {
      for (const [name, server] of [["a", a], ["b", b]] as const) {
        void memory(server).then((m) => samples.push({ t: Date.now() - started, server: name, ...m }));
      }
    }, 2_000);
    let round = 0;
    while (Date.now() - started < DURATION_MS) {
      for (const doc of docs) {
        // Type a line, and delete the oldest once the file is long, so files stay bounded.
        doc.insert(doc.text.length, `line ${round}\n`);
        if (doc.text.length > 2_000) doc.delete(0, doc.text.toString().indexOf("\n") + 1);
      }
      round++;
      await new Promise((r) => setTimeout(r, 250));
    }
    clearInterval(sampler);
    await Promise.all(docs.map((d) => d.flush()));
    for (const name of ["a", "b"]) {
      // A sample whose GC report did not arrive in time is NaN: left out, but enough must remain.
      const steady = samples.filter((s) => s.server === name && s.t >= WARM_UP_MS && Number.isFinite(s.heapMb) && Number.isFinite(s.rssMb));
      expect(steady.length, `server ${name}: samples after warm-up`).toBeGreaterThan(MIN_SAMPLES);
      const heapSlope = linearSlope(steady.map((s) => [s.t / 60_000, s.heapMb]));
      const rssSlope = linearSlope(steady.map((s) => [s.t / 60_000, s.rssMb]));
      const rss = steady.map((s) => s.rssMb);
      // The figures docs/reliability.md quotes.
      console.info(
        `soak ${name}: retained heap slope ${heapSlope.toFixed(2)} MB/min, RSS slope ${rssSlope.toFixed(2)} MB/min (${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)} MB) over ${steady.length} samples, ${round} rounds`,
      );
      expect(heapSlope, `server ${name}: retained heap MB/min`).toBeLessThan(HEAP_SLOPE_LIMIT_MB_PER_MIN);
      expect(rssSlope, `server ${name}: RSS MB/min`).toBeLessThan(RSS_SLOPE_LIMIT_MB_PER_MIN);
    }
    docs.forEach((d) => d.close());
  });
});
