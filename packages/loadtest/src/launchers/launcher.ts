/** One tester to start: an id the server knows and how many virtual clients it runs. */
export interface TesterSpec {
  testerId: string;
  clients: number;
}

export interface LaunchRequest {
  testId: number;
  testers: readonly TesterSpec[];
  /** Where testers connect, e.g. `ws://10.0.0.5:4000/trpc`. */
  serverUrl: string;
  /** The per-test token testers authenticate with. */
  testToken: string;
}

export interface LaunchedTester {
  testerId: string;
  /** Launcher-specific, opaque to callers: a pid for local testers, a task ARN on ECS. */
  handle: string;
}

/** Starts and stops tester processes somewhere (this machine, ECS, …). */
export interface Launcher {
  /** Resolves once every tester is started; rejects (having stopped any it started) otherwise. */
  launch(request: LaunchRequest): Promise<LaunchedTester[]>;
  /** Stops testers by handle; unknown or already stopped handles are ignored. */
  stop(handles: readonly string[]): Promise<void>;
}

/** Checks what every launcher relies on; throws a TypeError naming the first problem. */
export function assertLaunchRequest(request: LaunchRequest): void {
  if (!Number.isInteger(request.testId) || request.testId <= 0) throw new TypeError(`testId must be a positive integer, got ${request.testId}`);
  if (!request.serverUrl) throw new TypeError("serverUrl is required");
  if (!request.testToken) throw new TypeError("testToken is required");
  const seen = new Set<string>();
  for (const { testerId, clients } of request.testers) {
    // Ids travel in a comma-separated variable (see testerEnvironment), so keep them plain.
    if (!/^[A-Za-z0-9_.:-]+$/.test(testerId)) throw new TypeError(`testerId ${JSON.stringify(testerId)} must match [A-Za-z0-9_.:-]+`);
    if (seen.has(testerId)) throw new TypeError(`testerId ${testerId} appears twice`);
    seen.add(testerId);
    if (!Number.isInteger(clients) || clients < 0) throw new TypeError(`tester ${testerId}: clients must be a non-negative integer, got ${clients}`);
  }
}
