import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse } from "@cohort/db";
import { CloseCode } from "@cohort/api";
import { startTestApp, TEST_JWT_SECRET, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { rawConnect } from "./support/raw-connect.js";

let server: StartedApp;
let userId: number;

beforeAll(async () => {
  server = await startTestApp({ JWT_ISSUER: "https://id.school.example", JWT_AUDIENCE: "cohort" });
  userId = (await seedCourse(await testDb(), { students: 1, tag: "claims" })).students[0]!.userId;
});
afterAll(() => server.close());

const sign = (claims: { iss?: string; aud?: string }) => {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(String(userId)).setExpirationTime("5m");
  if (claims.iss) jwt = jwt.setIssuer(claims.iss);
  if (claims.aud) jwt = jwt.setAudience(claims.aud);
  return jwt.sign(new TextEncoder().encode(TEST_JWT_SECRET));
};

describe("issuer and audience, when configured", () => {
  it.each([
    ["no issuer or audience", {}],
    ["a wrong issuer", { iss: "https://evil.example", aud: "cohort" }],
    ["a wrong audience", { iss: "https://id.school.example", aud: "another-app" }],
  ])("refuses a token with %s", async (_what, claims) => {
    const closed = await rawConnect(server.wsUrl, { token: await sign(claims) });
    expect(closed.code).toBe(CloseCode.Unauthorized);
    expect(closed.reason.startsWith("BAD_CLAIMS")).toBe(true);
  });

  it("accepts the right issuer and audience", async () => {
    const token = await sign({ iss: "https://id.school.example", aud: "cohort" });
    const res = await fetch(`${server.url}/trpc/session.me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });
});
