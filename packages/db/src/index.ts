export { createDb, type Db, type CreateDbOptions } from "./create-db.js";
export { Role, LoadTestState, TesterState } from "./generated/enums.js";
export type * from "./generated/models.js";
export { Prisma } from "./generated/client.js";
export { PREPARED } from "./prepared-statements.js";
export { seedCourse, type SeedCourseOptions, type SeededCourse } from "./seed/seed-course.js";
