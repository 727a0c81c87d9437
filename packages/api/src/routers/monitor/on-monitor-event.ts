import { z } from "zod";
import { adminProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { zId } from "../../schemas/ids.js";
import { topics } from "../../domain/topics.js";
import { subscribeReady } from "../../domain/loadtest/subscribe-ready.js";
import { withHeartbeats } from "../../domain/monitor/with-heartbeats.js";
import type { MonitorSamplingNotice, MonitorTrace } from "../../ports.js";

export const zMonitorWatchInput = z
  .object({
    lessonId: zId,
    /** Share of the lesson's events to trace, in (0, 1]; each instance also caps traces per second. */
    sampleRate: z.number().gt(0).max(1).default(1),
  })
  .strict();

/** Instance heartbeats are sent this often. */
const HEARTBEAT_EVERY_MS = 2_000;

/**
 * A lesson's live traffic: traces `{ type: "trace", id, event, from, to, instance, t1, t2, t3, size }`
 * (sampled, and capped per instance and second; `{ type: "sampling", dropped }` says how many were
 * left out), and `{ type: "instance", … }` heartbeats of every live server instance. While this
 * subscription lives the lesson counts as watched and instances trace it; otherwise tracing
 * costs nothing. Live only: events are not `tracked`, and a resubscription starts from now.
 */
export const onMonitorEvent = adminProcedure.input(zMonitorWatchInput).subscription(async function* ({ input, ctx, signal }) {
  const { monitor, db, events } = ctx.deps;
  if (!monitor) throw new AppError("UNAVAILABLE", "Monitoring is not set up on this server");
  const lesson = await db.lesson.findUnique({ where: { id: input.lessonId }, select: { id: true } });
  if (!lesson) throw new AppError("LESSON_NOT_FOUND", `Lesson ${input.lessonId} does not exist`);
  const controller = new AbortController();
  const stop = () => controller.abort();
  signal?.addEventListener("abort", stop, { once: true });
  try {
    const traces = await subscribeReady(events, topics.monitor(lesson.id), { signal: controller.signal });
    await monitor.watch(lesson.id, { sampleRate: input.sampleRate, signal: controller.signal });
    const instances = async () => (await monitor.instances()).map((instance) => ({ type: "instance" as const, ...instance }));
    for await (const next of withHeartbeats(traces, instances, { everyMs: HEARTBEAT_EVERY_MS, signal: controller.signal })) {
      if ("beat" in next) yield next.beat;
      else yield next.item.event as MonitorTrace | MonitorSamplingNotice;
    }
  } finally {
    // Whatever ended the generator (client gone, error), the watch registration ends with it.
    signal?.removeEventListener("abort", stop);
    stop();
  }
});
