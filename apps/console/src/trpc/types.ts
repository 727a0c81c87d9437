// Types of what the console exchanges with Cohort, inferred from the router (type-only import).
import type { TRPCClient } from "@trpc/client";
import type { AppRouter } from "@cohort/api";

type Api = TRPCClient<AppRouter>;
type QueryOutput<P extends { query: (...args: never[]) => Promise<unknown> }> = Awaited<ReturnType<P["query"]>>;
// `.subscribe` is overloaded; the last overload (no callbacks) returns an async iterator of events.
type SubscriptionEvent<P extends { subscribe: (...args: never[]) => unknown }> =
  ReturnType<P["subscribe"]> extends AsyncIterableIterator<infer D> ? D : never;

export type LessonSummary = QueryOutput<Api["lesson"]["list"]>[number];
export type LoadTest = QueryOutput<Api["loadtest"]["get"]>;
export type LoadTestState = LoadTest["state"];
export type Tester = LoadTest["testers"][number];
export type TesterState = Tester["state"];
export type LoadTestResults = QueryOutput<Api["loadtest"]["results"]>;
export type LatencyRow = LoadTestResults["latency"][number];
export type CreateLoadTestInput = Parameters<Api["loadtest"]["create"]["mutate"]>[0];
export type LoadTestWatchEvent = SubscriptionEvent<Api["loadtest"]["watch"]>;
export type LiveSecond = Extract<LoadTestWatchEvent, { type: "second" }>;
export type MonitorEvent = SubscriptionEvent<Api["monitor"]["watch"]>;
export type InstanceBeat = Extract<MonitorEvent, { type: "instance" }>;
export type MonitorTrace = Extract<MonitorEvent, { type: "trace" }>;

// A subscription whose event type failed to infer would be `never` and silently accept anything.
type Present<T> = [T] extends [never] ? false : true;
type Assert<T extends true> = T;
export type InferenceChecks = [
  Assert<Present<LoadTestWatchEvent>>,
  Assert<Present<LiveSecond>>,
  Assert<Present<InstanceBeat>>,
  Assert<Present<MonitorTrace>>,
];
