import { adminProcedure } from "../../trpc.js";
import { AppError } from "../../errors.js";

/** Server instances that sent a heartbeat in the last few seconds, with connections and message rates. */
export const listInstances = adminProcedure.query(async ({ ctx }) => {
  if (!ctx.deps.monitor) throw new AppError("UNAVAILABLE", "Monitoring is not set up on this server");
  return ctx.deps.monitor.instances();
});
