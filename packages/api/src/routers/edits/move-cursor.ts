import { zCursorMoveInput } from "../../schemas/edits.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";
import { emitProjectEvent, eventAnnouncement } from "../../domain/emit-project-event.js";
import { storageCall } from "../../domain/storage-errors.js";

/**
 * Moves the caller's cursor. Checked before anything is broadcast; stored as the caller's last
 * cursor; coalesced per connection and file (latest wins) before fan-out. A move that is due is
 * stored and announced by one script (a cursor on a missing file is neither); one inside the
 * interval is stored now and announced when the interval ends, if no later move replaced it.
 */
export const moveCursor = userProcedure.input(zCursorMoveInput).mutation(async ({ input, ctx }) => {
  const receivedAt = ctx.deps.now();
  const project = await openProject(ctx, input, "read");
  const cursor = { position: input.position, ...(input.selection ? { selection: input.selection } : {}) };
  const payload = { type: "cursor" as const, path: input.path, participant: project.actor, ...cursor };
  const stamps = { trace: input.trace, receivedAt };
  const { files } = ctx.deps;
  const viewerId = project.access.viewer.id;
  const key = `${ctx.connectionId}|${input.lessonId}|${input.ownerId}|${input.path}`;
  if (ctx.deps.cursors.takeTurn(key)) {
    const event = eventAnnouncement(ctx, project, payload, stamps);
    await storageCall(() => files.setCursorAndAnnounce(project.ref, viewerId, input.path, { cursor, announce: event.announce }));
    event.emitted();
    return { ok: true as const };
  }
  // Stored first: a cursor in a file that does not exist is refused before anyone is told of it.
  await storageCall(() => files.setCursor(project.ref, viewerId, input.path, cursor));
  const emit = () =>
    emitProjectEvent(ctx, project, payload, stamps).catch((error: unknown) =>
      ctx.deps.logger.warn({ err: error }, "cursor event was not delivered"),
    );
  ctx.deps.cursors.offer(key, emit, (send) => void send());
  return { ok: true as const };
});
