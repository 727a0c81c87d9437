import { TRPCClientError } from "@trpc/client";

/** The reason code a server error carries (`error.data.appCode`), or undefined. */
export function appCodeOf(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<never>).data as { appCode?: unknown } | undefined;
    return typeof data?.appCode === "string" ? data.appCode : undefined;
  }
  return undefined;
}

/** The tRPC error class (`FORBIDDEN`, `NOT_FOUND`, …) of a server error, or undefined. */
export function errorCodeOf(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<never>).data as { code?: unknown } | undefined;
    return typeof data?.code === "string" ? data.code : undefined;
  }
  return undefined;
}

export function isCohortError(error: unknown): error is TRPCClientError<never> {
  return error instanceof TRPCClientError;
}
