import { router } from "./trpc.js";
import { sessionRouter } from "./routers/session/router.js";
import { lessonRouter } from "./routers/lesson/router.js";
import { projectRouter } from "./routers/project/router.js";
import { inboxRouter } from "./routers/inbox/router.js";
import { filesRouter } from "./routers/files/router.js";
import { cursorRouter, editsRouter } from "./routers/edits/router.js";

export const appRouter = router({
  session: sessionRouter,
  lesson: lessonRouter,
  project: projectRouter,
  inbox: inboxRouter,
  files: filesRouter,
  edits: editsRouter,
  cursor: cursorRouter,
});

export type AppRouter = typeof appRouter;
