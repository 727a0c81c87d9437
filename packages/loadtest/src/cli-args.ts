import { parseArgs } from "node:util";
import { z } from "zod";
import { DEFAULT_RATE_PER_CLIENT, MAX_RATE_PER_CLIENT } from "./scenario.js";

export const CLI_USAGE =
  "usage: npm run loadtest -- --server URL --clients N --duration SEC [--target ID] [--launcher local|ecs]\n" +
  "         [--lesson ID] [--admin-key KEY (default: $ADMIN_KEY)] [--rate N] [--clients-per-tester N]\n" +
  "         [--tester-url WS_URL] [--max-p99 MS] [--delete]\n" +
  "  URL: ws://host:4000/trpc, or http://host:4000 (the /trpc WebSocket path is added).\n" +
  "  Without --lesson the most recent active lesson is loaded (and named).";

/** What the load-test CLI was asked to do. */
export interface CliArgs {
  /** WebSocket URL of the tRPC endpoint the CLI talks to. */
  serverUrl: string;
  /** WebSocket URL testers connect to (defaults to `serverUrl`). */
  testerUrl: string;
  adminKey: string;
  /** Absent: the CLI picks one (see pick-lesson.ts). */
  lessonId: number | undefined;
  clients: number;
  durationSec: number;
  targetParticipantId: number | undefined;
  launcher: "local" | "ecs";
  ratePerClient: number;
  clientsPerTester: number;
  maxP99Ms: number | undefined;
  deleteAfter: boolean;
}

/** A command line the CLI cannot run; `exitCode` 0 for `--help`. */
export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: 0 | 2 = 2,
  ) {
    super(message);
    this.name = "CliUsageError";
  }
}

/**
 * Accepts what people type: a ws(s) URL as is, an http(s) URL as the same host's WebSocket, with
 * `/trpc` added when no path is given (the server serves tRPC there).
 */
function toWebSocketUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol === "http:") url.protocol = "ws:";
  else if (url.protocol === "https:") url.protocol = "wss:";
  else if (url.protocol !== "ws:" && url.protocol !== "wss:") throw new Error("not an http(s) or ws(s) URL");
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/trpc";
  return url.toString();
}

const zUrl = z.string().transform((raw, ctx) => {
  try {
    return toWebSocketUrl(raw);
  } catch {
    ctx.addIssue({ code: "custom", message: `"${raw}" is not an http(s) or ws(s) URL` });
    return z.NEVER;
  }
});
// Flags arrive as strings; a number flag must be all digits (Number("") is 0, Number("1e3") 1000).
const zInt = (what: string) =>
  z
    .string()
    .regex(/^\d+$/, `${what} must be a positive integer`)
    .transform(Number)
    .pipe(z.number().int().positive(`${what} must be a positive integer`).max(2_147_483_647, `${what} is too large`));
const zPositive = (what: string, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, `${what} must be a positive number`)
    .transform(Number)
    .pipe(z.number().positive(`${what} must be a positive number`).max(max, `${what} must be at most ${max}`));

const zValues = z.object({
  server: z.string({ error: "--server is required" }).pipe(zUrl),
  "tester-url": zUrl.optional(),
  "admin-key": z.string({ error: "no admin key: set ADMIN_KEY or pass --admin-key" }).min(1, "the admin key is empty"),
  lesson: zInt("--lesson").optional(),
  clients: zInt("--clients"),
  duration: zInt("--duration"),
  target: zInt("--target").optional(),
  launcher: z.enum(["local", "ecs"], { error: "--launcher must be local or ecs" }),
  rate: zPositive("--rate", MAX_RATE_PER_CLIENT),
  "clients-per-tester": zInt("--clients-per-tester"),
  "max-p99": zPositive("--max-p99").optional(),
  delete: z.boolean(),
});

/**
 * Parses the CLI's arguments (without `node script`) and environment; throws {@link CliUsageError}
 * with every problem at once, or the usage for `--help`.
 */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        server: { type: "string" },
        "admin-key": { type: "string" },
        lesson: { type: "string" },
        clients: { type: "string", default: "50" },
        duration: { type: "string", default: "60" },
        target: { type: "string" },
        launcher: { type: "string", default: "local" },
        rate: { type: "string", default: String(DEFAULT_RATE_PER_CLIENT) },
        "clients-per-tester": { type: "string", default: "50" },
        "tester-url": { type: "string" },
        "max-p99": { type: "string" },
        delete: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new CliUsageError(`${error instanceof Error ? error.message : String(error)}\n${CLI_USAGE}`);
  }
  if (values.help) throw new CliUsageError(CLI_USAGE, 0);
  // Empty environment values count as unset, as everywhere else in Cohort (.env.example).
  const adminKey = values["admin-key"] ?? (env.ADMIN_KEY || undefined);
  const parsed = zValues.safeParse({ ...values, "admin-key": adminKey });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.message}`).join("\n");
    throw new CliUsageError(`invalid arguments:\n${problems}\n${CLI_USAGE}`);
  }
  const v = parsed.data;
  return {
    serverUrl: v.server,
    testerUrl: v["tester-url"] ?? v.server,
    adminKey: v["admin-key"],
    lessonId: v.lesson,
    clients: v.clients,
    durationSec: v.duration,
    targetParticipantId: v.target,
    launcher: v.launcher,
    ratePerClient: v.rate,
    clientsPerTester: v["clients-per-tester"],
    maxP99Ms: v["max-p99"],
    deleteAfter: v.delete,
  };
}
