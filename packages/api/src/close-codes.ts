/** WebSocket close codes Cohort uses; 4000-4999 are free for applications (RFC 6455 §7.4.2). */
export const CloseCode = {
  /** Credentials missing, malformed, expired or wrongly signed. Do not retry with the same token. */
  Unauthorized: 4401,
  /** Authenticated but not allowed on this endpoint. */
  Forbidden: 4403,
  /** The connection did not authenticate in time. */
  AuthTimeout: 4408,
  /** A frame exceeded the size limit. */
  MessageTooBig: 1009,
  /** The client does not read fast enough; its buffered output passed the limit. */
  SlowConsumer: 4429,
  /** Authentication could not be checked (database or introspection endpoint unreachable); retry later. */
  TryAgainLater: 1013,
  /** Server is shutting down; reconnect (to another instance). */
  GoingAway: 1001,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
