export { RedisEventLog, type AppendTarget, type SubscribeOptions } from "./redis-event-log.js";
export { APPEND_EVENTS_LUA } from "./lua/append-events.js";
export { eventLogDefaults, type RedisEventLogOptions } from "./event-log-options.js";
export type { LogSink, LogSubscription } from "./log-subscription.js";
export { isResetItem, type LogItem, type ResetEvent } from "./log-item.js";
export { SlowConsumerError, isSlowConsumerError } from "./slow-consumer-error.js";
export { compareStreamIds, isStreamId, normalizeStreamId, ZERO_STREAM_ID } from "./stream-id.js";
export type { RedisClient } from "./redis-client.js";
export {
  RedisPresence,
  type PresenceChange,
  type PresenceEvent,
  type PresenceItem,
  type PresenceSnapshot,
} from "./redis-presence.js";
export { presenceDefaults, type RedisPresenceOptions } from "./presence-options.js";
export { presenceTopic } from "./presence-keys.js";
export { RedisTokenBuckets, type TokenBucketLimit } from "./redis-token-buckets.js";
