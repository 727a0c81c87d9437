import type { Readable } from "node:stream";

/**
 * Collects a stream into one Buffer. With `maxBytes`, stops reading (and destroys the stream) as
 * soon as more arrived, returning `null`, so a hostile upload cannot fill memory.
 */
export async function readAll(stream: Readable, maxBytes = Number.POSITIVE_INFINITY): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += bytes.length;
    if (size > maxBytes) {
      stream.destroy();
      return null;
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}
