import type { IncomingMessage } from "node:http";

/** What an HTTP request presents: `Authorization: Bearer <jwt>` or `X-Admin-Key: <key>`. */
export function httpCredentials(req: IncomingMessage): { token: string | undefined; adminKey: string | undefined } {
  const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const adminKey = req.headers["x-admin-key"];
  return { token, adminKey: Array.isArray(adminKey) ? adminKey[0] : adminKey };
}
