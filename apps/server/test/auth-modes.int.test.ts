// Auth modes other than the HS256 secret of the other tests: RS256/ES256 keys from a JWKS, and
// token introspection alone (no JWT_SECRET), each against an endpoint the test serves itself.
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey } from "jose";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse, type SeededCourse } from "@cohort/db";
import { CloseCode } from "@cohort/api";
import { createCohortClient } from "@cohort/sdk";
import { freePort } from "@cohort/test-support/free-port";
import { startLocalEndpoint, type LocalEndpoint } from "./support/local-endpoint.js";
import { rawConnect } from "./support/raw-connect.js";
import { startTestApp, TEST_ADMIN_KEY, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";

let course: SeededCourse;
let userId: number;
beforeAll(async () => {
  course = await seedCourse(await testDb(), { students: 1, tag: "auth-modes" });
  userId = course.students[0]!.userId;
});

/** Who the server says is calling, over a WebSocket authenticated with `token`. */
async function whoAmI(wsUrl: string, token: string) {
  const client = createCohortClient({ url: wsUrl, token, WebSocket });
  try {
    return await client.api.session.me.query();
  } finally {
    await client.close();
  }
}

describe("JWKS mode (RS256 and ES256)", () => {
  let jwks: LocalEndpoint;
  let server: StartedApp;
  const keys: Record<"RS256" | "ES256", { privateKey: CryptoKey; publicKey: CryptoKey }> = {} as never;

  beforeAll(async () => {
    keys.RS256 = await generateKeyPair("RS256", { extractable: true });
    keys.ES256 = await generateKeyPair("ES256", { extractable: true });
    const published = await Promise.all(
      (["RS256", "ES256"] as const).map(async (alg) => ({ ...(await exportJWK(keys[alg].publicKey)), kid: alg, alg, use: "sig" })),
    );
    jwks = await startLocalEndpoint(() => ({ json: { keys: published } }));
    // No JWT_SECRET: only the JWKS can vouch for a token.
    server = await startTestApp({ JWT_SECRET: "", JWT_JWKS_URL: jwks.url });
  });
  afterAll(async () => {
    await server?.close();
    await jwks?.close();
  });

  const sign = (alg: "RS256" | "ES256", claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg, kid: alg }).setExpirationTime("5m").sign(keys[alg].privateKey);

  it.each(["RS256", "ES256"] as const)("accepts a %s token signed by a key of the JWKS", async (alg) => {
    await expect(whoAmI(server.wsUrl, await sign(alg, { sub: String(userId) }))).resolves.toEqual({ userId, isAdmin: false });
  });

  it("takes the user id from a userId claim when there is no sub", async () => {
    const token = await sign("RS256", { userId });
    await expect(whoAmI(server.wsUrl, token)).resolves.toEqual({ userId, isAdmin: false });
  });

  it("refuses a token signed by a key that is not in the JWKS", async () => {
    const stranger = await generateKeyPair("ES256");
    const token = await new SignJWT({ sub: String(userId) }).setProtectedHeader({ alg: "ES256", kid: "ES256" }).setExpirationTime("5m").sign(stranger.privateKey);
    const closed = await rawConnect(server.wsUrl, { token });
    expect(closed.code).toBe(CloseCode.Unauthorized);
    expect(closed.reason).toMatch(/^BAD_SIGNATURE/);
  });

  it("refuses an HS256 token signed with the RSA public key's bytes (key confusion)", async () => {
    const publicPem = new TextEncoder().encode(await exportSPKI(keys.RS256.publicKey));
    const token = await new SignJWT({ sub: String(userId) }).setProtectedHeader({ alg: "HS256", kid: "RS256" }).setExpirationTime("5m").sign(publicPem);
    const closed = await rawConnect(server.wsUrl, { token });
    expect(closed.code).toBe(CloseCode.Unauthorized);
    expect(closed.reason).toMatch(/^BAD_SIGNATURE/);
  });

  it("refuses an unsigned token (alg none)", async () => {
    const closed = await rawConnect(server.wsUrl, { token: new UnsecuredJWT({ sub: String(userId) }).setExpirationTime("5m").encode() });
    expect(closed.code).toBe(CloseCode.Unauthorized);
    expect(closed.reason).toMatch(/^BAD_SIGNATURE/);
  });
});

describe("introspection-only mode (no JWT_SECRET or JWKS)", () => {
  let introspection: LocalEndpoint;
  let server: StartedApp;
  // The endpoint's view of the world: which tokens are valid, and for whom.
  const valid = new Map<string, number>();

  beforeAll(async () => {
    introspection = await startLocalEndpoint((body) => {
      const userIdOfToken = valid.get((JSON.parse(body) as { token: string }).token);
      return { json: userIdOfToken === undefined ? { valid: false } : { valid: true, userId: userIdOfToken } };
    });
    server = await startTestApp({ JWT_SECRET: "", AUTH_INTROSPECTION_URL: introspection.url, AUTH_INTROSPECTION_CACHE_MS: "60000" });
  });
  afterAll(async () => {
    await server?.close();
    await introspection?.close();
  });

  const callsFor = (token: string) => introspection.requests.filter((body) => (JSON.parse(body) as { token: string }).token === token).length;

  it("lets a user whose token the endpoint vouches for join a lesson", async () => {
    valid.set("opaque-token-join", userId);
    const client = createCohortClient({ url: server.wsUrl, token: "opaque-token-join", WebSocket });
    try {
      const joined = await client.api.lesson.join.mutate({ lessonId: course.lessonId });
      expect(joined.participant.id).toBe(course.students[0]!.participantId);
    } finally {
      await client.close();
    }
    expect(callsFor("opaque-token-join")).toBe(1);
  });

  it("refuses a token the endpoint calls invalid, with 4401", async () => {
    const closed = await rawConnect(server.wsUrl, { token: "opaque-token-refused" });
    expect(closed.code).toBe(CloseCode.Unauthorized);
    expect(closed.reason).toMatch(/^BAD_SIGNATURE: The token was refused by the auth server/);
    expect(callsFor("opaque-token-refused")).toBe(1);
  });

  it("asks the endpoint once per token within the cache TTL", async () => {
    valid.set("opaque-token-cached", userId);
    valid.set("opaque-token-other", userId);
    await expect(whoAmI(server.wsUrl, "opaque-token-cached")).resolves.toEqual({ userId, isAdmin: false });
    await expect(whoAmI(server.wsUrl, "opaque-token-cached")).resolves.toEqual({ userId, isAdmin: false });
    expect(callsFor("opaque-token-cached")).toBe(1);
    const before = introspection.requests.length;
    await expect(whoAmI(server.wsUrl, "opaque-token-other")).resolves.toEqual({ userId, isAdmin: false });
    expect(introspection.requests.length).toBe(before + 1);
  });

  it("refuses with a retryable code and a clear reason while the endpoint is down", async () => {
    const nobody = `http://127.0.0.1:${await freePort()}/introspect`;
    const cut = await startTestApp({ JWT_SECRET: "", AUTH_INTROSPECTION_URL: nobody });
    try {
      const closed = await rawConnect(cut.wsUrl, { token: "opaque-token-join" });
      expect(closed.code).toBe(CloseCode.TryAgainLater);
      expect(closed.reason).toBe("INTROSPECTION_FAILED: The auth server did not answer");
    } finally {
      await cut.close();
    }
  });

  it("accepts the admin key over HTTP (X-Admin-Key) and refuses a wrong one", async () => {
    const me = await fetch(`${server.url}/trpc/session.me`, { headers: { "x-admin-key": TEST_ADMIN_KEY } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { result: { data: unknown } }).result.data).toEqual({ userId: null, isAdmin: true });

    const wrong = await fetch(`${server.url}/trpc/session.me`, { headers: { "x-admin-key": `${TEST_ADMIN_KEY}-nope` } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/^BAD_ADMIN_KEY/);
    expect(introspection.requests.some((body) => body.includes(TEST_ADMIN_KEY))).toBe(false);
  });
});
