// Event-log topics. The part in braces is the Redis Cluster hash tag: a project's topic shares its
// files' tag, so a script may touch both on one node.

export const projectTag = (lessonId: number, ownerId: number) => `{l:${lessonId}:p:${ownerId}}`;

export const topics = {
  project: (lessonId: number, ownerId: number) => `${projectTag(lessonId, ownerId)}:events`,
  inbox: (lessonId: number, participantId: number) => `{l:${lessonId}}:inbox:${participantId}`,
  acl: (lessonId: number) => `{l:${lessonId}}:acl`,
  monitor: (lessonId: number) => `{l:${lessonId}}:monitor`,
};
