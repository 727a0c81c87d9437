import type { Socket } from "node:net";

/**
 * Holds the writes to a socket until the end of the current event-loop turn and then flushes them
 * together. One edit fans out to every watcher, and a watcher often gets several frames in one
 * turn (events, acks, pongs); without this each frame is its own `writev` syscall, which was the
 * largest single cost of a fan-out in the profiles. Waiting for `setImmediate` delays a frame by
 * at most the rest of the turn the server is already busy with.
 */
export class SocketCorker {
  readonly #held = new Set<Socket>();

  /** Corks `socket` before a write; true for the first write of this turn (nothing of it is held yet). */
  hold(socket: Socket): boolean {
    if (this.#held.has(socket)) return false;
    if (this.#held.size === 0) setImmediate(this.#flush);
    socket.cork();
    this.#held.add(socket);
    return true;
  }

  readonly #flush = (): void => {
    for (const socket of this.#held) if (!socket.destroyed) socket.uncork();
    this.#held.clear();
  };
}
