import { zCursorMoveInput } from "../../schemas/edits.js";
import { userProcedure } from "../../trpc.js";
import { openProject } from "../../domain/open-project.js";
import { emitProjectEvent } from "../../domain/emit-project-event.js";
import { storageCall } from "../../domain/storage-errors.js";

/**
 * Moves the caller's cursor. Checked before anything is broadcast; stored as the caller's last
 * cursor; coalesced per connection and file (latest wins) before fan-out.
 */
export const moveCursor = userProcedure.input(zCursorMoveInput).mutation(async ({ input, ctx }) => {
  const receivedAt = ctx.deps.now();
  const project = await openProject(ctx, input, "read");
  const cursor = { position: input.position, ...(input.selection ? { selection: input.selection } : {}) };
  const emit = (latest: typeof input) => {
    const payload = {
      type: "cursor" as const,
      path: latest.path,
      participant: project.actor,
      position: latest.position,
      ...(latest.selection ? { selection: latest.selection } : {}),
    };
    emitProjectEvent(ctx, project, payload, { trace: latest.trace, receivedAt }).catch((error: unknown) =>
      ctx.deps.logger.warn({ err: error }, "cursor event was not delivered"),
    );
  };
  // Stored first: a cursor in a file that does not exist is refused before anyone is told of it.
  await storageCall(() => ctx.deps.files.setCursor(project.ref, project.access.viewer.id, input.path, cursor));
  ctx.deps.cursors.offer(`${ctx.connectionId}|${input.lessonId}|${input.ownerId}|${input.path}`, () => emit(input), (send) => send());
  return { ok: true as const };
});
