import WebSocket from "ws";
import { createCohortClient, type CohortClient, type LiveDocument, type ProjectEvent } from "@cohort/sdk";
import { decodeTraceId, encodeTraceId } from "../marker.js";
import { traceStages } from "../stages.js";
import type { BenchClientFactory } from "./bench-client.js";

/** A Cohort room is a project: `<lessonId>:<ownerId>`. */
export function parseCohortRoom(room: string): { lessonId: number; ownerId: number } {
  const [lessonId, ownerId] = room.split(":").map(Number);
  if (!lessonId || !ownerId) throw new TypeError(`not a Cohort room: ${room}`);
  return { lessonId, ownerId };
}

/**
 * A Cohort client through the SDK, as an IDE would use it: receives with `project.watch`, edits
 * through a live document (insert → merged `edits.push`), moves its cursor with `cursor.move`.
 * The marker travels as the trace every mutation accepts; when the live document merges queued
 * updates into one push, the trace names the whole range of edits it carries.
 */
export const createCohortBenchClient: BenchClientFactory = (ctx) => {
  let client: CohortClient | undefined;
  let live: LiveDocument | undefined;
  const releases: (() => void)[] = [];
  const queued: { kseq: number; intendedAt: number }[] = [];
  const sender = ctx.client.index;

  const connectClient = () => {
    if (!ctx.client.token) throw new TypeError(`client ${sender} has no token`);
    client = createCohortClient({ url: ctx.client.url ?? ctx.spec.url, token: ctx.client.token, WebSocket, retryDelayMs: () => 1_000 });
    return client;
  };

  // Called by the live document as it sends a push: names every edit queued since the last push.
  const takeTrace = () => {
    const first = queued[0];
    const last = queued.at(-1);
    if (!first || !last) return undefined;
    queued.length = 0;
    return { id: encodeTraceId({ sender, kind: "edit", from: first.kseq, to: last.kseq }), t1: Date.now(), t0: first.intendedAt };
  };

  const onEvent = (event: ProjectEvent) => {
    const at = ctx.now();
    if (event.type === "reset") return ctx.reset();
    if ((event.type === "edit" || event.type === "cursor") && event.trace) {
      const marker = decodeTraceId(event.trace.id, event.trace.t0 ?? event.trace.t1);
      if (marker) ctx.deliver(marker, at, traceStages(event.trace, at));
      else ctx.unattributed();
    }
  };

  return {
    async connect() {
      const connected = connectClient();
      for (const room of new Set(ctx.client.watch)) {
        const { stream, release } = connected.watchProject(parseCohortRoom(room));
        releases.push(release);
        stream.listen({ onEvent });
        await stream.ready;
      }
      const target = ctx.client.send;
      if (target) {
        live = await connected.openFile({ ...parseCohortRoom(target.room), path: target.file, trace: takeTrace });
        live.on("error", (error) => ctx.sendFailed(error));
      }
    },
    send(kind, kseq, intendedAt) {
      const target = ctx.client.send;
      if (!client || !live || !target) return ctx.sendFailed(new Error("not connected"));
      if (kind === "edit") {
        queued.push({ kseq, intendedAt });
        live.insert(live.text.length, `e${kseq} `);
        return;
      }
      client.api.cursor.move
        .mutate({
          ...parseCohortRoom(target.room),
          path: target.file,
          position: { line: kseq % 40, column: kseq % 80 },
          trace: { id: encodeTraceId({ sender, kind, from: kseq, to: kseq }), t1: Date.now(), t0: intendedAt },
        })
        .catch((error: unknown) => ctx.sendFailed(error));
    },
    async joinAndSync() {
      const connected = connectClient();
      const lessonId = ctx.spec.join?.lessonId;
      if (!lessonId) throw new TypeError("join mode needs a lesson");
      const joined = await connected.api.lesson.join.mutate({ lessonId });
      // The whole project in one call (files.readMany), as an IDE opening it would.
      const files = await connected.readProject({ lessonId, ownerId: joined.participant.id });
      return files.length;
    },
    async close() {
      live?.close();
      for (const release of releases) release();
      await client?.close();
    },
  };
};
