import path from "node:path";
import { LocalBlobStore, S3BlobStore, writeProjectZip, type BlobStore, type TreeEntry } from "@cohort/storage";
import { repoRoot } from "./load-env.js";

export const DEMO_TEMPLATE_KEY = "templates/demo-lesson-1.zip";

// A 1×1 PNG: a real binary file, so backups and restores are seen to keep bytes exact.
const PIXEL_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** A small but real lesson template: nested folders, UTF-8 names, a binary file, an empty directory. */
export function demoTemplateEntries(): TreeEntry[] {
  const text = (s: string) => Buffer.from(s, "utf8");
  return [
    { path: "README.md", type: "file", content: text("# Lesson 1: Variables\n\nOpen `src/main.py` and follow the comments.\n") },
    { path: "src", type: "directory" },
    { path: "src/main.py", type: "file", content: text('# Store your name in a variable, then greet yourself.\nname = "Ada"\nprint(f"Hello, {name}!")\n') },
    { path: "src/utils", type: "directory" },
    { path: "src/utils/helpers.py", type: "file", content: text("def shout(text):\n    return text.upper() + '!'\n") },
    { path: "données", type: "directory" },
    { path: "données/élèves.csv", type: "file", content: text("prénom,âge\nZoë,14\nJosé,15\n") },
    { path: "assets", type: "directory" },
    { path: "assets/pixel.png", type: "file", content: PIXEL_PNG },
    { path: "homework", type: "directory" },
  ];
}

/** The blob store the server will use, from the same variables (S3 with a bucket, else a folder). */
export function blobStoreFromEnv(env: Record<string, string>): BlobStore {
  if (env.S3_BUCKET) {
    return new S3BlobStore({
      bucket: env.S3_BUCKET,
      region: env.S3_REGION ?? "us-east-1",
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE === "true",
      credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
    });
  }
  return new LocalBlobStore({ dir: path.resolve(repoRoot, env.BLOB_DIR ?? ".data/blobs") });
}

/** Uploads the demo template zip and returns its key. */
export async function uploadDemoTemplate(env: Record<string, string>): Promise<string> {
  const zip = await writeProjectZip(demoTemplateEntries());
  await blobStoreFromEnv(env).put(DEMO_TEMPLATE_KEY, zip, { contentType: "application/zip" });
  return DEMO_TEMPLATE_KEY;
}
