import type { Page } from "@playwright/test";
import { expect, test } from "../../fixtures/index.js";

/** Creates a local load test from the console's form and returns its id (on its page). */
async function createTest(page: Page, lessonId: number, { clients, durationSec }: { clients: number; durationSec: number }): Promise<number> {
  await page.goto("/load-tests");
  const form = page.getByRole("form", { name: "New load test" });
  await form.getByLabel("Lesson").selectOption(String(lessonId));
  await form.getByLabel("Virtual clients").fill(String(clients));
  await form.getByLabel("Duration (s)").fill(String(durationSec));
  await form.getByLabel("Clients per tester").fill("2");
  await form.getByRole("button", { name: "Create test" }).click();
  await expect(page).toHaveURL(/\/load-tests\/\d+$/);
  return Number(new URL(page.url()).pathname.split("/").at(-1));
}

/** The headline figures of a results page, by label. */
async function headline(page: Page): Promise<Record<string, number>> {
  const stats = page.getByTestId("headline").locator(".stat");
  await expect(stats.first()).toBeVisible();
  const figures: Record<string, number> = {};
  for (const stat of await stats.all()) {
    const label = (await stat.locator(".label").innerText()).trim();
    figures[label] = Number((await stat.locator(".value").innerText()).replace(/[^0-9.]/g, ""));
  }
  return figures;
}

test("extend and stop a running load test, compare two different runs, delete one", async ({ adminPage: page, cohort }, testInfo) => {
  test.setTimeout(240_000);
  const state = page.getByTestId("test-state");

  // A long run, extended while it runs, then stopped early.
  const long = await createTest(page, cohort.lessonId, { clients: 2, durationSec: 60 });
  await page.getByRole("button", { name: "Start" }).click();
  await expect(state).toHaveAttribute("data-state", "running", { timeout: 60_000 });
  await page.getByLabel("seconds to add").fill("30");
  await page.getByRole("button", { name: "Extend" }).click();
  await expect(page.getByText("2 clients in 1 tester · 90 s")).toBeVisible();
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(state).toHaveAttribute("data-state", /stopped|done/, { timeout: 60_000 });
  await expect(page.getByRole("button", { name: "Stop" })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("stopped.png"), fullPage: true });

  // Two short runs of different sizes, run to the end.
  const small = await createTest(page, cohort.lessonId, { clients: 2, durationSec: 5 });
  await page.getByRole("button", { name: "Start" }).click();
  await expect(state).toHaveAttribute("data-state", "done", { timeout: 90_000 });
  const large = await createTest(page, cohort.lessonId, { clients: 4, durationSec: 5 });
  await page.getByRole("button", { name: "Start" }).click();
  await expect(state).toHaveAttribute("data-state", "done", { timeout: 90_000 });

  // Throughput, loss and errors are on the results page.
  await page.goto(`/load-tests/${large}/results`);
  const figures = await headline(page);
  expect(figures.clients).toBe(4);
  expect(figures.sent).toBeGreaterThan(0);
  expect(figures.acked).toBeGreaterThan(0);
  expect(figures.acked).toBeLessThanOrEqual(figures.sent!);
  for (const label of ["lost", "duplicates", "errors"]) expect(Number.isFinite(figures[label])).toBe(true);

  // Comparing two different runs shows each run's own figures side by side.
  await page.goto(`/load-tests/compare?a=${small}&b=${large}`);
  await expect(page.getByTestId("comparison")).toContainText("cursor ack");
  const clientsRow = page.locator("tr", { has: page.locator("td", { hasText: /^clients$/ }) });
  await expect(clientsRow.locator("td.num").nth(0)).toHaveText("2");
  await expect(clientsRow.locator("td.num").nth(1)).toHaveText("4");
  await page.screenshot({ path: testInfo.outputPath("compare-two-runs.png"), fullPage: true });

  // Delete asks first, then removes the test from the list.
  await page.goto(`/load-tests/${small}`);
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await expect(page).toHaveURL(/\/load-tests$/);
  const list = page.getByTestId("load-tests");
  await expect(list.locator(`tr[data-test-id="${large}"]`)).toBeVisible();
  await expect(list.locator(`tr[data-test-id="${small}"]`)).toHaveCount(0);
  await expect(list.locator(`tr[data-test-id="${long}"]`)).toBeVisible();
});
