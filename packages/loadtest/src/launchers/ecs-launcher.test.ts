import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { batchTesters, EcsLauncher, EcsLaunchError, type EcsLauncherOptions } from "./ecs-launcher.js";

const TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";

interface Received {
  action: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** Answers one RunTask call: the tasks to report and the failures. */
type RunTaskBehaviour = (body: { count: number }, call: number) => { started: number; failures?: Record<string, string>[] };

/** A stand-in for the ECS JSON API (awsJson1_1): POST /, action in x-amz-target, JSON both ways. */
function startFakeEcs() {
  const received: Received[] = [];
  let runTask: RunTaskBehaviour = ({ count }) => ({ started: count });
  let refuseStop = new Set<string>();
  let nextTask = 1;
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const action = String(req.headers["x-amz-target"] ?? "").replace(TARGET_PREFIX, "");
      const body = JSON.parse(raw || "{}") as Record<string, unknown>;
      received.push({ action, headers: req.headers, body });
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== "POST" || req.url !== "/") return reply(404, { __type: "UnknownOperationException" });
      if (action === "RunTask") {
        const calls = received.filter((r) => r.action === "RunTask").length;
        const { started, failures = [] } = runTask(body as { count: number }, calls);
        const tasks = Array.from({ length: started }, () => ({
          taskArn: `arn:aws:ecs:eu-west-1:123456789012:task/cohort/${nextTask++}`,
          lastStatus: "PROVISIONING",
        }));
        return reply(200, { tasks, failures });
      }
      if (action === "StopTask") {
        if (refuseStop.has(body.task as string)) return reply(400, { __type: "InvalidParameterException", message: "The referenced task was not found." });
        return reply(200, { task: { taskArn: body.task, lastStatus: "STOPPED" } });
      }
      reply(400, { __type: "UnknownOperationException", message: action });
    });
  });
  return {
    server,
    received,
    setRunTask: (behaviour: RunTaskBehaviour) => (runTask = behaviour),
    setRefuseStop: (arns: string[]) => (refuseStop = new Set(arns)),
    reset() {
      received.length = 0;
      runTask = ({ count }) => ({ started: count });
      refuseStop = new Set();
    },
  };
}

const ecs = startFakeEcs();
let options: EcsLauncherOptions;
const request = { testId: 42, serverUrl: "wss://cohort.example/trpc", testToken: "tok" };
const testers = (n: number, clients = 8) => Array.from({ length: n }, (_, i) => ({ testerId: `tester-${i + 1}`, clients }));
const envOf = (body: Record<string, unknown>) => {
  const overrides = body.overrides as { containerOverrides: { name: string; environment: { name: string; value: string }[] }[] };
  return Object.fromEntries((overrides.containerOverrides[0]?.environment ?? []).map((e) => [e.name, e.value]));
};

beforeAll(async () => {
  await new Promise<void>((resolve) => ecs.server.listen(0, "127.0.0.1", resolve));
  const { port } = ecs.server.address() as AddressInfo;
  options = {
    cluster: "cohort-testers",
    taskDefinition: "cohort-tester:3",
    containerName: "tester",
    subnets: ["subnet-a", "subnet-b"],
    securityGroups: ["sg-1"],
    assignPublicIp: true,
    capacityProvider: "FARGATE_SPOT",
    region: "eu-west-1",
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
  };
});

afterAll(async () => {
  await new Promise((resolve) => ecs.server.close(resolve));
});

beforeEach(() => ecs.reset());

describe("EcsLauncher.launch", () => {
  it("starts 25 testers in RunTask calls of 10, 10 and 5, speaking the ECS JSON protocol", async () => {
    const launched = await new EcsLauncher(options).launch({ ...request, testers: testers(25) });

    const calls = ecs.received.filter((r) => r.action === "RunTask");
    expect(calls.map((c) => c.body.count)).toEqual([10, 10, 5]);
    for (const call of calls) {
      expect(call.headers["content-type"]).toBe("application/x-amz-json-1.1");
      expect(call.headers["x-amz-target"]).toBe(`${TARGET_PREFIX}RunTask`);
      expect(call.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/ecs\/aws4_request/);
      expect(call.body).toMatchObject({
        cluster: "cohort-testers",
        taskDefinition: "cohort-tester:3",
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"], assignPublicIp: "ENABLED" } },
        tags: [{ key: "cohort-test-id", value: "42" }],
        startedBy: "cohort-42",
      });
      expect(call.body.launchType).toBeUndefined();
      const overrides = call.body.overrides as { containerOverrides: { name: string }[] };
      expect(overrides.containerOverrides).toHaveLength(1);
      expect(overrides.containerOverrides[0]?.name).toBe("tester");
    }
    expect(envOf(calls[0]?.body ?? {})).toEqual({
      COHORT_TEST_ID: "42",
      COHORT_TESTER_IDS: testers(10).map((t) => t.testerId).join(","),
      COHORT_SERVER_URL: "wss://cohort.example/trpc",
      COHORT_TEST_TOKEN: "tok",
      COHORT_CLIENTS: "8",
    });
    expect(envOf(calls[2]?.body ?? {}).COHORT_TESTER_IDS).toBe("tester-21,tester-22,tester-23,tester-24,tester-25");

    expect(launched).toHaveLength(25);
    expect(launched[0]).toEqual({ testerId: "tester-1", handle: "arn:aws:ecs:eu-west-1:123456789012:task/cohort/1" });
    expect(new Set(launched.map((l) => l.handle)).size).toBe(25);
  });

  it("batches testers with different client counts apart; a batch of one names its tester", async () => {
    await new EcsLauncher({ ...options, capacityProvider: undefined, assignPublicIp: undefined }).launch({
      ...request,
      testers: [
        { testerId: "a", clients: 5 },
        { testerId: "b", clients: 3 },
        { testerId: "c", clients: 5 },
      ],
    });
    const calls = ecs.received.filter((r) => r.action === "RunTask");
    expect(calls.map((c) => [c.body.count, envOf(c.body).COHORT_TESTER_IDS, envOf(c.body).COHORT_CLIENTS])).toEqual([
      [2, "a,c", "5"],
      [1, "b", "3"],
    ]);
    expect(envOf(calls[1]?.body ?? {}).COHORT_TESTER_ID).toBe("b");
    expect(envOf(calls[0]?.body ?? {}).COHORT_TESTER_ID).toBeUndefined();
    expect(calls[0]?.body).toMatchObject({
      capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
      networkConfiguration: { awsvpcConfiguration: { assignPublicIp: "DISABLED" } },
    });
  });

  it("rejects with ECS's reasons when RunTask reports failures, and stops the tasks already started", async () => {
    ecs.setRunTask(({ count }, call) =>
      call === 1
        ? { started: count }
        : { started: 1, failures: [{ arn: "arn:aws:ecs:eu-west-1:123456789012:container-instance/x", reason: "RESOURCE:MEMORY", detail: "no room" }] },
    );
    const launching = new EcsLauncher(options).launch({ ...request, testers: testers(13) });
    await expect(launching).rejects.toThrow(EcsLaunchError);
    await launching.catch((error: EcsLaunchError) => {
      expect(error.message).toMatch(/ECS could not start tester tasks: RESOURCE:MEMORY no room/);
      expect(error.failures).toEqual([{ arn: "arn:aws:ecs:eu-west-1:123456789012:container-instance/x", reason: "RESOURCE:MEMORY", detail: "no room" }]);
    });
    const stopped = ecs.received.filter((r) => r.action === "StopTask").map((r) => r.body.task);
    // The 10 of the first call and the 1 the failed call did start.
    expect(stopped).toHaveLength(11);
    expect(ecs.received.filter((r) => r.action === "StopTask").every((r) => r.body.cluster === "cohort-testers")).toBe(true);
  });

  it("rejects when ECS starts fewer tasks than asked without saying why", async () => {
    ecs.setRunTask(() => ({ started: 0 }));
    await expect(new EcsLauncher(options).launch({ ...request, testers: testers(2) })).rejects.toThrow(/started 0 of 2 tasks/);
  });
});

describe("EcsLauncher.stop", () => {
  it("stops each task by ARN with a reason", async () => {
    await new EcsLauncher({ ...options, stopReason: "test 42 over" }).stop(["arn:t1", "arn:t2"]);
    const calls = ecs.received.filter((r) => r.action === "StopTask");
    expect(calls.map((c) => c.body)).toEqual([
      { cluster: "cohort-testers", task: "arn:t1", reason: "test 42 over" },
      { cluster: "cohort-testers", task: "arn:t2", reason: "test 42 over" },
    ]);
    expect(calls[0]?.headers["x-amz-target"]).toBe(`${TARGET_PREFIX}StopTask`);
  });

  it("tries every task and then reports the ones ECS refused", async () => {
    ecs.setRefuseStop(["arn:gone"]);
    await expect(new EcsLauncher(options).stop(["arn:ok", "arn:gone"])).rejects.toThrow(/could not stop 1 of 2 tasks: .*task was not found.* arn:gone/);
    expect(ecs.received.filter((r) => r.action === "StopTask")).toHaveLength(2);
  });
});

describe("batchTesters", () => {
  it("chunks by 10 within groups of equal clients, keeping order", () => {
    expect(batchTesters(testers(25)).map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batchTesters([])).toEqual([]);
  });
});
