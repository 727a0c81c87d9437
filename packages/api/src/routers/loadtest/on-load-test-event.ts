import { adminProcedure } from "../../trpc.js";
import { LiveSeconds } from "../../domain/loadtest/live-seconds.js";
import { loadTest } from "../../domain/loadtest/load.js";
import type { LoadTestEvent } from "../../domain/loadtest/publish.js";
import { subscribeReady } from "../../domain/loadtest/subscribe-ready.js";
import { loadTestTopics } from "../../domain/loadtest/topics.js";
import { loadTestView } from "../../domain/loadtest/view.js";
import { zTestInput } from "./load-test.schema.js";

const FINAL = new Set(["done", "stopped", "failed"]);

/**
 * A test as it happens: first a snapshot (the test with its testers), then tester and test state
 * changes, and per-second figures merged from every tester's progress while it runs. Ends after
 * the test does. Live only: a resubscription starts again from a fresh snapshot.
 */
export const onLoadTestEvent = adminProcedure.input(zTestInput).subscription(async function* ({ input, ctx, signal }) {
  // Subscribe before reading the snapshot, so no change falls between the two.
  const events = await subscribeReady(ctx.deps.events, loadTestTopics.events(input.testId), { signal });
  const test = loadTestView(await loadTest(ctx.deps.db, input.testId));
  yield { type: "snapshot" as const, test };
  if (FINAL.has(test.state)) return;
  const seconds = new LiveSeconds();
  for await (const item of events) {
    const event = item.event as LoadTestEvent | { type: "reset" };
    if (event.type === "reset") {
      yield { type: "snapshot" as const, test: loadTestView(await loadTest(ctx.deps.db, input.testId)) };
      continue;
    }
    if (event.type === "progress") {
      yield seconds.add(event);
      continue;
    }
    yield event;
    if (event.type === "test" && FINAL.has(event.state)) return;
  }
});
