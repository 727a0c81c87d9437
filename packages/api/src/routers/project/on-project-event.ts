import { tracked } from "@trpc/server";
import { zWatchProjectInput } from "../../schemas/project.js";
import { userProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import { assertCanRead, loadProjectAccess } from "../../domain/project-access.js";
import { topics } from "../../domain/topics.js";
import { stampEmit } from "../../domain/trace.js";

/**
 * Events of one project: file.*, edit, cursor. Resumes from `lastEventId` on any instance. Access is
 * checked against the database (not the cache) at every (re)subscription, and a revocation in the
 * project's stream ends this viewer's watch with FORBIDDEN wherever it runs.
 */
export const onProjectEvent = userProcedure.input(zWatchProjectInput).subscription(async function* ({ input, ctx, signal }) {
  const access = await loadProjectAccess(ctx.deps.db, { ...input, userId: ctx.userId });
  assertCanRead(access);
  const topic = topics.project(input.lessonId, input.ownerId);
  for await (const item of ctx.deps.events.subscribe(topic, { lastEventId: input.lastEventId, signal })) {
    const event = item.event as { type: string; viewerId?: number; trace?: object };
    if (event.type === "access.revoked") {
      if (event.viewerId === access.viewer.id) {
        throw new AppError("PERMISSION_REVOKED", "Your read permission on this project was revoked");
      }
      continue;
    }
    yield tracked(item.id, stampEmit(event, ctx.deps.now));
  }
});
