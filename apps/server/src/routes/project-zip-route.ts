import type { IncomingMessage, ServerResponse } from "node:http";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { AuthError, canDownloadProject, loadProjectAccess, refusalOf, type Authenticator, type Deps } from "@cohort/api";
import { httpCredentials } from "../http-credentials.js";

const PATTERN = /^\/projects\/(\d{1,10})\/(\d{1,10})\.zip$/;

/**
 * `GET /projects/<lessonId>/<ownerId>.zip` with `Authorization: Bearer <jwt>`: the project as a zip,
 * for its owner and the course's teachers. Refusals are plain JSON with the same reasons as tRPC;
 * an unreachable dependency is a 503, which a client may retry.
 */
export function matchProjectZip(path: string): { lessonId: number; ownerId: number } | null {
  const match = PATTERN.exec(path);
  if (!match) return null;
  const lessonId = Number(match[1]);
  const ownerId = Number(match[2]);
  return lessonId > 0 && ownerId > 0 && lessonId <= 2_147_483_647 && ownerId <= 2_147_483_647 ? { lessonId, ownerId } : null;
}

export async function serveProjectZip(
  req: IncomingMessage,
  res: ServerResponse,
  ref: { lessonId: number; ownerId: number },
  { deps, authenticator }: { deps: Deps; authenticator: Authenticator },
): Promise<void> {
  const send = (status: number, code: string, message: string) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code, message } }));
  };
  if (req.method !== "GET") return send(405, "METHOD_NOT_ALLOWED", "Use GET");
  let userId: number;
  try {
    // The admin key is recognised so that an admin hears why (as over tRPC), not that nobody is signed in.
    const principal = await authenticator.authenticate(httpCredentials(req));
    if (principal.kind !== "user") return send(403, "NOT_A_USER", "Download needs a user token, not the admin key");
    userId = principal.userId;
  } catch (error) {
    if (error instanceof AuthError) return send(401, error.reason, "Authentication failed");
    // Not the credentials' fault (the database is away): the client may retry them.
    return send(503, "UNAVAILABLE", refusalOf(error)?.message ?? "Authentication is unavailable, try again");
  }
  try {
    const access = await loadProjectAccess(deps.db, { ...ref, userId });
    if (!canDownloadProject(access)) return send(403, "NO_READ_PERMISSION", "Only the owner and teachers may download a project");
    if (access.projectId === null) return send(404, "PROJECT_NOT_FOUND", "This participant has no project in the lesson");
    if (!deps.projects) return send(503, "UNAVAILABLE", "Project storage is not configured");
    const zip = await deps.projects.getProjectZip(ref);
    res.writeHead(200, {
      "content-type": "application/zip",
      "content-length": zip.length,
      "content-disposition": `attachment; filename="lesson-${ref.lessonId}-participant-${ref.ownerId}.zip"`,
    });
    res.end(zip);
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal?.appCode === "UNAVAILABLE") return send(503, refusal.appCode, refusal.message);
    if (refusal) return send(getHTTPStatusCodeFromError(refusal), refusal.appCode, refusal.message);
    deps.logger.error({ err: error }, "project zip failed");
    send(500, "INTERNAL", "Internal server error");
  }
}
