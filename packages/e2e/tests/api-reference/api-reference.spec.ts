import { expect, test } from "../../fixtures/index.js";

test("the API reference lists every procedure with its kind and input schema", async ({ adminPage: page }, testInfo) => {
  await page.goto("/api-reference");
  for (const [path, kind] of [
    ["session.me", "query"],
    ["loadtest.create", "mutation"],
    ["monitor.watch", "subscription"],
  ] as const) {
    const entry = page.locator(`article[data-procedure="${path}"]`);
    await expect(entry).toContainText(kind);
  }
  const create = page.locator('article[data-procedure="loadtest.create"]');
  await expect(create.getByRole("cell", { name: "clients", exact: true })).toBeVisible();
  await expect(create).toContainText("maximum 2000");
  await page.screenshot({ path: testInfo.outputPath("api-reference.png") });
});
