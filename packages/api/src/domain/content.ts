import { AppError } from "../errors.js";
import { fromBase64 } from "./base64.js";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Text files are sent as UTF-8; anything else (images, archives) as base64, byte for byte. */
export function encodeContent(content: Buffer): { encoding: "utf8" | "base64"; content: string } {
  try {
    return { encoding: "utf8", content: strictUtf8.decode(content) };
  } catch {
    return { encoding: "base64", content: content.toString("base64") };
  }
}

export function decodeContent(content: string, encoding: "utf8" | "base64" = "utf8"): Buffer {
  if (encoding === "utf8") return Buffer.from(content, "utf8");
  const bytes = fromBase64(content);
  if (!bytes) throw new AppError("INVALID_INPUT", "content is not valid base64");
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The file's text, or an error when it is not UTF-8 (binary files are not live documents). */
export function textOf(content: Buffer): string {
  try {
    return strictUtf8.decode(content);
  } catch {
    throw new AppError("INVALID_UPDATE", "This file is binary; it cannot be edited as text");
  }
}
