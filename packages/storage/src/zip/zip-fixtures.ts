// Builders of real and hostile zip archives for tests (yazl refuses to write hostile names, so
// those are written with a same-length placeholder and patched).
import { Readable } from "node:stream";
import { ZipFile, type Options } from "yazl";
import { readAll } from "../blob/read-all.js";

export interface FixtureEntry {
  name: string;
  content?: Buffer;
  directory?: boolean;
  options?: Partial<Options>;
}

export async function buildZip(entries: FixtureEntry[], { comment }: { comment?: string } = {}): Promise<Buffer> {
  const zip = new ZipFile();
  const output = readAll(zip.outputStream as Readable);
  for (const entry of entries) {
    if (entry.directory) zip.addEmptyDirectory(entry.name);
    else zip.addBuffer(entry.content ?? Buffer.alloc(0), entry.name, entry.options);
  }
  zip.end(comment === undefined ? undefined : { comment, forceZip64Format: false });
  return (await output) as Buffer;
}

/** A zip whose one entry inflates from a stream (never held whole in memory). */
export async function buildStreamedZip(name: string, chunks: () => Iterable<Buffer>, size: number): Promise<Buffer> {
  const zip = new ZipFile();
  const output = readAll(zip.outputStream as Readable);
  zip.addReadStream(Readable.from(chunks()), name, { size, compress: true });
  zip.end();
  return (await output) as Buffer;
}

/** Replaces every occurrence of `from` (local header and central directory) by `to`. */
export function patchBytes(zip: Buffer, from: string | Buffer, to: string | Buffer): Buffer {
  const a = Buffer.isBuffer(from) ? from : Buffer.from(from);
  const b = Buffer.isBuffer(to) ? to : Buffer.from(to);
  if (a.length !== b.length) throw new Error("patch must keep the length");
  const copy = Buffer.from(zip);
  let index = copy.indexOf(a);
  if (index === -1) throw new Error("nothing to patch");
  while (index !== -1) {
    b.copy(copy, index);
    index = copy.indexOf(a, index + b.length);
  }
  return copy;
}

/** Offsets of each central directory record. */
export function centralRecords(zip: Buffer): number[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const records: number[] = [];
  for (let i = 0; i < count; i++) {
    records.push(offset);
    offset += 46 + zip.readUInt16LE(offset + 28) + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return records;
}

/** Rewrites fields of the n-th central directory record. */
export function patchCentralRecord(
  zip: Buffer,
  index: number,
  fields: { flags?: number; uncompressedSize?: number; externalAttributes?: number },
): Buffer {
  const copy = Buffer.from(zip);
  const offset = centralRecords(copy)[index];
  if (offset === undefined) throw new Error(`no record ${index}`);
  if (fields.flags !== undefined) copy.writeUInt16LE(fields.flags, offset + 8);
  if (fields.uncompressedSize !== undefined) copy.writeUInt32LE(fields.uncompressedSize, offset + 24);
  if (fields.externalAttributes !== undefined) copy.writeUInt32LE(fields.externalAttributes >>> 0, offset + 38);
  return copy;
}
