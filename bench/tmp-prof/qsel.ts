import { performance } from "node:perf_hooks";
import pg from "pg";
import { createDb, seedCourse } from "@cohort/db";
import { createTestDatabase } from "../../test-support/test-database.js";
import { selectThreads } from "../../packages/api/src/domain/qna/select-threads.js";

const tdb = await createTestDatabase("postgresql://postgres@127.0.0.1:5432/cohort", `qprof${Date.now()}`);
const db = await createDb({ databaseUrl: tdb.url });
try {
  const course = await seedCourse(db, { students: 50 });
  const lessonId = course.lessonId;
  const teacherId = course.teacher.participantId;
  const threads: number[] = [];
  for (const s of course.students) {
    const project = await db.project.create({ data: { lessonId, ownerId: s.participantId } });
    for (let f = 0; f < 4; f++) for (let t = 0; t < 10; t++) {
      const ref = await db.codeRef.create({ data: { projectId: project.id, path: `src/task${f}.py`, lineStart: 1 + t * 5, lineEnd: 3 + t * 5, anchor: Buffer.alloc(40, 7), excerpt: "line 1: total = total + value_1\nline 2: total" } });
      const th = await db.qnaThread.create({ data: { lessonId, codeRefId: ref.id, authorId: s.participantId, viewers: { create: [{ participantId: teacherId }, { participantId: s.participantId }] } } });
      threads.push(th.id);
    }
  }
  for (let i = 0; i < 10000; i += 2000) await db.qnaComment.createMany({ data: Array.from({ length: 2000 }, (_, k) => ({ threadId: threads[(i + k) % threads.length]!, authorId: teacherId, content: `Look at the loop bounds: \`range(n)\` stops before n. (${i + k})` })) });
  const teacherUser = course.teacher.userId;
  const run = async (label: string, f: () => Promise<unknown>) => {
    const t: number[] = [];
    for (let i = 0; i < 300; i++) { const s = performance.now(); await f(); t.push(performance.now() - s); }
    t.sort((a, b) => a - b);
    console.log(label, "p50", t[150]!.toFixed(2), "p99", t[297]!.toFixed(2));
  };
  
  
  const client = new pg.Client({ connectionString: tdb.url }); await client.connect();
  // same SQL through pg directly: capture it via Prisma's sql object
  const { Prisma, PREPARED } = await import("@cohort/db");
  let captured: { sql: string; values: unknown[] } | undefined;
  const fake = { $queryRaw: async (strings: TemplateStringsArray, ...values: unknown[]) => { const q = Prisma.sql(strings, ...values); captured = { sql: q.sql, values: q.values }; return []; } };
  await selectThreads(fake as never, { lessonId, viewerUserId: teacherUser, limit: 100 });
  const text = captured!.sql.replace(/\?/g, () => "$" + (++n)); var n = 0;
  const sqlText = captured!.sql; let k = 0; const pgText = sqlText.replace(/\$\d+|\?/g, () => `$${++k}`);
  const vals = captured!.values.filter((v) => v !== PREPARED);
  console.log(pgText.slice(0, 80), vals);
  
  
  const r = await client.query({ text: "EXPLAIN ANALYZE " + pgText, values: vals });
  console.log(r.rows.map((x: any) => x["QUERY PLAN"]).join("\n"));
  await client.end();
} finally {
  console.log('DBURL', tdb.url);
}
process.exit(0);
