import type { LuaScript } from "./lua-script.js";
import { mapScriptError } from "./map-script-error.js";
import type { RedisClient } from "./redis-client.js";

type Args = readonly (string | number | Buffer)[];

/** Runs a project script, turning its `STORAGE …` failures into StorageErrors. */
export async function runScript(redis: RedisClient, script: LuaScript, keys: readonly string[], args: Args = []): Promise<unknown> {
  try {
    return await script.run(redis, keys, args);
  } catch (error) {
    throw mapScriptError(error);
  }
}

/** Like {@link runScript}, with bulk replies as Buffers (binary file content). */
export async function runScriptBuffer(redis: RedisClient, script: LuaScript, keys: readonly string[], args: Args = []): Promise<unknown> {
  try {
    return await script.runBuffer(redis, keys, args);
  } catch (error) {
    throw mapScriptError(error);
  }
}
