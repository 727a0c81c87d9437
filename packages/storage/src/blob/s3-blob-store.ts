import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { comparePaths } from "../paths/compare-paths.js";
import { blobNotFound } from "./blob-not-found.js";
import type { BlobHead, BlobListItem, BlobPutOptions, BlobPutResult, BlobRange, BlobStore } from "./blob-store.js";
import { readAll } from "./read-all.js";
import { validateBlobKey } from "./validate-blob-key.js";

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, s3rver, R2…); AWS when unset. */
  endpoint?: string;
  /**
   * `https://host/bucket/key` instead of `https://bucket.host/key`; most S3-compatible servers
   * need it.
   * @default false
   */
  forcePathStyle?: boolean;
  /** Static credentials; the SDK's default provider chain when unset. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** A ready client (tests, custom middleware); the options above are then ignored. */
  client?: S3Client;
}

const SHA256_METADATA = "sha256";

/**
 * Blob store on S3 or any S3-compatible server. Each object carries its SHA-256 as metadata for
 * verification, and every upload sends Content-MD5 so S3 itself refuses a body damaged on the way.
 */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.client =
      options.client ??
      new S3Client({
        region: options.region,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        forcePathStyle: options.forcePathStyle ?? false,
        ...(options.credentials ? { credentials: options.credentials } : {}),
        // Newer SDKs add CRC checksums (aws-chunked trailers) to every request by default, which
        // several S3-compatible servers (s3rver among them) reject; Content-MD5 covers integrity.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      });
  }

  async put(key: string, body: Buffer | Readable, options: BlobPutOptions = {}): Promise<BlobPutResult> {
    validateBlobKey(key);
    // The checksum goes into headers sent before the body, so a stream is read whole first;
    // bodies here are bounded by the project limits.
    const bytes = Buffer.isBuffer(body) ? body : ((await readAll(body)) as Buffer);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentLength: bytes.length,
        ContentMD5: createHash("md5").update(bytes).digest("base64"),
        ContentType: options.contentType ?? "application/octet-stream",
        Metadata: { [SHA256_METADATA]: sha256 },
      }),
    );
    return { size: bytes.length, sha256 };
  }

  async get(key: string): Promise<Buffer> {
    const stream = await this.getStream(key);
    return (await readAll(stream)) as Buffer;
  }

  async getStream(key: string, range?: BlobRange): Promise<Readable> {
    validateBlobKey(key);
    if (range?.end !== undefined && range.end <= range.start) return Readable.from([]);
    try {
      const bytes = range === undefined ? undefined : `bytes=${range.start}-${range.end === undefined ? "" : range.end - 1}`;
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(bytes ? { Range: bytes } : {}) }));
      const body = result.Body;
      if (body instanceof Readable) return body;
      if (body === undefined) return Readable.from([]);
      return Readable.from(Buffer.from(await body.transformToByteArray()));
    } catch (error) {
      if (isNotFound(error)) throw blobNotFound(key, error);
      throw error;
    }
  }

  async head(key: string): Promise<BlobHead | null> {
    validateBlobKey(key);
    try {
      const result = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const sha256 = result.Metadata?.[SHA256_METADATA];
      return {
        size: result.ContentLength ?? 0,
        lastModified: result.LastModified ?? new Date(0),
        ...(sha256 ? { sha256 } : {}),
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async list(prefix: string): Promise<BlobListItem[]> {
    const items: BlobListItem[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        items.push({ key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return items.sort((a, b) => comparePaths(a.key, b.key));
  }

  async delete(key: string): Promise<void> {
    validateBlobKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** Closes the client's sockets. */
  destroy(): void {
    this.client.destroy();
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
}
