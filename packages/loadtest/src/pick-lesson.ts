/** What `lesson.list` tells about a lesson, as far as choosing one goes. */
export interface LessonChoice {
  id: number;
  name: string;
  courseName: string;
  active: boolean;
}

/**
 * The lesson a load test without `--lesson` targets: the most recent active one (ids only grow, so
 * the highest id), so repeated runs against the same server load the same lesson.
 */
export function pickLesson<L extends LessonChoice>(lessons: readonly L[]): L {
  let chosen: L | undefined;
  for (const lesson of lessons) if (lesson.active && (!chosen || lesson.id > chosen.id)) chosen = lesson;
  if (!chosen) throw new Error("no active lesson on this server: pass --lesson ID");
  return chosen;
}
