import { zLessonInput } from "../../schemas/ids.js";
import { publicProcedure } from "../../trpc.js";
import { requireLessonAccess } from "../../domain/membership.js";

export const listParticipants = publicProcedure.input(zLessonInput).query(async ({ input, ctx }) => {
  const { db, presence } = ctx.deps;
  const { lesson } = await requireLessonAccess(db, input.lessonId, ctx.principal);
  const [participants, online] = await Promise.all([
    db.participant.findMany({
      where: { courseId: lesson.courseId },
      orderBy: { id: "asc" },
      select: {
        id: true,
        nickname: true,
        role: true,
        projects: { where: { lessonId: lesson.id }, select: { id: true, createdAt: true } },
      },
    }),
    presence.online(lesson.id),
  ]);
  const onlineSet = new Set(online);
  return participants.map((p) => {
    const project = p.projects[0];
    return {
      id: p.id,
      nickname: p.nickname,
      role: p.role,
      online: onlineSet.has(p.id),
      project: project ? { id: project.id, createdAt: project.createdAt.toISOString() } : null,
    };
  });
});
