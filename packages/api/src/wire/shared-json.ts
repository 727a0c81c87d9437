/**
 * JSON encoded once and reused by every connection that sends the same object. A project event is
 * delivered to every watcher of the project, and stringifying it once per watcher was a large
 * part of the fan-out cost. Only objects registered here are cached, and they must not change
 * after registration (events from the log are shared by every subscriber and never mutated).
 */
const cache = new WeakMap<object, string | null>();

/** Registers `value` for shared encoding; `json` when it is already known. Returns `value`. */
export function shareJson<T extends object>(value: T, json?: string): T {
  if (json !== undefined) cache.set(value, json);
  else if (!cache.has(value)) cache.set(value, null); // encoded on first use
  return value;
}

/** The JSON of a registered object (encoded on first use), or undefined for any other value. */
export function sharedJson(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const cached = cache.get(value);
  if (cached === undefined) return undefined;
  if (cached !== null) return cached;
  const json = JSON.stringify(value);
  cache.set(value, json);
  return json;
}
