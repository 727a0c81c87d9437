/** A WebSocket that opens when told to and records what is sent (only what tRPC's client uses). */
export class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static last: FakeSocket | undefined;
  readyState = FakeSocket.CONNECTING;
  readonly sent: unknown[] = [];
  readonly #listeners = new Map<string, Set<(event: unknown) => void>>();

  constructor(readonly url: string) {
    FakeSocket.last = this;
  }

  addEventListener(type: string, listener: (event: unknown) => void) {
    const set = this.#listeners.get(type) ?? new Set();
    set.add(listener);
    this.#listeners.set(type, set);
  }

  removeEventListener(type: string, listener: (event: unknown) => void) {
    this.#listeners.get(type)?.delete(listener);
  }

  send(data: string) {
    this.sent.push(JSON.parse(data));
  }

  close() {
    this.readyState = FakeSocket.CLOSING;
    // As a real socket: the close event comes later, after whoever closed it is listening.
    setImmediate(() => {
      this.readyState = FakeSocket.CLOSED;
      for (const listener of this.#listeners.get("close") ?? []) listener({ code: 1000 });
    });
  }

  /** Answers every request sent so far, as a server would (so the client can close). */
  answerAll() {
    const requests = this.sent.flatMap((frame) => (Array.isArray(frame) ? frame : [frame])) as { id: number }[];
    for (const { id } of requests) {
      for (const listener of this.#listeners.get("message") ?? []) listener({ data: JSON.stringify({ id, result: { type: "data", data: null } }) });
    }
  }

  /** A frame from the server, as text. */
  receiveRaw(data: string) {
    for (const listener of this.#listeners.get("message") ?? []) listener({ data });
  }

  /** A frame from the server. */
  receive(message: unknown) {
    for (const listener of this.#listeners.get("message") ?? []) listener({ data: JSON.stringify(message) });
  }

  /** The server went away: tRPC's client reconnects (with a new socket). */
  drop(code = 1006) {
    this.readyState = FakeSocket.CLOSED;
    for (const listener of this.#listeners.get("close") ?? []) listener({ code });
  }

  open() {
    this.readyState = FakeSocket.OPEN;
    for (const listener of this.#listeners.get("open") ?? []) listener({});
  }
}

export const microtasks = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
export const timers = () => new Promise((resolve) => setTimeout(resolve, 5));

