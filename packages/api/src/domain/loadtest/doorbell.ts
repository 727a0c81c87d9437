/**
 * Turns a subscription into a doorbell: each call waits until something arrives, `pollMs` passes
 * (in case a ring was missed), or `signal` aborts; it resolves false only on abort. Callers then
 * re-read the truth (the database) instead of trusting what rang.
 */
export function doorbell(subscription: AsyncIterator<unknown>, { signal, pollMs }: { signal: AbortSignal | undefined; pollMs: number }) {
  let pending: Promise<IteratorResult<unknown>> | null = null;
  let ended = false;
  return async function waitForRing(): Promise<boolean> {
    if (signal?.aborted) return false;
    if (!ended) pending ??= subscription.next().catch(() => ({ done: true, value: undefined }));
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const outcomes: Promise<"poll" | "abort" | IteratorResult<unknown>>[] = [
      new Promise((resolve) => (timer = setTimeout(() => resolve("poll"), pollMs))),
      new Promise((resolve) => {
        onAbort = () => resolve("abort");
        signal?.addEventListener("abort", onAbort, { once: true });
      }),
    ];
    if (pending) outcomes.push(pending);
    const outcome = await Promise.race(outcomes);
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    if (outcome === "abort") return false;
    if (outcome !== "poll") {
      pending = null;
      // The subscription is over (e.g. Redis away): keep going on polls alone.
      if (outcome.done) ended = true;
    }
    return true;
  };
}
