import { adminProcedure } from "../../trpc.js";

/**
 * Every lesson, for the admin console: its course, how many (real) participants its course has
 * and how many of them are online now. Tester accounts are counted apart.
 */
export const listLessons = adminProcedure.query(async ({ ctx }) => {
  const { db, presence } = ctx.deps;
  const lessons = await db.lesson.findMany({
    orderBy: { id: "asc" },
    take: 1_000,
    select: {
      id: true,
      name: true,
      courseId: true,
      active: true,
      course: {
        select: {
          name: true,
          _count: { select: { participants: { where: { user: { isTester: false } } } } },
        },
      },
    },
  });
  const testerCounts = await db.participant.groupBy({
    by: ["courseId"],
    where: { courseId: { in: [...new Set(lessons.map((l) => l.courseId))] }, user: { isTester: true } },
    _count: { _all: true },
  });
  const testersOf = new Map(testerCounts.map((c) => [c.courseId, c._count._all]));
  const online = await Promise.all(lessons.map((l) => presence.online(l.id).then((ids) => ids.length, () => 0)));
  return lessons.map((lesson, i) => ({
    id: lesson.id,
    name: lesson.name,
    courseId: lesson.courseId,
    courseName: lesson.course.name,
    active: lesson.active,
    participants: lesson.course._count.participants,
    testerAccounts: testersOf.get(lesson.courseId) ?? 0,
    online: online[i] ?? 0,
  }));
});
