import { TRPCClientError } from "@trpc/client";
import { createServerApi } from "~/trpc/server";

export type KeyCheck = { ok: true } | { ok: false; reason: "invalid" | "unreachable" };

/** Asks the Cohort server whether the key is the admin key (`session.me` over HTTP). */
export async function verifyAdminKey(adminKey: string): Promise<KeyCheck> {
  if (adminKey.length < 16 || adminKey.length > 512) return { ok: false, reason: "invalid" };
  try {
    const me = await createServerApi(adminKey).session.me.query(undefined, { signal: AbortSignal.timeout(5_000) });
    return me.isAdmin ? { ok: true } : { ok: false, reason: "invalid" };
  } catch (error) {
    if (error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "UNAUTHORIZED") {
      return { ok: false, reason: "invalid" };
    }
    return { ok: false, reason: "unreachable" };
  }
}
