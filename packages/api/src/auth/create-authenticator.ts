import { createHash, timingSafeEqual } from "node:crypto";
import type { Db } from "@cohort/db";
import type { JWTPayload } from "jose";
import type { Principal } from "../context.js";
import { AuthError } from "./auth-error.js";
import { createJwtVerifier } from "./create-jwt-verifier.js";
import { createIntrospector } from "./introspect.js";

export { AuthError };

export interface AuthOptions {
  db: Db;
  /** HS256 secret. */
  jwtSecret?: string | undefined;
  /** RS256/ES256 keys. Used instead of the secret when set. */
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Ask an existing API server instead of verifying locally. */
  introspectionUrl?: string | undefined;
  /** @default 30_000 */
  introspectionCacheMs?: number;
  adminKey: string;
}

export interface Authenticator {
  authenticate(credentials: { token?: unknown; adminKey?: unknown }): Promise<Principal>;
}

export function createAuthenticator(options: AuthOptions): Authenticator {
  const adminDigest = sha256(options.adminKey);
  const subjectOfToken = createTokenChecker(options);

  return {
    async authenticate({ token, adminKey }) {
      if (adminKey !== undefined && adminKey !== null) {
        // Compare digests so the comparison takes the same time whatever the length of the guess.
        if (typeof adminKey !== "string" || !timingSafeEqual(sha256(adminKey), adminDigest)) {
          throw new AuthError("BAD_ADMIN_KEY", "The admin key is wrong");
        }
        return { kind: "admin" };
      }
      if (typeof token !== "string" || token.length === 0) {
        throw new AuthError("MISSING_CREDENTIALS", "No token or admin key was presented");
      }
      if (token.length > 8192) throw new AuthError("MALFORMED_TOKEN", "The token is too long");
      return { kind: "user", userId: await resolveUser(options.db, await subjectOfToken(token)) };
    },
  };
}

/**
 * Builds only the configured mode: introspection when its URL is set (it then decides alone),
 * else local JWT verification. An introspection-only deployment has no secret or JWKS to build.
 */
function createTokenChecker(options: AuthOptions): (token: string) => Promise<string> {
  if (options.introspectionUrl) {
    return createIntrospector({ url: options.introspectionUrl, cacheMs: options.introspectionCacheMs ?? 30_000 });
  }
  const verifyJwt = createJwtVerifier(options);
  if (!verifyJwt) throw new TypeError("Auth needs JWT_SECRET, JWT_JWKS_URL or AUTH_INTROSPECTION_URL");
  return async (token) => subjectOf(await verifyJwt(token));
}

function subjectOf(payload: JWTPayload): string {
  const subject = payload.sub ?? (payload as { userId?: unknown }).userId;
  if (typeof subject === "number" || (typeof subject === "string" && subject.length > 0)) return String(subject);
  throw new AuthError("BAD_CLAIMS", "The token names no user (sub or userId)");
}

/** Numeric subjects are our user ids; others are ids in the identity provider (User.externalId). */
async function resolveUser(db: Db, subject: string): Promise<number> {
  const user = /^[1-9]\d{0,9}$/.test(subject) && Number(subject) <= 2_147_483_647
    ? await db.user.findUnique({ where: { id: Number(subject) }, select: { id: true } })
    : await db.user.findUnique({ where: { externalId: subject }, select: { id: true } });
  if (!user) throw new AuthError("UNKNOWN_USER", "The token's user does not exist");
  return user.id;
}

function sha256(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
