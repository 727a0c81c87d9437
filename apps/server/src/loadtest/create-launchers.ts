import { createRequire } from "node:module";
import path from "node:path";
import type { Launchers, Logger } from "@cohort/api";
import { EcsLauncher, LocalLauncher, type TesterExit } from "@cohort/loadtest";
import type { ServerEnv } from "../env.js";

/**
 * The launchers the environment configures: local (default on) and ECS (when a cluster is set).
 * `onTesterExit` hears of every local tester process that ends.
 */
export function createLaunchers(env: ServerEnv, { logger, onTesterExit }: { logger: Logger; onTesterExit: (exit: TesterExit) => void }): Launchers {
  const launchers: Launchers = {};
  if (env.LOADTEST_LOCAL_LAUNCHER) {
    const packaged = defaultTesterScript();
    const script = env.LOADTEST_TESTER_SCRIPT ? path.resolve(env.LOADTEST_TESTER_SCRIPT) : packaged;
    launchers.local = new LocalLauncher({
      command: [process.execPath, "--import", "tsx", script],
      // Only PATH is passed on: testers must not inherit the server's secrets.
      env: env.TESTER_PROCESS_ENV,
      // From the loadtest package Node finds tsx in the workspace's node_modules.
      cwd: path.dirname(packaged),
      stdio: env.LOADTEST_LOCAL_STDIO,
      onExit: (exit) => {
        logger.info({ ...exit }, "tester process exited");
        onTesterExit(exit);
      },
    });
  }
  if (env.ECS_CLUSTER && env.ECS_TASK_DEFINITION) {
    launchers.ecs = new EcsLauncher({
      cluster: env.ECS_CLUSTER,
      taskDefinition: env.ECS_TASK_DEFINITION,
      containerName: env.ECS_CONTAINER_NAME,
      subnets: env.ECS_SUBNETS,
      securityGroups: env.ECS_SECURITY_GROUPS,
      capacityProvider: env.ECS_CAPACITY_PROVIDER,
      assignPublicIp: env.ECS_ASSIGN_PUBLIC_IP,
      region: env.ECS_REGION,
      ...(env.ECS_ENDPOINT ? { endpoint: env.ECS_ENDPOINT } : {}),
    });
  }
  return launchers;
}

/** packages/loadtest/src/tester-main.ts, wherever the workspace is. */
function defaultTesterScript(): string {
  const entry = createRequire(import.meta.url).resolve("@cohort/loadtest");
  return path.join(path.dirname(entry), "tester-main.ts");
}
