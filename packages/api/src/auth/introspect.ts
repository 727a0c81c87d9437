import { AuthError } from "./auth-error.js";

/**
 * Checks tokens with an existing API server (`POST {token}` → `{valid, userId}`), caching answers
 * briefly so a class reconnecting at once does not hammer it. Refusals are cached too.
 */
export function createIntrospector({ url, cacheMs }: { url: string; cacheMs: number }) {
  const cache = new Map<string, { at: number; userId: string | null }>();
  return async (token: string): Promise<string> => {
    const now = Date.now();
    let hit = cache.get(token);
    if (!hit || now - hit.at > cacheMs) {
      hit = { at: now, userId: await ask(url, token) };
      if (cache.size > 10_000) cache.clear();
      cache.set(token, hit);
    }
    if (hit.userId === null) throw new AuthError("BAD_SIGNATURE", "The token was refused by the auth server");
    return hit.userId;
  };
}

async function ask(url: string, token: string): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    throw new AuthError("INTROSPECTION_FAILED", "The auth server did not answer");
  }
  if (!response.ok) throw new AuthError("INTROSPECTION_FAILED", `The auth server answered ${response.status}`);
  const body = (await response.json().catch(() => null)) as { valid?: unknown; userId?: unknown } | null;
  if (!body || body.valid !== true) return null;
  if (typeof body.userId !== "string" && typeof body.userId !== "number") return null;
  return String(body.userId);
}
