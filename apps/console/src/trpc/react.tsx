"use client";

import { createTRPCClient, createWSClient, TRPCClientError, wsLink, type TRPCClient } from "@trpc/client";
import type { AppRouter } from "@cohort/api";
import { useEffect, useEffectEvent, useSyncExternalStore, type DependencyList } from "react";
import { CREDENTIALS_HEADER, type WsCredentials } from "~/lib/ws-credentials";

export type BrowserApi = TRPCClient<AppRouter>;
export type LinkState = "idle" | "connecting" | "open" | "reconnecting" | "signed-out";

interface Unsubscribable {
  unsubscribe(): void;
}

let singleton: BrowserApi | undefined;
let pendingCredentials: Promise<WsCredentials> | undefined;
let linkState: LinkState = "idle";
const linkListeners = new Set<() => void>();

function setLinkState(state: LinkState) {
  if (linkState === state) return;
  linkState = state;
  linkListeners.forEach((listener) => listener());
}

/**
 * One WebSocket per page session, opened on first use. The key is fetched from the same-origin
 * credentials route for each connection attempt (and dropped after the handshake), so a sign-out
 * or a rotated key takes effect on the next reconnect.
 */
export function browserApi(): BrowserApi {
  if (typeof window === "undefined") throw new Error("browserApi() is for the browser; server code uses ~/trpc/server");
  if (singleton) return singleton;
  setLinkState("connecting");
  const wsClient = createWSClient({
    url: async () => (await credentials()).wsUrl,
    connectionParams: async () => {
      const { adminKey } = await credentials();
      // A fresh fetch for the next attempt: a reconnect must not reuse a key that was signed out.
      pendingCredentials = undefined;
      return { adminKey };
    },
    keepAlive: { enabled: true, intervalMs: 10_000, pongTimeoutMs: 5_000 },
    retryDelayMs: (attempt) => Math.min(500 * 2 ** attempt, 10_000),
    onOpen: () => setLinkState("open"),
    onClose: (cause) => {
      // 4401/4403: the server refused the key; retrying with it cannot succeed.
      if (cause?.code === 4401 || cause?.code === 4403) {
        setLinkState("signed-out");
        window.location.assign("/sign-in?error=expired");
        return;
      }
      setLinkState("reconnecting");
    },
  });
  singleton = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
  return singleton;
}

function credentials(): Promise<WsCredentials> {
  pendingCredentials ??= fetch("/api/ws-credentials", {
    headers: { [CREDENTIALS_HEADER]: "1" },
    credentials: "same-origin",
    cache: "no-store",
  }).then(async (res) => {
    if (res.status === 401) {
      window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`);
      throw new Error("not signed in");
    }
    if (!res.ok) throw new Error(`credentials route answered ${res.status}`);
    return (await res.json()) as WsCredentials;
  });
  pendingCredentials.catch(() => {
    pendingCredentials = undefined;
  });
  return pendingCredentials;
}

/** The live connection's state, for a status badge ("idle" until a page needs live data). */
export function useLinkState(): LinkState {
  return useSyncExternalStore(
    (onChange) => {
      linkListeners.add(onChange);
      return () => linkListeners.delete(onChange);
    },
    () => linkState,
    () => "idle",
  );
}

/** Holds a subscription while mounted (and while `deps` stay the same). */
export function useApiSubscription(subscribe: (api: BrowserApi) => Unsubscribable, deps: DependencyList): void {
  const start = useEffectEvent(() => subscribe(browserApi()));
  useEffect(() => {
    const subscription = start();
    return () => subscription.unsubscribe();
  }, deps);
}

export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const appCode = (error.data as { appCode?: string } | undefined)?.appCode;
    return appCode && appCode !== "INTERNAL" ? `${error.message} (${appCode})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
