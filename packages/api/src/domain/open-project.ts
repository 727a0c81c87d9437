import { AppError } from "../errors.js";
import type { Context } from "../context.js";
import type { ProjectRef } from "../ports.js";
import { assertCanRead, assertCanWrite, type ProjectAccess } from "./project-access.js";
import { projectTag } from "./topics.js";
import type { Actor } from "../schemas/events.js";

export interface OpenProject {
  access: ProjectAccess;
  ref: ProjectRef;
  tag: string;
  actor: Actor;
}

/**
 * The shared first step of every file, edit and cursor procedure: who is calling, may they do
 * this (checked before anything is touched), and which project it is.
 */
export async function openProject(
  ctx: Context & { userId: number },
  input: { lessonId: number; ownerId: number },
  need: "read" | "write",
): Promise<OpenProject> {
  const access = await ctx.deps.access.get({ lessonId: input.lessonId, ownerId: input.ownerId, userId: ctx.userId });
  if (need === "write") assertCanWrite(access);
  else assertCanRead(access);
  if (access.projectId === null) {
    throw new AppError("PROJECT_NOT_FOUND", `Participant ${input.ownerId} has no project in lesson ${input.lessonId} yet`);
  }
  return {
    access,
    ref: { lessonId: input.lessonId, ownerId: input.ownerId },
    tag: projectTag(input.lessonId, input.ownerId),
    actor: { id: access.viewer.id, nickname: access.viewer.nickname },
  };
}
