type MessageListener = ((event: MessageEvent) => void) | { handleEvent(event: MessageEvent): void };
// EventTarget's parameter types, which this package's libs (no DOM) do not name.
type Listener = Parameters<WebSocket["addEventListener"]>[1];
type AddOptions = Parameters<WebSocket["addEventListener"]>[2];
type RemoveOptions = Parameters<WebSocket["removeEventListener"]>[2];

/**
 * The `ws` package's `addEventListener("message")` decodes each text frame into a string once per
 * listener, and tRPC's client adds three message listeners to its socket. A 430 KB file listing
 * was decoded three times, which cost as much as parsing it. This subclass registers one listener
 * with `ws` and hands the same event to all of ours. Implementations without `ws`'s `on` (browsers,
 * whose WebSocket decodes once) are returned as they are.
 */
export function decodeTextOnce(Impl: typeof WebSocket): typeof WebSocket {
  if (typeof (Impl.prototype as { on?: unknown }).on !== "function") return Impl;
  return class extends Impl {
    #listeners: MessageListener[] | undefined;

    override addEventListener(type: string, listener: Listener, options?: AddOptions): void {
      const once = typeof options === "object" && options.once === true;
      if (type !== "message" || listener === null || once) {
        super.addEventListener(type, listener, options);
        return;
      }
      if (this.#listeners === undefined) {
        const listeners: MessageListener[] = (this.#listeners = []);
        super.addEventListener("message", (event: MessageEvent) => {
          // A copy: a listener may remove itself (or others) while the event is handed out.
          for (const each of [...listeners]) {
            if (typeof each === "function") each.call(this, event);
            else each.handleEvent(event);
          }
        });
      }
      const typed = listener as MessageListener;
      if (!this.#listeners.includes(typed)) this.#listeners.push(typed);
    }

    override removeEventListener(type: string, listener: Listener, options?: RemoveOptions): void {
      const index = type === "message" && this.#listeners !== undefined ? this.#listeners.indexOf(listener as MessageListener) : -1;
      if (index >= 0) this.#listeners?.splice(index, 1);
      else super.removeEventListener(type, listener, options);
    }
  } as typeof WebSocket;
}
