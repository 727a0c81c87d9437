import { readChart } from "../../fixtures/charts.js";
import { expect, test } from "../../fixtures/index.js";

// A small local run: 4 virtual clients in 2 tester processes for 5 s, launched by the server.
test("create, start and watch a local load test, then read its results", async ({ adminPage: page, cohort }, testInfo) => {
  test.setTimeout(150_000);
  await page.goto("/load-tests");
  const form = page.getByRole("form", { name: "New load test" });

  // The form checks what the server would refuse before sending it.
  await form.getByLabel("Virtual clients").fill("0");
  await form.getByLabel("Duration (s)").fill("2");
  await form.getByRole("button", { name: "Create test" }).click();
  await expect(form.getByText("at least 1", { exact: true })).toBeVisible();
  await expect(form.getByText("at least 5 s")).toBeVisible();

  await form.getByLabel("Lesson").selectOption(String(cohort.lessonId));
  await expect(form.getByLabel(/Server URL/)).toHaveValue(cohort.wsUrl);
  await form.getByLabel("Virtual clients").fill("4");
  await form.getByLabel("Duration (s)").fill("5");
  await form.getByLabel("Clients per tester").fill("2");
  await form.getByRole("button", { name: "Create test" }).click();

  await expect(page).toHaveURL(/\/load-tests\/\d+$/);
  const testId = Number(new URL(page.url()).pathname.split("/").at(-1));
  const state = page.getByTestId("test-state");
  await expect(state).toHaveAttribute("data-state", "created");
  await expect(page.getByTestId("testers").locator("tbody tr")).toHaveCount(2);

  await page.getByRole("button", { name: "Start" }).click();
  // Testers come up (launching → pending → running) as loadtest.watch reports them.
  await expect(page.getByTestId("tester-t0")).toHaveAttribute("data-state", /pending|running/, { timeout: 60_000 });
  await expect(state).toHaveAttribute("data-state", "running", { timeout: 60_000 });
  await expect(page.getByTestId("tester-t0")).toHaveAttribute("data-state", "running");
  await expect(page.getByTestId("tester-t1")).toHaveAttribute("data-state", "running");
  await page.screenshot({ path: testInfo.outputPath("load-test-running.png"), fullPage: true });
  await expect(state).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  // Per-second figures arrived live while it ran.
  const live = await readChart(page, "live-chart");
  expect(live?.series.find((s) => s.id === "acks")?.points.length ?? 0).toBeGreaterThan(0);

  await page.getByRole("link", { name: "Results" }).click();
  await expect(page).toHaveURL(new RegExp(`/load-tests/${testId}/results$`));
  await expect(page.getByTestId("results-valid")).toBeVisible();
  const cursorRow = page.getByTestId("percentiles").locator('tr[data-key="cursor"]');
  await expect(cursorRow).toBeVisible();

  // The charts render the results' data (read from Highcharts, not from pixels).
  await expect.poll(async () => (await readChart(page, "latency-over-time"))?.series.find((s) => s.id === "band")?.points.length ?? 0).toBeGreaterThan(0);
  const overTime = await readChart(page, "latency-over-time");
  const band = overTime!.series.find((s) => s.id === "band")!.points;
  const p99 = overTime!.series.find((s) => s.id === "p99")!.points;
  expect(band.length).toBeGreaterThanOrEqual(3);
  expect(p99.length).toBe(band.length);
  for (const point of band) expect(point.high!).toBeGreaterThanOrEqual(point.low!);
  // Percentiles are never averaged into coarser points, however far the chart is zoomed out.
  for (const series of overTime!.series.filter((s) => s.id === "band" || s.id === "p99" || s.id === "p50")) expect(series.dataGrouping).toBe(false);

  await expect.poll(async () => (await readChart(page, "percentile-spectrum"))?.series.length ?? 0).toBeGreaterThan(0);
  const spectrum = await readChart(page, "percentile-spectrum");
  const cursorSpectrum = spectrum!.series.find((s) => s.id === "spectrum:cursor")!.points.map((p) => p.y!);
  expect(cursorSpectrum.length).toBeGreaterThan(10);
  expect([...cursorSpectrum].sort((a, b) => a - b)).toEqual(cursorSpectrum);
  const histogram = await readChart(page, "latency-histogram");
  expect(histogram!.series[0]!.points.reduce((sum, p) => sum + (p.y ?? 0), 0)).toBeGreaterThan(0);
  await page.screenshot({ path: testInfo.outputPath("load-test-results.png"), fullPage: true });

  // Downloads: the JSON results and a self-contained HTML report.
  const json = await page.request.get(`/api/load-tests/${testId}/report?format=json`);
  expect(json.status()).toBe(200);
  expect(json.headers()["content-disposition"]).toContain(`cohort-load-test-${testId}.json`);
  const report = (await json.json()) as { results: { testId: number; latency: unknown[] } };
  expect(report.results.testId).toBe(testId);
  expect(report.results.latency.length).toBeGreaterThan(0);
  const html = await page.request.get(`/api/load-tests/${testId}/report?format=html`);
  expect(html.status()).toBe(200);
  const text = await html.text();
  expect(text).toContain("<svg");
  expect(text).not.toMatch(/<script(?! type="application\/json")/);
  await testInfo.attach("report.html", { body: text, contentType: "text/html" });

  // The list shows the finished run; comparing it with itself gives identical rows and ±0 deltas.
  await page.goto("/load-tests");
  await expect(page.getByTestId("load-tests").locator(`tr[data-test-id="${testId}"]`)).toContainText("done");
  await page.goto(`/load-tests/compare?a=${testId}&b=${testId}`);
  await expect(page.getByTestId("comparison")).toContainText("cursor ack");
  await page.screenshot({ path: testInfo.outputPath("compare.png"), fullPage: true });
});
