import type { Readable } from "node:stream";
import type { BlobHead, BlobListItem, BlobPutOptions, BlobPutResult, BlobStore } from "../blob/blob-store.js";

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

  async getStream(key: string): Promise<Readable> {
    await this.hook("getStream", key);
    return this.inner.getStream(key);
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
