import { z } from "zod";

/**
 * The console's whole configuration, validated once when the server starts (and at build time,
 * through next.config.ts), so a bad value fails fast with a readable list. Nothing else reads
 * process.env. Empty strings count as unset, as in `.env.example`.
 */
const zHttpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const zWsUrl = z.url({ protocol: /^wss?$/, error: "must be a ws(s) URL" });

export const consoleEnvSchema = z
  .object({
    /** Where the console's server side reaches Cohort over HTTP (queries and mutations, sign-in check). */
    COHORT_SERVER_URL: zHttpUrl.default("http://127.0.0.1:4000"),
    /**
     * What browsers connect to for live data. Defaults to COHORT_SERVER_URL with ws(s):// and
     * /trpc; set it when browsers reach the server by another name than the console does.
     */
    COHORT_WS_URL: zWsUrl.optional(),
    /**
     * Mark the session cookie `Secure`: "auto" does so when the request came over https (directly
     * or through a proxy that sets X-Forwarded-Proto).
     */
    CONSOLE_SECURE_COOKIE: z.enum(["auto", "true", "false"]).default("auto"),
    /** Hours an admin stays signed in. */
    CONSOLE_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
    /** Set by Next: "development" under `next dev`. */
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  })
  .transform((env) => {
    const serverUrl = env.COHORT_SERVER_URL.replace(/\/+$/, "");
    return {
      ...env,
      COHORT_SERVER_URL: serverUrl,
      COHORT_WS_URL: env.COHORT_WS_URL ?? `${serverUrl.replace(/^http/, "ws")}/trpc`,
    };
  });

export type ConsoleEnv = z.output<typeof consoleEnvSchema>;

export function readConsoleEnv(source: Record<string, string | undefined> = process.env): ConsoleEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = consoleEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join(".") || "(env)"}: ${issue.message}`);
    throw new Error(`Invalid console environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env: ConsoleEnv = readConsoleEnv();
