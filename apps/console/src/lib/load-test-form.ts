import { z } from "zod";
import type { CreateLoadTestInput } from "~/trpc/types";

// Mirrors loadtest.create's input schema (zCreateLoadTestInput in packages/api, zScenario in
// @cohort/loadtest; neither is client-safe to import) so the form can say what is wrong before a
// round trip; the server validates again. Two checks keep the copy honest: the assignment at the
// bottom fails the typecheck if the shapes drift, and load-test-form.test.ts compares every bound
// with the JSON Schema the API reference generates from the server's zod schema.

export const EVENT_KINDS = ["cursor", "edit", "save", "open", "list", "comment", "question"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** The event mix of the system Cohort replaces (per 100 events). */
export const DEFAULT_WEIGHTS: Readonly<Record<EventKind, number>> = {
  cursor: 40,
  edit: 30,
  save: 10,
  open: 10,
  list: 7,
  comment: 2.5,
  question: 0.5,
};
export const DEFAULT_RATE_PER_CLIENT = 2;
export const MAX_RATE_PER_CLIENT = 50;

const zWeight = z.number({ error: "a number" }).finite().min(0, "0 or more");

export const zLoadTestForm = z.object({
  lessonId: z.number({ error: "pick a lesson" }).int().positive("pick a lesson").max(2_147_483_647),
  serverUrl: z.url({ protocol: /^wss?$/, error: "a ws:// or wss:// URL" }).max(2_048),
  clients: z.number({ error: "a whole number" }).int("a whole number").min(1, "at least 1").max(2_000, "at most 2 000"),
  targetParticipantId: z.number().int().positive("a participant id").max(2_147_483_647).optional(),
  launcher: z.enum(["local", "ecs"]),
  durationSec: z.number({ error: "seconds" }).int("whole seconds").min(5, "at least 5 s").max(3_600, "at most 1 h (extend while it runs)"),
  clientsPerTester: z.number({ error: "a whole number" }).int("a whole number").min(1, "at least 1").max(500, "at most 500"),
  scenario: z.object({
    ratePerClient: z.number({ error: "a number" }).positive("above 0").max(MAX_RATE_PER_CLIENT, `at most ${MAX_RATE_PER_CLIENT}/s`),
    weights: z
      .strictObject(Object.fromEntries(EVENT_KINDS.map((k) => [k, zWeight])) as Record<EventKind, typeof zWeight>)
      .refine((w) => Object.values(w).some((v) => v > 0), { message: "at least one weight must be above 0" }),
  }),
});
export type LoadTestFormValues = z.output<typeof zLoadTestForm>;

// Every value the form produces must be a valid loadtest.create input, type-wise.
export const toCreateInput = (values: LoadTestFormValues): CreateLoadTestInput => values;

/** What the inputs hold (strings), before parsing. */
export interface LoadTestFormDraft {
  lessonId: string;
  serverUrl: string;
  clients: string;
  targetParticipantId: string;
  launcher: "local" | "ecs";
  durationSec: string;
  clientsPerTester: string;
  ratePerClient: string;
  weights: Record<EventKind, string>;
}

export function defaultDraft(serverUrl: string, lessonId?: number): LoadTestFormDraft {
  return {
    lessonId: lessonId ? String(lessonId) : "",
    serverUrl,
    clients: "20",
    targetParticipantId: "",
    launcher: "local",
    durationSec: "30",
    clientsPerTester: "50",
    ratePerClient: String(DEFAULT_RATE_PER_CLIENT),
    weights: Object.fromEntries(EVENT_KINDS.map((k) => [k, String(DEFAULT_WEIGHTS[k])])) as Record<EventKind, string>,
  };
}

const toNumber = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

/** Parses the draft; errors are keyed by field path ("clients", "scenario.weights.edit", …). */
export function parseDraft(draft: LoadTestFormDraft): { ok: true; value: LoadTestFormValues } | { ok: false; errors: Record<string, string> } {
  const parsed = zLoadTestForm.safeParse({
    lessonId: toNumber(draft.lessonId),
    serverUrl: draft.serverUrl.trim(),
    clients: toNumber(draft.clients),
    targetParticipantId: draft.targetParticipantId.trim() === "" ? undefined : toNumber(draft.targetParticipantId),
    launcher: draft.launcher,
    durationSec: toNumber(draft.durationSec),
    clientsPerTester: toNumber(draft.clientsPerTester),
    scenario: {
      ratePerClient: toNumber(draft.ratePerClient),
      weights: Object.fromEntries(EVENT_KINDS.map((k) => [k, toNumber(draft.weights[k])])),
    },
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.join(".") || "form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}
