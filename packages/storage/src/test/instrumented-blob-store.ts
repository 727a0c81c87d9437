import type { Readable } from "node:stream";
import type { BlobHead, BlobListItem, BlobPutOptions, BlobPutResult, BlobRange, BlobStore } from "../blob/blob-store.js";

type Method = "put" | "get" | "getStream" | "head" | "list" | "delete";

/**
 * A real blob store with hooks: counts calls, and lets a test run code inside a call or make
 * one fail (an upload that breaks, a head that lies), to exercise failure paths for real.
 */
export class InstrumentedBlobStore implements BlobStore {
  readonly calls: Record<Method, string[]> = { put: [], get: [], getStream: [], head: [], list: [], delete: [] };
  /** Runs before the inner call; throw to make the call fail. */
  before: Partial<Record<Method, (key: string) => Promise<void> | void>> = {};
  /** Rewrites what `head` returns. */
  rewriteHead: ((key: string, head: BlobHead | null) => BlobHead | null) | undefined;

  constructor(readonly inner: BlobStore) {}

  async put(key: string, body: Buffer | Readable, options?: BlobPutOptions): Promise<BlobPutResult> {
    await this.hook("put", key);
    return this.inner.put(key, body, options);
  }

  async get(key: string): Promise<Buffer> {
    await this.hook("get", key);
    return this.inner.get(key);
  }

  /** Recorded as the key, or `key@start-end` for a range. */
  async getStream(key: string, range?: BlobRange): Promise<Readable> {
    await this.hook("getStream", range === undefined ? key : `${key}@${range.start}-${range.end ?? ""}`);
    return this.inner.getStream(key, range);
  }

  /**
   * How many times archives under `prefix` were opened for reading: a zip read by ranges starts
   * with its tail, the one range that ends exactly at the object's end.
   */
  async archiveOpens(prefix: string): Promise<number> {
    const sizes = new Map<string, number | undefined>();
    let opens = 0;
    for (const call of this.calls.getStream) {
      const [key, range] = call.split("@") as [string, string | undefined];
      if (!key.startsWith(prefix) || range === undefined) continue;
      if (!sizes.has(key)) sizes.set(key, (await this.inner.head(key))?.size);
      if (range.endsWith(`-${sizes.get(key)}`)) opens++;
    }
    return opens;
  }

  async head(key: string): Promise<BlobHead | null> {
    await this.hook("head", key);
    const head = await this.inner.head(key);
    return this.rewriteHead ? this.rewriteHead(key, head) : head;
  }

  async list(prefix: string): Promise<BlobListItem[]> {
    await this.hook("list", prefix);
    return this.inner.list(prefix);
  }

  async delete(key: string): Promise<void> {
    await this.hook("delete", key);
    return this.inner.delete(key);
  }

  private async hook(method: Method, key: string): Promise<void> {
    this.calls[method].push(key);
    await this.before[method]?.(key);
  }
}
