// Runnable: with `npm start` running in another terminal, take a token from its output (or from
// `npm run demo:seed -- --students 2 --json`) and run
//   COHORT_TOKEN=<token> npx tsx packages/sdk/examples/join-and-edit.ts
// It joins the demo lesson, reads the files of the caller's project, opens src/main.py live,
// appends a line, and prints the text and who is online.
import WebSocket from "ws";
import { appCodeOf, createCohortClient } from "@cohort/sdk";

const token = process.env.COHORT_TOKEN;
if (!token) {
  console.error("Set COHORT_TOKEN to a user token (see the comment at the top of this file).");
  process.exit(2);
}
const url = process.env.COHORT_URL ?? "ws://localhost:4000/trpc";
const lessonId = Number(process.env.COHORT_LESSON ?? 1);

const client = createCohortClient({ url, token, WebSocket, onConnectionChange: (s) => console.log("connection:", s.state) });
try {
  const clock = await client.syncClock();
  console.log(`clock offset ${clock.offsetMs.toFixed(2)} ms ± ${clock.uncertaintyMs.toFixed(2)}`);
  const { participant, lesson } = await client.api.lesson.join.mutate({ lessonId });
  console.log(`joined "${lesson.name}" as ${participant.nickname} (${participant.role})`);

  const presence = client.api.lesson.presence.subscribe({ lessonId }, { onData: ({ data }) => console.log("presence:", data) });
  // The whole project in one call (files.readMany, paged by the server if it is large).
  const files = await client.readProject({ lessonId, ownerId: participant.id });
  console.log("files:", files.map((f) => `${f.path} (${f.size} bytes, ${f.encoding})`).join("\n       "));

  const path = files.some((f) => f.path === "src/main.py") ? "src/main.py" : "notes.txt";
  if (path === "notes.txt" && !files.some((f) => f.path === path)) {
    await client.api.files.create.mutate({ lessonId, ownerId: participant.id, path, type: "file", content: "" });
  }
  const doc = await client.openFile({ lessonId, ownerId: participant.id, path });
  doc.on("change", () => console.log(`${path} changed remotely`));
  doc.insert(doc.text.length, `# edited from the SDK example at ${new Date().toISOString()}\n`);
  await doc.flush();
  console.log(`--- ${path} ---\n${doc.toString()}`);
  doc.close();
  presence.unsubscribe();
} catch (error) {
  console.error("failed:", appCodeOf(error) ?? "", (error as Error).message);
  process.exitCode = 1;
} finally {
  await client.close();
}
