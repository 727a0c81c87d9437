import { zLessonInput } from "../../schemas/ids.js";
import { userProcedure } from "../../trpc.js";
import { loadJoinState } from "../../domain/load-join-state.js";
import { createProject } from "../../domain/ensure-project.js";
import { ownProjectAccess } from "../../domain/project-access.js";
import { storageCall } from "../../domain/storage-errors.js";

/** Joins a lesson: checks membership, creates the caller's project once, seeds it from the template. */
export const joinLesson = userProcedure.input(zLessonInput).mutation(async ({ input, ctx }) => {
  const { db } = ctx.deps;
  const state = await loadJoinState(db, input.lessonId, ctx.userId);
  const { lesson, participant } = state;
  const { projects } = ctx.deps;
  const applies = projects !== undefined && state.project?.templateApplied !== true;
  // The project store applies the template under its own lock, exactly once across instances. It
  // needs no database row, so a first join applies it first and then creates the row already
  // marked, in one write; a join that fails here leaves no row, and the next one tries again.
  if (applies) await storageCall(() => projects.ensureLoaded({ lessonId: lesson.id, ownerId: participant.id }, { templateKey: lesson.templateKey }));
  const project =
    state.project === null
      ? await createProject(db, lesson.id, participant.id, { templateApplied: applies })
      : applies
        ? await db.project.update({ where: { id: state.project.id }, data: { templateApplied: true } })
        : state.project;
  // The IDE reads its project right after joining: spare that read the same three queries.
  ctx.deps.access.prime({ lessonId: lesson.id, ownerId: participant.id, userId: ctx.userId }, ownProjectAccess(state, project.id));
  return {
    participant: { id: participant.id, nickname: participant.nickname, role: participant.role },
    lesson: { id: lesson.id, courseId: lesson.courseId, name: lesson.name, description: lesson.description, active: lesson.active },
    project: { id: project.id, createdAt: project.createdAt.toISOString() },
  };
});
