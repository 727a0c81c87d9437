import { zScenario } from "@cohort/loadtest";
import { z } from "zod";
import { zId } from "../../schemas/ids.js";

export const zTestInput = z.object({ testId: zId }).strict();

export const zCreateLoadTestInput = z
  .object({
    lessonId: zId,
    /** Where the testers connect, e.g. `ws://10.0.0.5:4000/trpc` (this server, or another one). */
    serverUrl: z.url({ protocol: /^wss?$/, error: "serverUrl must be a ws:// or wss:// URL" }).max(2_048),
    /** Virtual clients in all. */
    clients: z.number().int().min(1).max(2_000),
    /** Participant whose project every virtual client works in; each works in its own without. */
    targetParticipantId: zId.optional(),
    launcher: z.enum(["local", "ecs"]),
    scenario: zScenario,
    durationSec: z.number().int().min(5).max(3_600),
    /** Virtual clients per tester process. */
    clientsPerTester: z.number().int().min(1).max(500).default(50),
  })
  .strict();
export type TCreateLoadTestInput = z.infer<typeof zCreateLoadTestInput>;

export const zExtendLoadTestInput = z.object({ testId: zId, addSec: z.number().int().min(1).max(3_600) }).strict();

export const zListLoadTestsInput = z.object({ lessonId: zId.optional() }).strict().optional();
