// npm start: runs Cohort with demo data on a fresh clone. Uses PostgreSQL at DATABASE_URL or an
// embedded one in .data/, Redis at REDIS_URL or a child redis-server, then starts the server.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createDb } from "@cohort/db";
import { signUserToken } from "@cohort/api";
import { createDemoData } from "./lib/demo-data.js";
import { ensureRedis } from "./lib/ensure-redis.js";
import { loadDevEnv, repoRoot } from "./lib/load-env.js";
import { runMigrations } from "./lib/migrate.js";
import { uploadDemoTemplate } from "./lib/demo-template.js";

const env = loadDevEnv();
env.PGLITE_DIR = path.resolve(repoRoot, env.PGLITE_DIR ?? ".data/pglite");
const redisDir = path.resolve(repoRoot, env.REDIS_DIR ?? ".data/redis");
const children: ChildProcess[] = [];
const stopAll = () => children.forEach((c) => c.kill("SIGTERM"));
// A handled signal no longer ends the process by itself: one that arrives while migrating or
// seeding is remembered and ends the script at the next step, instead of the server starting anyway.
let stopping = false;
const stop = () => {
  stopping = true;
  stopAll();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
function exitIfStopping() {
  if (!stopping) return;
  stopAll();
  process.exit(0);
}

const redis = await ensureRedis(env.REDIS_URL ?? "redis://127.0.0.1:6379", { dir: redisDir });
if (redis.child) {
  children.push(redis.child);
  console.log(`started redis-server for Cohort at ${redis.url} (data in ${path.relative(repoRoot, redisDir)})`);
}
env.REDIS_URL = redis.url;
exitIfStopping();
if (!env.DATABASE_URL) console.log(`no DATABASE_URL: using the embedded PostgreSQL in ${path.relative(repoRoot, env.PGLITE_DIR)}`);

runMigrations(env, { quiet: true });
exitIfStopping();
const db = await createDb({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR });
let lesson = await db.lesson.findFirst({ orderBy: { id: "asc" }, include: { course: true } });
if (!lesson) {
  const templateKey = await uploadDemoTemplate(env);
  await createDemoData(db, { students: 5, secret: env.JWT_SECRET!, templateKey, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE });
  lesson = await db.lesson.findFirst({ orderBy: { id: "asc" }, include: { course: true } });
  console.log("seeded a demo course with a teacher, 5 students and a lesson");
}
const teacherToken = await signUserToken({ secret: env.JWT_SECRET!, userId: lesson!.course.teacherId, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE });
// PGlite is single-process: release it before the server opens it.
await db.$disconnect();
exitIfStopping();

const port = env.PORT ?? "4000";
const server = spawn(process.execPath, ["--import", "tsx", "apps/server/src/main.ts"], { cwd: repoRoot, env: { ...process.env, ...env, PORT: port }, stdio: "inherit" });
children.push(server);
server.on("exit", (code) => {
  stopAll();
  process.exit(code ?? 0);
});

const consoleDir = path.join(repoRoot, "apps/console");
if (existsSync(path.join(consoleDir, "next.config.ts")) && env.START_CONSOLE !== "false") {
  const consolePort = env.CONSOLE_PORT ?? "3000";
  const nextBin = path.join(repoRoot, "node_modules/.bin/next");
  const web = spawn(nextBin, ["dev", "--port", consolePort], {
    cwd: consoleDir,
    env: { ...process.env, ...env, COHORT_SERVER_URL: `http://127.0.0.1:${port}`, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "inherit",
  });
  children.push(web);
  console.log(`console:  http://localhost:${consolePort}  (sign in with ADMIN_KEY)`);
}

console.log(`
Cohort is starting.
  API (WebSocket): ws://localhost:${port}/trpc
  API (HTTP):      http://localhost:${port}/trpc
  health:          http://localhost:${port}/healthz  ready: /readyz  metrics: /metrics
  demo lesson:     ${lesson!.id} (course ${lesson!.courseId})
  teacher token:   ${teacherToken}
  admin key:       ${env.ADMIN_KEY}
`);
