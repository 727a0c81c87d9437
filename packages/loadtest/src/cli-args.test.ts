import { describe, expect, it } from "vitest";
import { CliUsageError, parseCliArgs } from "./cli-args.js";

const env = { ADMIN_KEY: "env-admin-key-0123456789" };

function usageError(argv: string[], environment: Record<string, string | undefined> = env): CliUsageError {
  try {
    parseCliArgs(argv, environment);
  } catch (error) {
    if (error instanceof CliUsageError) return error;
    throw error;
  }
  throw new Error("parseCliArgs accepted the arguments");
}

describe("parseCliArgs", () => {
  it("runs the work item's command with the admin key from ADMIN_KEY and defaults for the rest", () => {
    const args = parseCliArgs(["--server", "ws://localhost:4000/trpc", "--clients", "50", "--duration", "60"], env);
    expect(args).toEqual({
      serverUrl: "ws://localhost:4000/trpc",
      testerUrl: "ws://localhost:4000/trpc",
      adminKey: "env-admin-key-0123456789",
      lessonId: undefined,
      clients: 50,
      durationSec: 60,
      targetParticipantId: undefined,
      launcher: "local",
      ratePerClient: 2,
      clientsPerTester: 50,
      maxP99Ms: undefined,
      deleteAfter: false,
    });
    expect(parseCliArgs(["--server", "ws://h/trpc"], env)).toMatchObject({ clients: 50, durationSec: 60 });
  });

  it("takes every flag", () => {
    const args = parseCliArgs(
      [
        "--server", "wss://cohort.example/trpc", "--admin-key", "flag-key", "--lesson", "12", "--clients", "200",
        "--duration", "30", "--target", "5", "--launcher", "ecs", "--rate", "2.5", "--clients-per-tester", "100",
        "--tester-url", "ws://10.0.0.2:4000/trpc", "--max-p99", "150.5", "--delete",
      ],
      env,
    );
    expect(args).toEqual({
      serverUrl: "wss://cohort.example/trpc",
      testerUrl: "ws://10.0.0.2:4000/trpc",
      adminKey: "flag-key",
      lessonId: 12,
      clients: 200,
      durationSec: 30,
      targetParticipantId: 5,
      launcher: "ecs",
      ratePerClient: 2.5,
      clientsPerTester: 100,
      maxP99Ms: 150.5,
      deleteAfter: true,
    });
  });

  it("turns an http(s) server URL into the WebSocket endpoint", () => {
    expect(parseCliArgs(["--server", "http://localhost:4000"], env).serverUrl).toBe("ws://localhost:4000/trpc");
    expect(parseCliArgs(["--server", "https://cohort.example/"], env).serverUrl).toBe("wss://cohort.example/trpc");
    expect(parseCliArgs(["--server", "https://cohort.example/api/trpc"], env).serverUrl).toBe("wss://cohort.example/api/trpc");
  });

  it("requires a server and an admin key (an empty ADMIN_KEY counts as unset)", () => {
    expect(usageError(["--clients", "5"]).message).toContain("--server is required");
    expect(usageError(["--server", "ws://h/trpc"], {}).message).toContain("no admin key: set ADMIN_KEY or pass --admin-key");
    expect(usageError(["--server", "ws://h/trpc"], { ADMIN_KEY: "" }).message).toContain("no admin key");
    expect(usageError(["--server", "ws://h/trpc"], {}).exitCode).toBe(2);
  });

  it.each([
    [["--clients", "0"], "--clients must be a positive integer"],
    [["--clients", "ten"], "--clients must be a positive integer"],
    [["--duration", "1.5"], "--duration must be a positive integer"],
    [["--duration", ""], "--duration must be a positive integer"],
    [["--lesson=-3"], "--lesson must be a positive integer"],
    [["--target", "1e3"], "--target must be a positive integer"],
    [["--clients-per-tester", "99999999999"], "--clients-per-tester is too large"],
    [["--launcher", "k8s"], "--launcher must be local or ecs"],
    [["--rate", "0"], "--rate must be a positive number"],
    [["--rate", "51"], "--rate must be at most 50"],
    [["--max-p99", "fast"], "--max-p99 must be a positive number"],
    [["--tester-url", "ftp://h"], '"ftp://h" is not an http(s) or ws(s) URL'],
  ])("refuses %j with a clear message", (extra, message) => {
    const error = usageError(["--server", "ws://h/trpc", ...extra]);
    expect(error.message).toContain(message);
    expect(error.message).toContain("usage: npm run loadtest");
    expect(error.exitCode).toBe(2);
  });

  it("lists every problem at once, and refuses unknown flags", () => {
    const message = usageError(["--server", "nope", "--clients", "x"], {}).message;
    expect(message).toContain('"nope" is not an http(s) or ws(s) URL');
    expect(message).toContain("--clients must be a positive integer");
    expect(message).toContain("no admin key");
    expect(usageError(["--server", "ws://h/trpc", "--lessons", "3"]).message).toMatch(/Unknown option '--lessons'/);
  });

  it("answers --help with the usage and exit code 0", () => {
    const error = usageError(["--help"], {});
    expect(error.exitCode).toBe(0);
    expect(error.message).toMatch(/^usage: npm run loadtest -- --server URL --clients N --duration SEC/);
  });
});
