import { defineConfig } from "@playwright/test";
import { chromium } from "./fixtures/chromium.js";

const CI = Boolean(process.env.CI);

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  globalSetup: "./global-setup.ts",
  forbidOnly: CI,
  retries: CI ? 2 : 0,
  // One worker: each starts its own Cohort server and console, and the load test wants the cores.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: CI ? [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]] : [["list"]],
  use: {
    browserName: "chromium",
    launchOptions: chromium,
    viewport: { width: 1400, height: 1000 },
    screenshot: "only-on-failure",
    trace: CI ? "retain-on-first-failure" : "retain-on-failure",
  },
});
