import { router } from "../../trpc.js";
import { onMonitorEvent } from "./on-monitor-event.js";
import { listInstances } from "./list-instances.js";

export const monitorRouter = router({
  watch: onMonitorEvent,
  instances: listInstances,
});
