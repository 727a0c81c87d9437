/** Permission bits a viewer has on a project (API.md, Permissions). */
export const READ = 4;
export const WRITE = 2;
export const EXEC = 1;
export const ALL = READ | WRITE | EXEC;

export type Role = "TEACHER" | "STUDENT";

/**
 * The effective permission of `viewer` on `owner`'s project. An explicit grant for the pair wins
 * over the role defaults; the owner always has every bit on their own project.
 */
export function effectivePermission(input: {
  viewer: { id: number; role: Role };
  owner: { id: number; role: Role };
  grant?: number | null;
}): number {
  if (input.viewer.id === input.owner.id) return ALL;
  if (input.grant !== undefined && input.grant !== null) return input.grant & ALL;
  if (input.viewer.role === "TEACHER" && input.owner.role === "STUDENT") return ALL;
  // Students, and co-teachers, may read a teacher's project (their worked examples).
  if (input.owner.role === "TEACHER") return READ;
  return 0;
}

/** Reading needs READ. */
export function canRead(permission: number): boolean {
  return (permission & READ) === READ;
}

/** Any change needs READ and WRITE — both bits, not `READ & WRITE` (which is 0: the old bug). */
export function canWrite(permission: number): boolean {
  return (permission & (READ | WRITE)) === (READ | WRITE);
}
