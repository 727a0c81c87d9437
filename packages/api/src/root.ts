import { router } from "./trpc.js";
import { sessionRouter } from "./routers/session/router.js";
import { lessonRouter } from "./routers/lesson/router.js";
import { projectRouter } from "./routers/project/router.js";
import { inboxRouter } from "./routers/inbox/router.js";
import { filesRouter } from "./routers/files/router.js";
import { cursorRouter, editsRouter } from "./routers/edits/router.js";
import { monitorRouter } from "./routers/monitor/router.js";
import { loadtestRouter } from "./routers/loadtest/router.js";
import { testerRouter } from "./routers/tester/router.js";
import { qnaRouter } from "./routers/qna/router.js";

export const appRouter = router({
  session: sessionRouter,
  lesson: lessonRouter,
  project: projectRouter,
  inbox: inboxRouter,
  files: filesRouter,
  edits: editsRouter,
  cursor: cursorRouter,
  monitor: monitorRouter,
  loadtest: loadtestRouter,
  tester: testerRouter,
  qna: qnaRouter,
});

export type AppRouter = typeof appRouter;
