import type { Context } from "../context.js";
import type { ProjectEvent } from "../schemas/events.js";
import type { OpenProject } from "./open-project.js";
import { topics } from "./topics.js";
import { stampReceive } from "./trace.js";

type Payload = DistributiveOmit<Exclude<ProjectEvent, { type: "reset" }>, "actor" | "at" | "trace">;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Appends an event to the project's log (every watcher, on every instance, gets it). */
export async function emitProjectEvent(
  ctx: Context,
  project: Pick<OpenProject, "ref" | "actor">,
  payload: Payload,
  { trace, receivedAt }: { trace: { id: string; t1: number; t0?: number | undefined } | undefined; receivedAt: number },
): Promise<string> {
  const event = { ...payload, actor: project.actor, at: ctx.deps.now(), ...(trace ? { trace: stampReceive(trace, receivedAt) } : {}) };
  const id = await ctx.deps.events.append(topics.project(project.ref.lessonId, project.ref.ownerId), event);
  // Size of the payload that matters on the wire: an edit's (base64) update; other events are small.
  const size = "update" in payload ? payload.update.length : 0;
  ctx.deps.monitor?.record(project.ref.lessonId, { event: payload.type, from: project.actor.id, to: project.ref.ownerId, trace: event.trace, size });
  return id;
}
