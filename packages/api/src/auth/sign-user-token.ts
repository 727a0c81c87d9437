import { SignJWT } from "jose";

/** Signs an HS256 user token (demo data, tests, tester accounts). */
export async function signUserToken(options: {
  secret: string;
  userId: number;
  expiresInSec?: number;
  issuer?: string | undefined;
  audience?: string | undefined;
}): Promise<string> {
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(String(options.userId))
    .setIssuedAt()
    .setExpirationTime(`${options.expiresInSec ?? 7 * 24 * 3600}s`);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret));
}
