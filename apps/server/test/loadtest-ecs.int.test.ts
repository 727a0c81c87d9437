import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCourse, type SeededCourse } from "@cohort/db";
import { DEFAULT_WEIGHTS } from "@cohort/loadtest";
import { closeAllClients, connectAdmin, startTestApp, type StartedApp } from "./support/test-app.js";
import { testDb } from "./support/test-db.js";
import { refusal } from "./support/classroom.js";
import { waitFor } from "./support/wait-for.js";
import { closeTesterClients, connectTester } from "./support/load-tests.js";

/** A stand-in for the ECS JSON API (POST /, action in x-amz-target) that records what it is asked. */
function startFakeEcs() {
  const calls: { action: string; body: Record<string, unknown> }[] = [];
  let failNext = false;
  let task = 0;
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const action = String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
      const body = JSON.parse(raw || "{}") as Record<string, unknown>;
      calls.push({ action, body });
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      if (action === "RunTask" && failNext) {
        res.end(JSON.stringify({ tasks: [], failures: [{ reason: "Capacity is unavailable at this time", arn: "arn:aws:ecs:::capacity" }] }));
        return;
      }
      if (action === "RunTask") {
        const count = body.count as number;
        res.end(JSON.stringify({ tasks: Array.from({ length: count }, () => ({ taskArn: `arn:aws:ecs:eu-west-1:1:task/testers/${++task}` })) }));
        return;
      }
      res.end(JSON.stringify({ task: { taskArn: body.task, lastStatus: "STOPPED" } }));
    });
  });
  return { server, calls, failNextRunTask: () => (failNext = true) };
}

const ecs = startFakeEcs();
let server: StartedApp;
let course: SeededCourse;

beforeAll(async () => {
  await new Promise<void>((resolve) => ecs.server.listen(0, "127.0.0.1", resolve));
  const { port } = ecs.server.address() as AddressInfo;
  // The AWS SDK signs every request, so it needs some credentials (the fake does not check them).
  process.env.AWS_ACCESS_KEY_ID ??= "test";
  process.env.AWS_SECRET_ACCESS_KEY ??= "test";
  server = await startTestApp({
    ECS_CLUSTER: "cohort-testers",
    ECS_TASK_DEFINITION: "cohort-tester:7",
    ECS_CONTAINER_NAME: "tester",
    ECS_SUBNETS: "subnet-a, subnet-b",
    ECS_SECURITY_GROUPS: "sg-1",
    ECS_CAPACITY_PROVIDER: "FARGATE_SPOT",
    ECS_REGION: "eu-west-1",
    ECS_ENDPOINT: `http://127.0.0.1:${port}`,
  });
  course = await seedCourse(await testDb(), { students: 1, tag: "loadtest-ecs" });
});
afterAll(async () => {
  await closeTesterClients();
  await closeAllClients();
  await server.close();
  await new Promise<void>((resolve) => ecs.server.close(() => resolve()));
});

/** The environment a RunTask request gives the tester container. */
function runTaskEnvironment(body: Record<string, unknown>): Record<string, string | undefined> {
  const { containerOverrides } = body.overrides as { containerOverrides: { name: string; environment: { name: string; value: string }[] }[] };
  return Object.fromEntries(containerOverrides[0]!.environment.map((e) => [e.name, e.value]));
}

/** The task ARNs among `arns` that the fake ECS was asked to stop, once per request. */
function stoppedTasks(arns: readonly (string | null)[]): string[] {
  return ecs.calls.flatMap((c) => (c.action === "StopTask" && arns.includes(c.body.task as string) ? [c.body.task as string] : []));
}

const input = (clients: number) => ({
  lessonId: course.lessonId,
  serverUrl: "wss://cohort.example/trpc",
  clients,
  clientsPerTester: 1,
  launcher: "ecs" as const,
  scenario: { ratePerClient: 2, weights: { ...DEFAULT_WEIGHTS } },
  durationSec: 60,
});

describe("the ECS launcher, as configured from the environment", () => {
  it("runs testers as Fargate Spot tasks in batches of 10, and stops them with the test", async () => {
    const admin = connectAdmin(server.wsUrl);
    const test = await admin.api.loadtest.create.mutate(input(12));
    const started = await admin.api.loadtest.start.mutate({ testId: test.id });
    const runs = ecs.calls.filter((c) => c.action === "RunTask");
    expect(runs.map((r) => r.body.count)).toEqual([10, 2]);
    expect(runs[0]!.body).toMatchObject({
      cluster: "cohort-testers",
      taskDefinition: "cohort-tester:7",
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"], assignPublicIp: "DISABLED" } },
      tags: [{ key: "cohort-test-id", value: String(test.id) }],
    });
    const environment = runTaskEnvironment(runs[0]!.body);
    expect(environment).toMatchObject({ COHORT_TEST_ID: String(test.id), COHORT_SERVER_URL: "wss://cohort.example/trpc", COHORT_CLIENTS: "1" });
    expect(environment.COHORT_TESTER_IDS!.split(",")).toHaveLength(10);
    expect(environment.COHORT_TEST_TOKEN!.length).toBeGreaterThan(20);
    expect(started.testers.every((t) => t.handle?.startsWith("arn:aws:ecs:"))).toBe(true);

    await admin.api.loadtest.stop.mutate({ testId: test.id });
    const arns = started.testers.map((t) => t.handle);
    await waitFor(() => stoppedTasks(arns).length === 12, { what: "every task stopped" });
    expect(stoppedTasks(arns).sort()).toEqual([...arns].sort());
    expect(ecs.calls.find((c) => c.action === "StopTask")!.body).toMatchObject({ cluster: "cohort-testers" });
  });

  it("stops every task of a running test that is deleted", async () => {
    const admin = connectAdmin(server.wsUrl);
    const test = await admin.api.loadtest.create.mutate(input(3));
    const started = await admin.api.loadtest.start.mutate({ testId: test.id });
    const arns = started.testers.map((t) => t.handle);
    expect(arns).toHaveLength(3);
    // The tasks' testers come up as ECS would start them: with the token and ids RunTask passed.
    const run = ecs.calls.find((c) => c.action === "RunTask" && JSON.stringify(c.body.tags).includes(`"value":"${test.id}"`))!;
    const environment = runTaskEnvironment(run.body);
    const tester = connectTester(server.wsUrl, test.id, environment.COHORT_TEST_TOKEN!);
    for (const testerId of environment.COHORT_TESTER_IDS!.split(",")) {
      await tester.api.tester.register.mutate({ testId: test.id, testerId });
      tester.api.tester.awaitStart.subscribe({ testId: test.id, testerId }, {});
    }
    await waitFor(async () => (await admin.api.loadtest.get.query({ testId: test.id })).state === "running", { what: "the test running" });
    expect(stoppedTasks(arns)).toEqual([]);

    await admin.api.loadtest.delete.mutate({ testId: test.id });
    await waitFor(() => stoppedTasks(arns).length === 3, { what: "every task of the deleted test stopped" });
    expect(stoppedTasks(arns).sort()).toEqual([...arns].sort());
    expect(await refusal(admin.api.loadtest.get.query({ testId: test.id }))).toMatchObject({ appCode: "TEST_NOT_FOUND" });
  });

  it("shows the admin why ECS could not start the testers", async () => {
    const admin = connectAdmin(server.wsUrl);
    const test = await admin.api.loadtest.create.mutate(input(2));
    ecs.failNextRunTask();
    expect(await refusal(admin.api.loadtest.start.mutate({ testId: test.id }))).toMatchObject({
      appCode: "LAUNCH_FAILED",
      message: expect.stringContaining("Capacity is unavailable at this time"),
    });
    const failed = await admin.api.loadtest.get.query({ testId: test.id });
    expect(failed.state).toBe("failed");
    expect(failed.error).toContain("Capacity is unavailable at this time");
    expect(failed.testers.map((t) => t.error)).toEqual([failed.error, failed.error]);
  });
});
