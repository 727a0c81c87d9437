import { ECSClient, RunTaskCommand, StopTaskCommand, type Failure, type RunTaskCommandInput } from "@aws-sdk/client-ecs";
import { assertLaunchRequest, type LaunchedTester, type LaunchRequest, type Launcher, type TesterSpec } from "./launcher.js";
import { testerEnvironment } from "./tester-environment.js";

/** RunTask starts at most 10 tasks per call. */
export const MAX_TASKS_PER_RUN_TASK = 10;

export interface EcsLauncherOptions {
  cluster: string;
  /** Family, family:revision or ARN of the tester task definition. */
  taskDefinition: string;
  /** The container in the task definition that runs the tester. */
  containerName: string;
  subnets: readonly string[];
  securityGroups: readonly string[];
  /**
   * Needed in public subnets without a NAT gateway, or the task cannot pull its image.
   * @default false
   */
  assignPublicIp?: boolean;
  /** @default "FARGATE" */
  capacityProvider?: "FARGATE" | "FARGATE_SPOT";
  region: string;
  /** Another ECS endpoint (tests, LocalStack). @default AWS's */
  endpoint?: string;
  /** @default the AWS SDK's credential chain */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Why tasks were stopped, as shown in the ECS console. @default "cohort load test ended" */
  stopReason?: string;
}

/** One problem ECS reported; `reason` is e.g. `RESOURCE:MEMORY` or `Capacity is unavailable at this time`. */
export interface EcsFailure {
  arn?: string;
  reason: string;
  detail?: string;
}

export class EcsLaunchError extends Error {
  override readonly name = "EcsLaunchError";
  constructor(
    message: string,
    readonly failures: readonly EcsFailure[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Runs testers as ECS tasks (Fargate or Fargate Spot), one tester per task, at most 10 tasks per
 * RunTask call. A call's tasks share one set of overrides, so each batch carries its testers' ids
 * in `COHORT_TESTER_IDS` and every task claims one at `tester.register`; testers are batched with
 * others of the same number of clients. The handles returned are the task ARNs, paired with the
 * batch's ids in order (the claim, not the pairing, decides which task is which tester).
 */
export class EcsLauncher implements Launcher {
  readonly #options: EcsLauncherOptions;
  readonly #client: ECSClient;

  constructor(options: EcsLauncherOptions) {
    if (options.subnets.length === 0) throw new TypeError("EcsLauncher needs at least one subnet (awsvpc networking)");
    this.#options = options;
    this.#client = new ECSClient({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  }

  async launch(request: LaunchRequest): Promise<LaunchedTester[]> {
    assertLaunchRequest(request);
    const launched: LaunchedTester[] = [];
    try {
      for (const batch of batchTesters(request.testers)) {
        launched.push(...(await this.#runBatch(request, batch)));
      }
    } catch (error) {
      // Tasks cost money and would wait for a start that never comes: stop those that started.
      await this.stop(launched.map((l) => l.handle)).catch(() => {});
      throw error;
    }
    return launched;
  }

  async stop(handles: readonly string[]): Promise<void> {
    const failed: EcsFailure[] = [];
    // A few at a time: hundreds of concurrent StopTask calls would only be throttled.
    for (let i = 0; i < handles.length; i += MAX_TASKS_PER_RUN_TASK) {
      const chunk = handles.slice(i, i + MAX_TASKS_PER_RUN_TASK);
      const results = await Promise.allSettled(
        chunk.map((task) =>
          this.#client.send(new StopTaskCommand({ cluster: this.#options.cluster, task, reason: this.#options.stopReason ?? "cohort load test ended" })),
        ),
      );
      results.forEach((result, j) => {
        if (result.status === "rejected") failed.push({ arn: chunk[j] as string, reason: (result.reason as Error).message });
      });
    }
    if (failed.length > 0) {
      throw new EcsLaunchError(`could not stop ${failed.length} of ${handles.length} tasks: ${failed.map(describeFailure).join("; ")}`, failed);
    }
  }

  /** The RunTask input for one batch (exposed for inspection; `launch` sends it). */
  runTaskInput(request: LaunchRequest, batch: readonly TesterSpec[]): RunTaskCommandInput {
    const { cluster, taskDefinition, containerName, subnets, securityGroups } = this.#options;
    const environment = testerEnvironment({ ...request, testerIds: batch.map((t) => t.testerId), clients: batch[0]?.clients ?? 0 });
    return {
      cluster,
      taskDefinition,
      count: batch.length,
      // A strategy, not `launchType`: ECS refuses both at once, and only a strategy can pick Spot.
      capacityProviderStrategy: [{ capacityProvider: this.#options.capacityProvider ?? "FARGATE", weight: 1 }],
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: [...subnets],
          securityGroups: [...securityGroups],
          assignPublicIp: this.#options.assignPublicIp ? "ENABLED" : "DISABLED",
        },
      },
      overrides: {
        containerOverrides: [{ name: containerName, environment: Object.entries(environment).map(([name, value]) => ({ name, value })) }],
      },
      tags: [{ key: "cohort-test-id", value: String(request.testId) }],
      startedBy: `cohort-${request.testId}`,
    };
  }

  async #runBatch(request: LaunchRequest, batch: readonly TesterSpec[]): Promise<LaunchedTester[]> {
    const output = await this.#client.send(new RunTaskCommand(this.runTaskInput(request, batch)));
    const arns = (output.tasks ?? []).flatMap((task) => (task.taskArn ? [task.taskArn] : []));
    const launched = arns.map((handle, i) => ({ testerId: (batch[i] as TesterSpec).testerId, handle }));
    const failures = (output.failures ?? []).map(toEcsFailure);
    if (failures.length > 0 || arns.length < batch.length) {
      await this.stop(arns).catch(() => {});
      const reasons = failures.length > 0 ? failures.map(describeFailure).join("; ") : `ECS started ${arns.length} of ${batch.length} tasks`;
      throw new EcsLaunchError(`ECS could not start tester tasks: ${reasons}`, failures);
    }
    return launched;
  }
}

/** Testers with the same number of clients, in chunks of at most 10 (in the order given). */
export function batchTesters(testers: readonly TesterSpec[]): TesterSpec[][] {
  const byClients = new Map<number, TesterSpec[]>();
  for (const tester of testers) {
    const group = byClients.get(tester.clients) ?? [];
    group.push(tester);
    byClients.set(tester.clients, group);
  }
  const batches: TesterSpec[][] = [];
  for (const group of byClients.values()) {
    for (let i = 0; i < group.length; i += MAX_TASKS_PER_RUN_TASK) batches.push(group.slice(i, i + MAX_TASKS_PER_RUN_TASK));
  }
  return batches;
}

function toEcsFailure(failure: Failure): EcsFailure {
  return {
    reason: failure.reason ?? "unknown reason",
    ...(failure.arn ? { arn: failure.arn } : {}),
    ...(failure.detail ? { detail: failure.detail } : {}),
  };
}

function describeFailure(failure: EcsFailure): string {
  return [failure.reason, failure.detail, failure.arn].filter(Boolean).join(" ");
}
