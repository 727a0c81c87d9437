// Every presence key of a lesson shares the hash tag {l:<lessonId>} with the lesson's presence
// topic, so one Lua script can update the connection set and append to the log on Cluster.

export function presenceTopic(lessonId: number): string {
  return `{l:${lessonId}}:presence`;
}

/** ZSET of live connections: member "<participantId>|<instanceId>|<connectionId>", score = expiry (epoch ms, Redis clock). */
export function connectionsKey(prefix: string, lessonId: number): string {
  return `${prefix}{l:${lessonId}}:presence:conns`;
}

export function connectionMember({
  participantId,
  instanceId,
  connectionId,
}: {
  participantId: number;
  instanceId: string;
  connectionId: string;
}): string {
  return `${participantId}|${instanceId}|${connectionId}`;
}

export function assertId(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer, got ${value}`);
}
