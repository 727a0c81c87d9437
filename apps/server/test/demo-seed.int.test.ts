import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "@cohort/test-support";
import { closeAllClients, connectUser, sharedBlobDir, startTestApp, TEST_ADMIN_KEY, TEST_JWT_SECRET, type StartedApp } from "./support/test-app.js";
import { createCohortClient } from "@cohort/sdk";
import WebSocket from "ws";

let server: StartedApp;
beforeAll(async () => {
  server = await startTestApp();
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

describe("npm run demo:seed", () => {
  it("prints JSON with tokens that the SDK can use to join the lesson", async () => {
    const root = path.resolve(import.meta.dirname, "../../..");
    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/demo-seed.ts", "--students", "3", "--json", "--skip-migrate"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: testEnv().databaseUrl, JWT_SECRET: TEST_JWT_SECRET, ADMIN_KEY: TEST_ADMIN_KEY, BLOB_DIR: sharedBlobDir() },
      encoding: "utf8",
    });
    const data = JSON.parse(out) as {
      courseId: number;
      lessonId: number;
      teacher: { userId: number; participantId: number; token: string };
      students: { userId: number; participantId: number; token: string }[];
    };
    expect(data.students).toHaveLength(3);
    const student = data.students[0]!;
    const client = createCohortClient({ url: server.wsUrl, token: student.token, WebSocket });
    try {
      const joined = await client.api.lesson.join.mutate({ lessonId: data.lessonId });
      expect(joined.participant.id).toBe(student.participantId);
      // The demo lesson's template became the student's project: nested folders, UTF-8 names,
      // a binary file and an empty directory.
      const { entries } = await client.api.files.list.query({ lessonId: data.lessonId, ownerId: student.participantId });
      expect(entries.map((e) => e.path)).toEqual(
        expect.arrayContaining(["src/main.py", "src/utils/helpers.py", "données/élèves.csv", "assets/pixel.png", "homework"]),
      );
      const png = await client.api.files.read.query({ lessonId: data.lessonId, ownerId: student.participantId, path: "assets/pixel.png" });
      expect(png.encoding).toBe("base64");
      expect(Buffer.from(png.content, "base64").subarray(1, 4).toString()).toBe("PNG");
      const teacher = await connectUser(server.wsUrl, data.teacher.userId);
      const list = await teacher.api.lesson.participants.query({ lessonId: data.lessonId });
      expect(list).toHaveLength(4);
    } finally {
      await client.close();
    }
  });
});
