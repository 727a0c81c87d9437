// npm run demo:seed -- --students N [--json]
// Creates a demo course (teacher, N students, one lesson) and prints tokens the SDK can use.
import { parseArgs } from "node:util";
import path from "node:path";
import { createDb } from "@cohort/db";
import { createDemoData } from "./lib/demo-data.js";
import { loadDevEnv, repoRoot } from "./lib/load-env.js";
import { runMigrations } from "./lib/migrate.js";
import { uploadDemoTemplate } from "./lib/demo-template.js";

const { values } = parseArgs({
  options: { students: { type: "string", default: "5" }, json: { type: "boolean", default: false }, "skip-migrate": { type: "boolean", default: false } },
});
const students = Number(values.students);
if (!Number.isInteger(students) || students < 0 || students > 1000) {
  console.error("--students must be an integer from 0 to 1000");
  process.exit(2);
}
const env = loadDevEnv();
if (!env.JWT_SECRET) {
  console.error("JWT_SECRET is not set (and .env.example has no default)");
  process.exit(2);
}
if (!values["skip-migrate"]) runMigrations(env, { quiet: values.json });
const db = await createDb({ databaseUrl: env.DATABASE_URL, pgliteDir: path.resolve(repoRoot, env.PGLITE_DIR ?? ".data/pglite") });
const templateKey = await uploadDemoTemplate(env);
const data = await createDemoData(db, { students, secret: env.JWT_SECRET, templateKey, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE });
await db.$disconnect();
if (values.json) {
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
} else {
  console.log(`course ${data.courseId}, lesson ${data.lessonId}`);
  console.log(`teacher ${data.teacher.nickname} (participant ${data.teacher.participantId}) token:\n  ${data.teacher.token}`);
  for (const s of data.students) console.log(`student ${s.nickname} (participant ${s.participantId}) token:\n  ${s.token}`);
}
