import { adminProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";
import type { Context } from "../../context.js";
import { ensureProject } from "../../domain/ensure-project.js";
import { storageCall } from "../../domain/storage-errors.js";
import { ensureTesterAccounts, grantTargetAccess } from "../../domain/loadtest/accounts.js";
import { createTestToken } from "../../domain/loadtest/token.js";
import { loadTestSettings } from "../../domain/loadtest/settings.js";
import { loadTestView } from "../../domain/loadtest/view.js";
import { zCreateLoadTestInput } from "./load-test.schema.js";

/**
 * Creates a load test: its testers (one per `clientsPerTester` virtual clients) and the tester
 * accounts its virtual clients play, reusing the course's existing ones so a rerun plays the same
 * people. With a target, the accounts get READ and WRITE on the target's project. Nothing runs
 * until loadtest.start.
 */
export const createLoadTest = adminProcedure.input(zCreateLoadTestInput).mutation(async ({ input, ctx }) => {
  const { db } = ctx.deps;
  const settings = loadTestSettings(ctx.deps.loadtest);
  if (!ctx.deps.launchers?.[input.launcher]) throw new AppError("LAUNCHER_UNAVAILABLE", `This server has no ${input.launcher} launcher configured`);
  const lesson = await db.lesson.findUnique({ where: { id: input.lessonId } });
  if (!lesson) throw new AppError("LESSON_NOT_FOUND", `Lesson ${input.lessonId} does not exist`);
  const target = input.targetParticipantId ?? null;
  if (target !== null) {
    const inCourse = await db.participant.findFirst({ where: { id: target, courseId: lesson.courseId }, select: { id: true } });
    if (!inCourse) throw new AppError("PARTICIPANT_NOT_FOUND", `Participant ${target} is not in the course of lesson ${lesson.id}`);
  }
  const accounts = await ensureTesterAccounts(db, { courseId: lesson.courseId, count: input.clients, exclude: target });
  if (target !== null) await openTargetProject(ctx, { lesson, target, participantIds: accounts.map((a) => a.participantId) });

  const testers = Array.from({ length: Math.ceil(input.clients / input.clientsPerTester) }, (_, index) => ({
    index,
    clients: Math.min(input.clientsPerTester, input.clients - index * input.clientsPerTester),
  }));
  const test = await db.loadTest.create({
    data: {
      lessonId: lesson.id,
      serverUrl: input.serverUrl,
      clients: input.clients,
      clientsPerTester: input.clientsPerTester,
      targetParticipantId: target,
      launcher: input.launcher,
      scenario: input.scenario,
      durationSec: input.durationSec,
      // Nobody knows this token: loadtest.start issues the one testers get.
      tokenHash: createTestToken().hash,
      registerTimeoutMs: settings.registerTimeoutMs,
      reportGraceMs: settings.reportGraceMs,
      testers: { createMany: { data: testers } },
      accounts: { createMany: { data: accounts.map((a, slot) => ({ slot, participantId: a.participantId })) } },
    },
    include: { testers: true },
  });
  return loadTestView(test);
});

/** The target's project exists and is loaded (as on its owner's first join), and the accounts may work in it. */
async function openTargetProject(
  ctx: Context,
  { lesson, target, participantIds }: { lesson: { id: number; templateKey: string | null }; target: number; participantIds: number[] },
) {
  const { db } = ctx.deps;
  const project = await ensureProject(db, lesson.id, target);
  const { projects } = ctx.deps;
  if (projects && !project.templateApplied) {
    await storageCall(() => projects.ensureLoaded({ lessonId: lesson.id, ownerId: target }, { templateKey: lesson.templateKey }));
    await db.project.update({ where: { id: project.id }, data: { templateApplied: true } });
  }
  await grantTargetAccess(db, { projectId: project.id, participantIds });
  await ctx.deps.access.publishChange(lesson.id);
}
