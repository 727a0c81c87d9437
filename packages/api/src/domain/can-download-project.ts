import type { ProjectAccess } from "./project-access.js";
import { canRead } from "./permission-bits.js";

/** A project's zip goes to its owner and to teachers who may read it (not to other students). */
export function canDownloadProject(access: ProjectAccess): boolean {
  if (access.viewer.id === access.owner.id) return true;
  return access.viewer.role === "TEACHER" && canRead(access.permission);
}
