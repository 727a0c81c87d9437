import { z } from "zod";

/** What a virtual client can do; one latency histogram is kept per kind. */
export const EVENT_KINDS = ["cursor", "edit", "save", "open", "list", "comment", "question"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** The event mix of the system Cohort replaces, so results stay comparable with its history. */
export const DEFAULT_WEIGHTS: Readonly<Record<EventKind, number>> = Object.freeze({
  cursor: 40,
  edit: 30,
  save: 10,
  open: 10,
  list: 7,
  comment: 2.5,
  question: 0.5,
});

/** Events per second each virtual client sends by default. */
export const DEFAULT_RATE_PER_CLIENT = 2;
/** Above this a single client is no longer a plausible person typing. */
export const MAX_RATE_PER_CLIENT = 50;

const zWeight = z.number().finite().min(0);

/**
 * Every kind must be named: a partial mix would be ambiguous (zero, or the default?), and a typo
 * such as `questions` is refused instead of silently ignored.
 */
export const zWeights = z
  .strictObject({
    cursor: zWeight,
    edit: zWeight,
    save: zWeight,
    open: zWeight,
    list: zWeight,
    comment: zWeight,
    question: zWeight,
  })
  .refine((weights) => Object.values(weights).some((w) => w > 0), { message: "at least one weight must be above 0" });

export const zScenario = z.object({
  /** Events per second per virtual client. */
  ratePerClient: z.number().positive().max(MAX_RATE_PER_CLIENT).default(DEFAULT_RATE_PER_CLIENT),
  weights: zWeights.default({ ...DEFAULT_WEIGHTS }),
});

export type Scenario = z.output<typeof zScenario>;
export type ScenarioInput = z.input<typeof zScenario>;

/** The scenario of the replaced system: 2 events/s per client with its event mix. */
export const defaultScenario: Scenario = zScenario.parse({});
