// Client-safe zod schemas (no Prisma, Redis or AWS imports): the `@cohort/api/schemas` entry.
export * from "./ids.js";
export * from "./project.js";
export * from "./events.js";
export * from "./files.js";
export * from "./path.js";
export * from "./edits.js";
export * from "./qna.js";
