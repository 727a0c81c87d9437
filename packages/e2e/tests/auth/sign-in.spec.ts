import { expect, signIn, test } from "../../fixtures/index.js";

test.describe("admin sign-in", () => {
  test("turns away a wrong key and a page without the cookie", async ({ page }) => {
    const response = await page.goto("/load-tests");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fload-tests$/);
    // Pages carry a per-request nonce CSP (the page can obtain the key, so no injected script may run).
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    await page.getByLabel("Admin key").fill("not-the-admin-key-at-all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("sign-in-error")).toContainText("not the admin key");
    expect(await page.context().cookies()).toHaveLength(0);
  });

  test("keeps the key in an http-only SameSite=Strict cookie, and signs out", async ({ page, cohort }, testInfo) => {
    await signIn(page, cohort.adminKey);
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: "cohort_admin", httpOnly: true, sameSite: "Strict" });
    // Page scripts cannot read it.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe("");
    await expect(page.getByRole("heading", { name: "Lessons" })).toBeVisible();
    await expect(page.getByTestId("lessons")).toContainText("E2E lesson");
    await page.screenshot({ path: testInfo.outputPath("lessons.png"), fullPage: true });

    // The WebSocket credentials route answers console scripts only.
    const refused = await page.request.get("/api/ws-credentials");
    expect(refused.status()).toBe(403);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    expect(await page.context().cookies()).toHaveLength(0);
  });
});
