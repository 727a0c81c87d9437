/**
 * Yields the items of `source` as they come and, every `everyMs`, what `beat` returns, until
 * `signal` aborts or the source ends. One pending read at a time: nothing queues up unboundedly.
 */
export async function* withHeartbeats<T, H>(
  source: AsyncIterator<T>,
  beat: () => Promise<readonly H[]>,
  { everyMs, signal }: { everyMs: number; signal: AbortSignal | undefined },
): AsyncGenerator<{ item: T } | { beat: H }, void, undefined> {
  let pending: Promise<IteratorResult<T>> | null = null;
  let nextBeatAt = 0;
  while (!signal?.aborted) {
    if (Date.now() >= nextBeatAt) {
      for (const h of await beat()) yield { beat: h };
      nextBeatAt = Date.now() + everyMs;
    }
    pending ??= source.next();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const outcome = await Promise.race([
      pending,
      new Promise<"beat">((resolve) => (timer = setTimeout(() => resolve("beat"), Math.max(0, nextBeatAt - Date.now())))),
      new Promise<"abort">((resolve) => {
        onAbort = () => resolve("abort");
        signal?.addEventListener("abort", onAbort, { once: true });
      }),
    ]);
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    if (outcome === "abort") return;
    if (outcome === "beat") continue;
    pending = null;
    if (outcome.done) return;
    yield { item: outcome.value };
  }
}
