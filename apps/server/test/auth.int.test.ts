import { SignJWT, generateKeyPair, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse } from "@cohort/db";
import { CloseCode } from "@cohort/api";
import { closeAllClients, connectAdmin, connectUser, startTestApp, TEST_JWT_SECRET, tokenFor, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { rawConnect } from "./support/raw-connect.js";

let server: StartedApp;
let userId: number;

beforeAll(async () => {
  server = await startTestApp();
  const course = await seedCourse(await testDb(), { students: 1, tag: "auth" });
  userId = course.students[0]!.userId;
});
afterAll(async () => {
  await closeAllClients();
  await server.close();
});

const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const sign = (claims: Record<string, unknown>, edit: (jwt: SignJWT) => SignJWT = (j) => j) =>
  edit(new SignJWT(claims).setProtectedHeader({ alg: "HS256" })).sign(secret);

describe("authentication at connection time", () => {
  it("accepts a valid user token and reports who is calling", async () => {
    const client = await connectUser(server.wsUrl, userId);
    await expect(client.api.session.me.query()).resolves.toEqual({ userId, isAdmin: false });
  });

  it("accepts the admin key", async () => {
    const admin = connectAdmin(server.wsUrl);
    await expect(admin.api.session.me.query()).resolves.toEqual({ userId: null, isAdmin: true });
  });

  const refusals: [string, () => Promise<Record<string, unknown> | null>, string][] = [
    ["no credentials", async () => ({}), "MISSING_CREDENTIALS"],
    ["garbage token", async () => ({ token: "not.a.jwt" }), "MALFORMED_TOKEN"],
    ["expired token", async () => ({ token: await sign({ sub: String(userId) }, (j) => j.setExpirationTime(Math.floor(Date.now() / 1000) - 60)) }), "TOKEN_EXPIRED"],
    ["not-yet-valid token", async () => ({ token: await sign({ sub: String(userId) }, (j) => j.setNotBefore(Math.floor(Date.now() / 1000) + 3600)) }), "TOKEN_NOT_YET_VALID"],
    ["wrong secret", async () => ({ token: await new SignJWT({ sub: String(userId) }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("x".repeat(40))) }), "BAD_SIGNATURE"],
    ["alg none", async () => ({ token: new UnsecuredJWT({ sub: String(userId) }).encode() }), "BAD_SIGNATURE"],
    [
      "RS256 token (key confusion)",
      async () => {
        const { privateKey } = await generateKeyPair("RS256");
        return { token: await new SignJWT({ sub: String(userId) }).setProtectedHeader({ alg: "RS256" }).sign(privateKey) };
      },
      "BAD_SIGNATURE",
    ],
    ["unknown user", async () => ({ token: await tokenFor(2_000_000_000) }), "UNKNOWN_USER"],
    ["token without subject", async () => ({ token: await sign({}) }), "BAD_CLAIMS"],
    ["wrong admin key", async () => ({ adminKey: "definitely-not-the-admin-key" }), "BAD_ADMIN_KEY"],
    ["admin key of wrong type", async () => ({ adminKey: 12 }), "MALFORMED"],
  ];

  it.each(refusals)("refuses %s with close code 4401 and a reason", async (_name, params, reason) => {
    const closed = await rawConnect(server.wsUrl, await params());
    if (reason === "MALFORMED") {
      // connectionParams must be strings; tRPC itself refuses the message.
      expect(closed.code).not.toBe(1000);
      return;
    }
    expect(closed.code).toBe(CloseCode.Unauthorized);
    expect(closed.reason.startsWith(reason)).toBe(true);
  });

  it("closes a connection that never presents credentials", async () => {
    const quick = await startTestApp({ WS_AUTH_TIMEOUT_MS: "300" });
    try {
      const closed = await rawConnect(quick.wsUrl, null);
      expect(closed.code).toBe(CloseCode.AuthTimeout);
    } finally {
      await quick.close();
    }
  });

  it("the SDK reports a refused connection and stops retrying", async () => {
    const { createCohortClient } = await import("@cohort/sdk");
    const WebSocket = (await import("ws")).default;
    const states: string[] = [];
    const client = createCohortClient({
      url: server.wsUrl,
      token: "garbage",
      WebSocket,
      onConnectionChange: (s) => states.push(s.state),
    });
    await expect(client.api.session.me.query()).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 300));
    expect(states).toContain("refused");
    await client.close();
  });
});

describe("authentication over HTTP", () => {
  it("accepts Bearer tokens and X-Admin-Key, refuses others", async () => {
    const token = await tokenFor(userId);
    const me = await fetch(`${server.url}/trpc/session.me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { result: { data: unknown } }).result.data).toEqual({ userId, isAdmin: false });

    const anon = await fetch(`${server.url}/trpc/session.me`);
    expect(anon.status).toBe(401);
    const body = (await anon.json()) as { error: { data: { code: string } } };
    expect(body.error.data.code).toBe("UNAUTHORIZED");
    expect(JSON.stringify(body)).not.toContain("stack");
  });
});
