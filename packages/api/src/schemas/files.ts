import { z } from "zod";
import { zId, zTrace } from "./ids.js";
import { zPath } from "./path.js";

const project = { lessonId: zId, ownerId: zId };

export const zFilesListInput = z.object(project).strict();
export const zFilesReadInput = z.object({ ...project, path: zPath }).strict();
/** Paths one `files.readMany` call may name. */
export const maxReadManyPaths = 1000;
export const zFilesReadManyInput = z
  .object({
    ...project,
    paths: z
      .array(zPath)
      .min(1)
      .max(maxReadManyPaths)
      .superRefine((paths, ctx) => {
        const seen = new Set<string>();
        for (const [index, path] of paths.entries()) {
          if (seen.has(path)) ctx.addIssue({ code: "custom", path: [index], message: `duplicate path ${JSON.stringify(path.slice(0, 100))}` });
          seen.add(path);
        }
      })
      .optional(),
    /** The `nextCursor` of the previous page. */
    cursor: zPath.optional(),
  })
  .strict();
/** Content travels as UTF-8 text or base64; 14 MiB of base64 covers the largest allowed file. */
const zContent = z.string().max(14_000_000);
export const zEncoding = z.enum(["utf8", "base64"]);
export const zFilesCreateInput = z
  .object({ ...project, path: zPath, type: z.enum(["file", "directory"]), content: zContent.optional(), encoding: zEncoding.optional(), trace: zTrace.optional() })
  .strict();
export const zFilesWriteInput = z
  .object({ ...project, path: zPath, content: zContent, encoding: zEncoding.optional(), trace: zTrace.optional() })
  .strict();
export const zFilesRenameInput = z.object({ ...project, path: zPath, newPath: zPath, trace: zTrace.optional() }).strict();
export const zFilesDeleteInput = z.object({ ...project, path: zPath, trace: zTrace.optional() }).strict();
