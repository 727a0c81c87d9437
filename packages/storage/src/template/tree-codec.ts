import { StorageError, type TemplateInvalidReason } from "../errors.js";
import type { TreeEntry } from "../tree-entry.js";

// One Redis string per cached template: a tag byte, then either a tree (header length, JSON
// header of [path, type, size], contents back to back) or a refusal (JSON), so a template that
// fails is not unpacked again by every joiner either.
const TREE = 0x54; // "T"
const REFUSAL = 0x45; // "E"

type Header = [path: string, type: TreeEntry["type"], size: number][];

export function encodeTree(entries: readonly TreeEntry[]): Buffer {
  const header: Header = entries.map((e) => [e.path, e.type, e.type === "file" ? (e.content?.length ?? 0) : 0]);
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(5);
  prefix.writeUInt8(TREE, 0);
  prefix.writeUInt32BE(json.length, 1);
  return Buffer.concat([prefix, json, ...entries.flatMap((e) => (e.type === "file" && e.content ? [e.content] : []))]);
}

export function encodeRefusal(error: StorageError): Buffer {
  return Buffer.concat([Buffer.from([REFUSAL]), Buffer.from(JSON.stringify({ reason: error.reason, message: error.message }))]);
}

/**
 * @throws StorageError `TEMPLATE_INVALID` when the cached value is a refusal
 */
export function decodeTree(value: Buffer): TreeEntry[] {
  if (value[0] === REFUSAL) {
    const { reason, message } = JSON.parse(value.subarray(1).toString()) as { reason: TemplateInvalidReason; message: string };
    throw new StorageError("TEMPLATE_INVALID", message, { reason });
  }
  if (value[0] !== TREE) throw new Error("Unknown cached template format");
  const headerLength = value.readUInt32BE(1);
  const header = JSON.parse(value.subarray(5, 5 + headerLength).toString()) as Header;
  let offset = 5 + headerLength;
  return header.map(([path, type, size]) => {
    if (type === "directory") return { path, type };
    const content = value.subarray(offset, offset + size);
    offset += size;
    return { path, type, content };
  });
}
