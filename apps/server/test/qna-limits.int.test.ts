import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse, type SeededCourse } from "@cohort/db";
import type { CohortClient } from "@cohort/sdk";
import { closeAllClients, connectUser, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { numberedLines, projectWithFiles, rejection } from "./support/qna-fixture.js";

let server: StartedApp;
let course: SeededCourse;
let owner: CohortClient;
let teacher: CohortClient;
let ownerId: number;

beforeAll(async () => {
  server = await startTestApp({ QNA_MAX_THREADS_PER_FILE: "3", QNA_MAX_COMMENTS_PER_THREAD: "4" });
  course = await seedCourse(await testDb(), { students: 1, tag: "qna-limits" });
  owner = await connectUser(server.wsUrl, course.students[0]!.userId);
  teacher = await connectUser(server.wsUrl, course.teacher.userId);
  ownerId = await projectWithFiles(owner, course.lessonId, { "a.py": numberedLines(10), "b.py": numberedLines(10) });
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

const create = (client: CohortClient, path: string, line = 1) =>
  client.api.qna.create.mutate({ lessonId: course.lessonId, ref: { ownerId, path, lines: { start: line, end: line } }, content: `on ${line}` });

describe("Q&A limits (QNA_MAX_THREADS_PER_FILE, QNA_MAX_COMMENTS_PER_THREAD)", () => {
  it("holds at most N threads per file, even when created at once", async () => {
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => create(i % 2 ? owner : teacher, "a.py", i + 1)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const refused = await rejection(create(owner, "a.py"));
    expect(refused).toMatchObject({ code: "PAYLOAD_TOO_LARGE", appCode: "TOO_MANY_THREADS" });
    // Per file: another file still has room.
    await expect(create(owner, "b.py")).resolves.toMatchObject({ ref: { path: "b.py" } });
  });

  it("does not count outdated threads", async () => {
    await owner.api.files.create.mutate({ lessonId: course.lessonId, ownerId, path: "c.py", type: "file", content: numberedLines(5) });
    for (let i = 1; i <= 3; i++) await create(owner, "c.py", i);
    await owner.api.files.delete.mutate({ lessonId: course.lessonId, ownerId, path: "c.py" });
    await owner.api.files.create.mutate({ lessonId: course.lessonId, ownerId, path: "c.py", type: "file", content: numberedLines(5) });
    await expect(create(owner, "c.py")).resolves.toMatchObject({ ref: { outdated: false } });
  });

  it("holds at most N comments per thread (the first one included), even when written at once", async () => {
    const thread = await create(owner, "b.py", 3);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => owner.api.qna.comment.mutate({ lessonId: course.lessonId, threadId: thread.id, content: `c${i}` })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const refused = await rejection(owner.api.qna.comment.mutate({ lessonId: course.lessonId, threadId: thread.id, content: "one more" }));
    expect(refused).toMatchObject({ code: "PAYLOAD_TOO_LARGE", appCode: "TOO_MANY_COMMENTS" });
    const [listed] = await owner.api.qna.list.query({ lessonId: course.lessonId, ownerId, path: "b.py" }).then((l) => l.filter((t) => t.id === thread.id));
    expect(listed!.comments).toHaveLength(4);
  });
});
