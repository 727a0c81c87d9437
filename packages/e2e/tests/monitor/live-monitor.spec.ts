import { randomUUID } from "node:crypto";
import { readChart } from "../../fixtures/charts.js";
import { expect, test } from "../../fixtures/index.js";

test("a lesson's monitor shows a real SDK client's messages in the network graph", async ({ adminPage: page, cohort, connectSdk }, testInfo) => {
  await page.goto(`/lessons/${cohort.lessonId}/monitor`);
  await expect(page.getByTestId("monitor-state")).toHaveText("live");

  // A student joins the lesson and works in their project through the SDK, as an IDE would.
  const student = cohort.students[0]!;
  const client = connectSdk(student.token);
  const { participant } = await client.api.lesson.join.mutate({ lessonId: cohort.lessonId });
  const where = { lessonId: cohort.lessonId, ownerId: participant.id };
  await client.api.files.create.mutate({ ...where, path: "main.py", type: "file", content: "print('hello')\n" });
  const traceIds: string[] = [];
  for (let line = 1; line <= 5; line++) {
    const trace = { id: randomUUID(), t1: Date.now() };
    traceIds.push(trace.id);
    await client.api.cursor.move.mutate({ ...where, path: "main.py", position: { line, column: 3 }, trace });
    await new Promise((r) => setTimeout(r, 120));
  }

  // The graph gains the student and the server instance, linked by the messages that flowed.
  const studentNode = `p:${participant.id}`;
  const instanceNode = `i:${cohort.instanceId}`;
  await expect
    .poll(async () => {
      const chart = await readChart(page, "traffic-graph");
      const series = chart?.series.find((s) => s.id === "traffic");
      return {
        type: chart?.type,
        nodes: [...(series?.nodes ?? [])].sort(),
        sent: series?.points.some((p) => p.from === studentNode && p.to === instanceNode) ?? false,
      };
    })
    .toEqual({ type: "networkgraph", nodes: [instanceNode, studentNode].sort(), sent: true });

  // Traced cursor moves give live latency percentiles, and the rate chart counts them.
  await expect(page.getByTestId("live-latency")).toContainText("cursor");
  expect(Number(await page.getByTestId("trace-count").textContent())).toBeGreaterThanOrEqual(2);
  await expect
    .poll(async () => {
      const rate = await readChart(page, "rate-chart");
      return rate?.series.find((s) => s.id === "traces")?.points.reduce((sum, p) => sum + (p.y ?? 0), 0) ?? 0;
    })
    .toBeGreaterThan(0);

  await page.screenshot({ path: testInfo.outputPath("monitor.png"), fullPage: true });
  await testInfo.attach("monitor", { path: testInfo.outputPath("monitor.png"), contentType: "image/png" });
});
