import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@cohort/api";
import type { CohortApi } from "./create-client.js";

/** One file as `files.read` and `files.readMany` give it: text as UTF-8, anything else base64. */
export type ProjectFile = inferRouterOutputs<AppRouter>["files"]["readMany"]["files"][number];

export interface ReadProjectInput {
  lessonId: number;
  ownerId: number;
  /** Only these files (at most 1000, each a file); every file of the project when omitted. */
  paths?: string[];
}

/**
 * Every file of a project (or the named ones) in path order, with as few calls as the server's
 * page bounds allow: `files.readMany`, following `nextCursor` until the last page.
 */
export async function readProject(api: CohortApi, { lessonId, ownerId, paths }: ReadProjectInput): Promise<ProjectFile[]> {
  const files: ProjectFile[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.files.readMany.query({ lessonId, ownerId, ...(paths ? { paths } : {}), ...(cursor === undefined ? {} : { cursor }) });
    files.push(...page.files);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return files;
}
