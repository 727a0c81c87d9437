import { createHash } from "node:crypto";
import type { RedisClient } from "./redis-client.js";

type Arg = string | Buffer | number;

/**
 * A Lua script run with EVALSHA, falling back to EVAL once when the server does not have it
 * (first use, after a restart or SCRIPT FLUSH). The keys it touches must share a hash slot.
 */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  /** Runs the script; bulk replies come back as strings. */
  run(redis: RedisClient, keys: readonly string[], args: readonly Arg[] = []): Promise<unknown> {
    return this.call(redis, keys, args, false);
  }

  /** Runs the script; bulk replies come back as Buffers (binary file content). */
  runBuffer(redis: RedisClient, keys: readonly string[], args: readonly Arg[] = []): Promise<unknown> {
    return this.call(redis, keys, args, true);
  }

  private async call(redis: RedisClient, keys: readonly string[], args: readonly Arg[], buffers: boolean): Promise<unknown> {
    const send = (command: "EVALSHA" | "EVAL", script: string) => {
      // One array argument, not a spread: an import passes tens of thousands of arguments.
      const callArgs: Arg[] = [script, keys.length, ...keys];
      for (const arg of args) callArgs.push(arg);
      return buffers ? redis.callBuffer(command, callArgs) : redis.call(command, callArgs);
    };
    try {
      return await send("EVALSHA", this.sha);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return send("EVAL", this.source);
    }
  }
}
