import { createHash, randomUUID } from "node:crypto";
import { mkdir, open, readFile, readdir, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { StorageError } from "../errors.js";
import { comparePaths } from "../paths/compare-paths.js";
import { blobNotFound } from "./blob-not-found.js";
import type { BlobHead, BlobListItem, BlobPutOptions, BlobPutResult, BlobRange, BlobStore } from "./blob-store.js";
import { validateBlobKey } from "./validate-blob-key.js";

export interface LocalBlobStoreOptions {
  /** Folder holding the blobs (created on first write); each key is a plain file under it. */
  dir: string;
}

// Sidecar metadata and in-flight writes live in these top-level folders, so keys may not use them.
const META_DIR = ".meta";
const TMP_DIR = ".tmp";

interface Sidecar {
  size: number;
  sha256: string;
  /** Inode of the data file it describes: a sidecar left over from an older object never matches. */
  ino: number;
  contentType?: string;
}

/**
 * Blob store on the local disk, the default when no bucket is configured. Objects are plain files
 * (a template zip can be dropped in by hand); a write goes to a temp file that is fsynced and
 * renamed into place, so readers see the old object or the new one, never a torn one.
 */
export class LocalBlobStore implements BlobStore {
  readonly dir: string;

  constructor({ dir }: LocalBlobStoreOptions) {
    this.dir = path.resolve(dir);
  }

  async put(key: string, body: Buffer | Readable, options: BlobPutOptions = {}): Promise<BlobPutResult> {
    const target = this.dataPath(key);
    const tmpDir = path.join(this.dir, TMP_DIR);
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomUUID());
    const hash = createHash("sha256");
    let size = 0;
    try {
      const handle = await open(tmp, "wx");
      try {
        for await (const chunk of Buffer.isBuffer(body) ? [body] : body) {
          const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
          hash.update(bytes);
          size += bytes.length;
          await handle.write(bytes);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest("hex");
      const { ino } = await stat(tmp);
      const sidecar: Sidecar = { size, sha256, ino, ...(options.contentType ? { contentType: options.contentType } : {}) };
      const metaTmp = `${tmp}.json`;
      await writeWhole(metaTmp, JSON.stringify(sidecar));
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tmp, target);
      const metaTarget = this.metaPath(key);
      await mkdir(path.dirname(metaTarget), { recursive: true });
      await rename(metaTmp, metaTarget);
      return { size, sha256 };
    } catch (error) {
      await Promise.all([unlink(tmp).catch(ignore), unlink(`${tmp}.json`).catch(ignore)]);
      throw error;
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.dataPath(key));
    } catch (error) {
      throw notFoundOr(error, key);
    }
  }

  async getStream(key: string, range?: BlobRange): Promise<Readable> {
    // Open first so a missing key fails here rather than later on the stream.
    const handle = await open(this.dataPath(key), "r").catch((error: unknown) => {
      throw notFoundOr(error, key);
    });
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw blobNotFound(key);
    }
    if (range === undefined) return handle.createReadStream();
    // createReadStream's end is inclusive; an empty range reads nothing.
    if (range.end !== undefined && range.end <= range.start) {
      await handle.close();
      return Readable.from([]);
    }
    return handle.createReadStream({ start: range.start, ...(range.end !== undefined ? { end: range.end - 1 } : {}) });
  }

  async head(key: string): Promise<BlobHead | null> {
    const file = this.dataPath(key);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const sidecar = await readSidecar(this.metaPath(key));
    const matches = sidecar !== null && sidecar.ino === info.ino && sidecar.size === info.size;
    return { size: info.size, lastModified: info.mtime, ...(matches ? { sha256: sidecar.sha256 } : {}) };
  }

  async list(prefix: string): Promise<BlobListItem[]> {
    const dirPart = prefix.slice(0, prefix.lastIndexOf("/") + 1);
    if (dirPart !== "") validateBlobKey(dirPart.slice(0, -1));
    const items: BlobListItem[] = [];
    await this.walk(dirPart, prefix, items);
    return items.sort((a, b) => comparePaths(a.key, b.key));
  }

  async delete(key: string): Promise<void> {
    await Promise.all([unlink(this.dataPath(key)).catch(ignoreMissing), unlink(this.metaPath(key)).catch(ignoreMissing)]);
  }

  private async walk(keyDir: string, prefix: string, items: BlobListItem[]): Promise<void> {
    const entries = await readdir(path.join(this.dir, ...keyDir.split("/")), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (keyDir === "" && (entry.name === META_DIR || entry.name === TMP_DIR)) continue;
      const key = `${keyDir}${entry.name}`;
      if (entry.isDirectory()) {
        // Descend only where keys can still match the prefix.
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) await this.walk(`${key}/`, prefix, items);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        const info = await stat(path.join(this.dir, ...key.split("/"))).catch(() => null);
        if (info) items.push({ key, size: info.size, lastModified: info.mtime });
      }
    }
  }

  private dataPath(key: string): string {
    validateBlobKey(key);
    const top = key.split("/", 1)[0];
    if (top === META_DIR || top === TMP_DIR) {
      throw new StorageError("INVALID_PATH", `Invalid blob key: ${top}/ is reserved by the local blob store`);
    }
    return path.join(this.dir, ...key.split("/"));
  }

  private metaPath(key: string): string {
    return path.join(this.dir, META_DIR, ...`${key}.json`.split("/"));
  }
}

async function writeWhole(file: string, text: string): Promise<void> {
  const handle = await open(file, "wx");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readSidecar(file: string): Promise<Sidecar | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as Sidecar;
  } catch {
    return null;
  }
}

function notFoundOr(error: unknown, key: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR" ? blobNotFound(key, error) : error;
}

function ignore(): void {}

function ignoreMissing(error: unknown): void {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
}
