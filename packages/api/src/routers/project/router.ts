import { router } from "../../trpc.js";
import { getAccess } from "./get-access.js";
import { setPermissions } from "./set-permissions.js";
import { onProjectEvent } from "./on-project-event.js";
import { pingProject } from "./ping-project.js";
import { backupProject } from "./backup-project.js";

export const projectRouter = router({
  access: getAccess,
  setPermissions,
  watch: onProjectEvent,
  ping: pingProject,
  backup: backupProject,
});
