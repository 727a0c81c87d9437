import type { Context } from "../context.js";
import type { EventAnnouncement } from "../ports.js";
import type { ProjectEvent } from "../schemas/events.js";
import type { OpenProject } from "./open-project.js";
import { topics } from "./topics.js";
import { stampReceive } from "./trace.js";

type Payload = DistributiveOmit<Exclude<ProjectEvent, { type: "reset" }>, "actor" | "at" | "trace">;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Stamps = { trace: { id: string; t1: number; t0?: number | undefined } | undefined; receivedAt: number };
type Project = Pick<OpenProject, "ref" | "actor">;

/** Appends an event to the project's log (every watcher, on every instance, gets it). */
export async function emitProjectEvent(ctx: Context, project: Project, payload: Payload, stamps: Stamps): Promise<string> {
  const event = eventOf(ctx, project, payload, stamps);
  const id = await ctx.deps.events.append(topics.project(project.ref.lessonId, project.ref.ownerId), event);
  recordEmitted(ctx, project, payload, event);
  return id;
}

/**
 * An edit's event for the document store to append in the commit's own atomic step, where its
 * version is decided: `announce` goes to `docs.push` / `docs.replace`, `emitted` is called once the
 * commit succeeded (for the live monitor).
 */
export function editAnnouncement(ctx: Context, project: Project, edit: { path: string; update: string }, stamps: Stamps) {
  const payload = { type: "edit" as const, ...edit };
  const event = eventOf(ctx, project, payload, stamps);
  // `{"version":` + N + `,` + the rest of the event's object.
  const announce: EventAnnouncement = {
    target: ctx.deps.events.appendTarget(topics.project(project.ref.lessonId, project.ref.ownerId)),
    event: ['{"version":', `,${JSON.stringify(event).slice(1)}`],
  };
  return { announce, emitted: () => recordEmitted(ctx, project, payload, event) };
}

/**
 * An event for a storage script to append in the same atomic step as its own change (a cursor
 * stored and announced at once): `announce` goes to the script, `emitted` is called once it ran.
 */
export function eventAnnouncement(ctx: Context, project: Project, payload: Payload, stamps: Stamps) {
  const event = eventOf(ctx, project, payload, stamps);
  const announce = {
    target: ctx.deps.events.appendTarget(topics.project(project.ref.lessonId, project.ref.ownerId)),
    event: JSON.stringify(event),
  };
  return { announce, emitted: () => recordEmitted(ctx, project, payload, event) };
}

function eventOf(ctx: Context, project: Project, payload: object, { trace, receivedAt }: Stamps) {
  return { ...payload, actor: project.actor, at: ctx.deps.now(), ...(trace ? { trace: stampReceive(trace, receivedAt) } : {}) };
}

function recordEmitted(ctx: Context, project: Project, payload: { type: string; update?: string }, event: { trace?: object | undefined }): void {
  // Size of the payload that matters on the wire: an edit's (base64) update; other events are small.
  const size = payload.update?.length ?? 0;
  ctx.deps.monitor?.record(project.ref.lessonId, { event: payload.type, from: project.actor.id, to: project.ref.ownerId, trace: event.trace, size });
}
