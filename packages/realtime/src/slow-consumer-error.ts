/**
 * Thrown by a log subscription whose consumer fell more than `maxBufferedPerSubscriber` live
 * events behind. The subscription has already released its resources; the client should
 * resubscribe with its last event id (it then catches up from the stream, not from memory).
 */
export class SlowConsumerError extends Error {
  readonly code = "SLOW_CONSUMER";
  readonly topic: string;
  readonly maxBuffered: number;

  constructor({ topic, maxBuffered }: { topic: string; maxBuffered: number }) {
    super(`Subscriber of "${topic}" fell more than ${maxBuffered} events behind`);
    this.name = "SlowConsumerError";
    this.topic = topic;
    this.maxBuffered = maxBuffered;
  }
}

export function isSlowConsumerError(error: unknown): error is SlowConsumerError {
  return error instanceof SlowConsumerError;
}
