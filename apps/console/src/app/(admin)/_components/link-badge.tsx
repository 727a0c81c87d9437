"use client";

import { useLinkState } from "~/trpc/react";

const labels = { idle: "idle", connecting: "connecting", open: "live", reconnecting: "reconnecting", "signed-out": "signed out" } as const;

/** State of the page's WebSocket to Cohort. */
export function LinkBadge() {
  const state = useLinkState();
  return (
    <p className="small" style={{ margin: "0 0 0.5rem" }}>
      <span className={`badge ${state === "open" ? "ok" : state === "signed-out" ? "bad" : "pending"}`} data-testid="link-state">
        {labels[state]}
      </span>
    </p>
  );
}
