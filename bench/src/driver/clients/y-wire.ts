// The few lib0 encodings the Hocuspocus wire protocol needs (varuint, varstring, varbytes), so the
// bench client can speak it without a Y.Doc per receiver.

export function writeVarUint(out: number[], value: number): void {
  let n = value;
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  out.push(n);
}

export function writeVarBytes(out: number[], bytes: Uint8Array): void {
  writeVarUint(out, bytes.length);
  for (const byte of bytes) out.push(byte);
}

export function writeVarString(out: number[], text: string): void {
  writeVarBytes(out, Buffer.from(text, "utf8"));
}

export class WireReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  readVarUint(): number {
    let value = 0;
    let multiplier = 1;
    // A varuint of a 53-bit number has at most 8 bytes.
    for (let i = 0; i < 8 && this.pos < this.buf.length; i++) {
      const byte = this.buf[this.pos++] as number;
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 128;
    }
    return value;
  }

  readVarString(): string {
    const length = this.readVarUint();
    const text = this.buf.toString("utf8", this.pos, this.pos + length);
    this.pos += length;
    return text;
  }

  /** The unread rest as Latin-1 text (markers are ASCII, so they read back exactly). */
  restAsText(): string {
    return this.buf.toString("latin1", this.pos);
  }
}

/** Hocuspocus message types (server/src/types.ts) and y-protocols sync steps. */
export const HP = { sync: 0, awareness: 1, auth: 2, syncReply: 4 } as const;
export const SYNC = { step1: 0, step2: 1, update: 2 } as const;
export const AUTH = { token: 0, permissionDenied: 1, authenticated: 2 } as const;

export function hocuspocusMessage(documentName: string, write: (out: number[]) => void): Uint8Array {
  const out: number[] = [];
  writeVarString(out, documentName);
  write(out);
  return Uint8Array.from(out);
}
