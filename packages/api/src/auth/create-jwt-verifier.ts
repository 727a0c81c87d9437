import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import { AuthError } from "./auth-error.js";

export interface JwtVerifierOptions {
  /** HS256 secret. */
  jwtSecret?: string | undefined;
  /** RS256/ES256 keys. Used instead of the secret when set. */
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
}

/**
 * Verifies user JWTs locally with `jose`: against the JWKS when one is configured, else with the
 * HS256 secret. Returns null when neither is configured, so a deployment that only introspects
 * tokens does not need either.
 */
export function createJwtVerifier(options: JwtVerifierOptions): ((token: string) => Promise<JWTPayload>) | null {
  const claims = { issuer: options.issuer || undefined, audience: options.audience || undefined };
  // A fixed algorithm list per key kind refuses `alg: none` and HS/RS key confusion.
  if (options.jwksUrl) {
    const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
    return (token) => verify(() => jwtVerify(token, jwks, { algorithms: ["RS256", "ES256"], ...claims }));
  }
  if (options.jwtSecret) {
    const secret = new TextEncoder().encode(options.jwtSecret);
    return (token) => verify(() => jwtVerify(token, secret, { algorithms: ["HS256"], ...claims }));
  }
  return null;
}

async function verify(run: () => Promise<{ payload: JWTPayload }>): Promise<JWTPayload> {
  try {
    return (await run()).payload;
  } catch (error) {
    throw toAuthError(error);
  }
}

function toAuthError(error: unknown): AuthError {
  if (error instanceof errors.JWTExpired) return new AuthError("TOKEN_EXPIRED", "The token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf") return new AuthError("TOKEN_NOT_YET_VALID", "The token is not valid yet");
    return new AuthError("BAD_CLAIMS", `The token's "${error.claim}" claim is not accepted`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AuthError("BAD_SIGNATURE", "The token's signature is wrong");
  if (error instanceof errors.JOSEAlgNotAllowed) return new AuthError("BAD_SIGNATURE", "The token's algorithm is not accepted");
  if (error instanceof errors.JWKSNoMatchingKey) return new AuthError("BAD_SIGNATURE", "No key matches the token");
  return new AuthError("MALFORMED_TOKEN", "The token is not a valid JWT");
}
