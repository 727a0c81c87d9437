import type { Readable } from "node:stream";
import { ZipFile } from "yazl";

/** A zip of the given files (deflated), as a lesson template is uploaded. */
export async function buildZip(files: readonly { path: string; content: Buffer | string }[]): Promise<Buffer> {
  const zip = new ZipFile();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    const output = zip.outputStream as Readable;
    output.on("data", (chunk: Buffer) => chunks.push(chunk));
    output.on("end", () => resolve(Buffer.concat(chunks)));
    output.on("error", reject);
  });
  for (const file of files) zip.addBuffer(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content), file.path);
  zip.end();
  return done;
}

/** Source-like text that does not compress to nothing: seeded words, so every run builds the same bytes. */
export function sourceText(bytes: number, seed: number): string {
  const words = ["def", "return", "value", "index", "print", "for", "in", "range", "if", "else", "while", "class", "self", "data", "result", "=", "+", "(", ")", ":"];
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word = next() < 0.08 ? "\n    " : `${words[Math.floor(next() * words.length)]}${Math.floor(next() * 1000)} `;
    parts.push(word);
    length += word.length;
  }
  return parts.join("").slice(0, bytes);
}
