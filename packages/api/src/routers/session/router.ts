import { z } from "zod";
import { publicProcedure, router } from "../../trpc.js";

export const sessionRouter = router({
  me: publicProcedure.query(({ ctx }) => ({
    userId: ctx.principal.kind === "user" ? ctx.principal.userId : null,
    isAdmin: ctx.principal.kind === "admin",
  })),

  /** NTP-style sample; the SDK keeps the offset of the sample with the smallest round trip. */
  timeSync: publicProcedure
    .input(z.object({ t0: z.number().finite() }).strict())
    .mutation(({ input, ctx }) => {
      const serverReceive = ctx.deps.now();
      return { t0: input.t0, serverReceive, serverSend: ctx.deps.now() };
    }),
});
